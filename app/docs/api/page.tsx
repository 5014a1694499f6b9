import type { Metadata } from "next";
import { FileJson } from "lucide-react";
import { CodeBlock } from "@/components/docs/code-block";
import { FieldTable, ParameterTable, ResponseTable, ScrollTable } from "@/components/docs/field-table";
import { InlineText } from "@/components/docs/inline-text";
import { IntegrationsSection, integrationsToc } from "@/components/docs/integrations-section";
import { MethodBadge, StatusCode } from "@/components/docs/method-badge";
import { TableOfContents, type TocItem } from "@/components/docs/toc";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { openApiDocument } from "@/lib/api/openapi";
import {
  exampleDecidedReview,
  exampleProblem,
  exampleWebhook,
  modes,
  outcomes,
  requestExamples,
  responseExamples,
  routingReasons,
  statuses,
} from "@/lib/docs/examples";
import { anchorOf, curlFor, fieldRows, operationsOf, resolveSchema, statusText, type JsonSchema, type OpenApiDocument, type OperationView } from "@/lib/docs/openapi-view";
import { MCP_TOOLS } from "@/lib/mcp/tools";
import { describeReason } from "@/lib/policy";
import { apiKeyScopeValues } from "@/lib/validation/reviews";
import { MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS } from "@/lib/webhooks/schedule";

// Everything here comes from the OpenAPI document and pure modules: no database. It renders per
// request all the same, like every page, so its scripts carry that request's CSP nonce.

export const metadata: Metadata = {
  title: "API reference",
  description: "The Countersign Agent API: submit proposed actions, wait for a person's decision, execute exactly what was approved.",
};

const OPENAPI_URL = "/api/v1/openapi.json";

/** Schemas with their own field table under "Objects"; any other request body is shown inline. */
const OBJECTS: Array<{ name: string; intro: string }> = [
  { name: "ReviewSubmission", intro: "What an agent sends to `POST /reviews`, and what each item of a batch holds. Unknown fields are refused (422), so a typo can't be silently ignored." },
  { name: "Review", intro: "What every review endpoint answers with. `decision` is `null` until the review is decided; `routing` says whether a person must look and why." },
  { name: "TaskType", intro: "What `GET /task-types` lists, so an agent can tell in advance which of its actions will wait for a person." },
];

const SCOPE_MEANING: Record<string, string> = {
  "reviews:write": "Submit reviews (one or a batch) and cancel them.",
  "reviews:read": "Read and list reviews, long-poll for decisions, list task types.",
  "audit:read": "Read the audit chain's head (`GET /audit/head`), to keep it outside Countersign as an anchor.",
};

const EVENT_MEANING: Record<string, string> = {
  "review.decided": "A person approved, edited or rejected the item — or the policy auto-approved it (outcome `auto_approved`).",
  "review.expired": "Nobody decided before `expiresAt`. Don't act: an item is never approved by silence.",
  "review.cancelled": "The item was withdrawn through the cancel endpoint.",
};

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}

const prose = "max-w-3xl text-[15px] leading-relaxed text-pretty";
const link = "font-medium text-primary underline underline-offset-4 hover:decoration-2 focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none";

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-20 border-t pt-10">
      <h2 id={`${id}-title`} className="mb-4 text-2xl font-semibold tracking-tight">
        {title}
      </h2>
      <div className="flex flex-col gap-5">{children}</div>
    </section>
  );
}

function SubHeading({ id, children }: { id?: string; children: React.ReactNode }) {
  return (
    <h3 id={id} className="mt-2 scroll-mt-20 text-lg font-semibold tracking-tight">
      {children}
    </h3>
  );
}

function P({ children, muted }: { children: React.ReactNode; muted?: boolean }) {
  return <p className={`${prose} ${muted ? "text-muted-foreground" : ""}`}>{children}</p>;
}

function C({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em] text-foreground">{children}</code>;
}

function Endpoint({ op, doc, serverUrl }: { op: OperationView; doc: OpenApiDocument; serverUrl: string }) {
  const example = requestExamples[op.operationId] ?? {};
  const answer = responseExamples[op.operationId];
  const documented = op.requestBody?.schemaName && OBJECTS.some((o) => o.name === op.requestBody?.schemaName);
  const inlineBody = op.requestBody && !documented ? fieldRows(doc, op.requestBody.schema) : [];
  // A success answer that isn't a named schema (a page, a list of results) gets its own small field table.
  const inlineAnswers = op.responses
    .filter((r) => r.status.startsWith("2") && r.schema && !r.schemaName)
    .map((r) => ({ status: r.status, rows: fieldRows(doc, r.schema) }))
    .filter((a) => a.rows.length > 0);
  const curl = curlFor({ method: op.method, path: op.path, serverUrl, query: example.query, headers: example.headers, body: example.body });
  const schemaHref = (name: string) => (name === "Problem" ? "#errors" : OBJECTS.some((o) => o.name === name) ? `#${anchorOf(`schema-${name}`)}` : undefined);

  return (
    <article id={op.anchor} aria-labelledby={`${op.anchor}-title`} className="scroll-mt-20 rounded-xl border bg-card p-5 shadow-sm sm:p-6">
      <h3 id={`${op.anchor}-title`} className="text-lg font-semibold tracking-tight">
        {op.summary}
      </h3>
      <p className="mt-2 flex flex-wrap items-center gap-3">
        <MethodBadge method={op.method} />
        <code className="font-mono text-sm font-semibold break-all">
          <span className="text-muted-foreground">{serverUrl}</span>
          {op.path}
        </code>
      </p>
      {op.description ? (
        <p className={`${prose} mt-3 text-muted-foreground`}>
          <InlineText text={op.description} />
        </p>
      ) : null}

      <div className="mt-6 flex flex-col gap-6">
        {op.parameters.length > 0 ? (
          <div className="flex flex-col gap-2">
            <h4 className="text-sm font-semibold">Parameters</h4>
            <ParameterTable rows={op.parameters} caption={`Parameters of ${op.method.toUpperCase()} ${op.path}`} />
          </div>
        ) : null}

        {op.requestBody ? (
          <div className="flex flex-col gap-2">
            <h4 className="text-sm font-semibold">Request body</h4>
            {documented ? (
              <p className="text-sm text-muted-foreground">
                <C>{op.requestBody.contentType}</C>, {op.requestBody.required ? "required" : "optional"}: a{" "}
                <a href={schemaHref(op.requestBody.schemaName!)} className={link}>
                  {op.requestBody.schemaName}
                </a>
                .
              </p>
            ) : (
              <>
                <p className="text-sm text-muted-foreground">
                  <C>{op.requestBody.contentType}</C>, {op.requestBody.required ? "required" : "optional"}.
                </p>
                {inlineBody.length > 0 ? <FieldTable rows={inlineBody} caption={`Request body of ${op.method.toUpperCase()} ${op.path}`} /> : null}
              </>
            )}
          </div>
        ) : null}

        <div className="flex flex-col gap-2">
          <h4 className="text-sm font-semibold">Responses</h4>
          <ResponseTable rows={op.responses} caption={`Responses of ${op.method.toUpperCase()} ${op.path}`} schemaHref={schemaHref} />
        </div>

        {inlineAnswers.map(({ status, rows }) => (
          <div key={status} className="flex flex-col gap-2">
            <h4 className="text-sm font-semibold">
              Body of a <StatusCode status={status} /> answer
            </h4>
            <FieldTable rows={rows} caption={`Fields of the ${status} answer of ${op.method.toUpperCase()} ${op.path}`} presence="Present" typeHref={schemaHref} />
          </div>
        ))}

        <div className="flex flex-col gap-2">
          <h4 className="text-sm font-semibold">Example</h4>
          <CodeBlock code={curl} language="bash" title="Request" />
          {answer ? <CodeBlock code={JSON.stringify(answer.body, null, 2)} language="json" title={`Response · ${answer.status} ${statusText(String(answer.status))}`} /> : null}
        </div>
      </div>
    </article>
  );
}

export default function ApiReferencePage() {
  const doc = openApiDocument() as unknown as OpenApiDocument;
  const serverUrl = doc.servers?.[0]?.url ?? "";
  const operations = operationsOf(doc);
  const schemas = doc.components?.schemas ?? {};
  const bearer = Object.values(doc.components?.securitySchemes ?? {}).find((s) => s.scheme === "bearer");

  const submit = operations.find((op) => op.method === "post" && op.requestBody?.schemaName === "ReviewSubmission");
  const idempotencyParam = submit?.parameters.find((p) => p.name.toLowerCase() === "idempotency-key");

  // Every problem answer the document names, with each distinct situation that produces it.
  const problems = new Map<string, Set<string>>();
  for (const op of operations) {
    for (const r of op.responses) {
      if (r.contentType !== "application/problem+json") continue;
      if (!problems.has(r.status)) problems.set(r.status, new Set());
      problems.get(r.status)!.add(r.description);
    }
  }
  const problemRows = [...problems.entries()].sort(([a], [b]) => a.localeCompare(b));

  const webhookOps = operationsOf(doc, "webhooks");
  const webhookSchema = resolveSchema(doc, webhookOps[0]?.requestBody?.schema);
  const eventTypes = (webhookSchema?.properties?.type?.enum as string[] | undefined) ?? Object.keys(doc.webhooks ?? {});
  const totalRetrySeconds = RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);

  const objectToc: TocItem[] = OBJECTS.filter((o) => schemas[o.name]).map((o) => ({ id: anchorOf(`schema-${o.name}`), label: o.name }));
  const toc: TocItem[] = [
    {
      id: "overview",
      label: "Overview",
      children: [
        { id: "quickstart", label: "Quickstart" },
        { id: "statuses", label: "Statuses and outcomes" },
      ],
    },
    { id: "authentication", label: "Authentication" },
    { id: "endpoints", label: "Endpoints", children: operations.map((op) => ({ id: op.anchor, label: `${op.method.toUpperCase()} ${op.path}` })) },
    { id: "objects", label: "Objects", children: objectToc },
    { id: "idempotency", label: "Idempotency and retries" },
    { id: "errors", label: "Errors" },
    { id: "webhooks", label: "Webhooks" },
    { id: "modes", label: "Modes and routing" },
    { id: "client", label: "TypeScript client" },
    { id: "mcp", label: "MCP server" },
    integrationsToc,
  ];

  const mcpConfig = JSON.stringify(
    { mcpServers: { countersign: { type: "http", url: "http://localhost:3000/api/mcp", headers: { Authorization: "Bearer cs_live_…" } } } },
    null,
    2,
  );

  const quickstart = [
    "export COUNTERSIGN_URL=http://localhost:3000",
    "export COUNTERSIGN_API_KEY=cs_live_…   # Admin › API keys",
    "",
    "# 1. Submit a proposed action; keep its id",
    `REVIEW_ID=$(${curlFor({
      method: "post",
      path: "/reviews",
      serverUrl,
      headers: { "Idempotency-Key": "refund-A-318204" },
      body: { taskType: "refund.issue", action: { orderId: "A-318204", amount: 42.5 }, amount: { value: 42.5, currency: "USD" }, confidence: 0.93 },
    })} | jq -r .id)`,
    "",
    "# 2. Wait up to 30 s for the decision; repeat while status is \"pending\"",
    `${curlFor({ method: "get", path: "/reviews/{id}", serverUrl, query: { wait: 30 } })} \\\n  | jq '{status, action: .decision.action, actionHash: .decision.actionHash}'`,
  ].join("\n");

  const verifyNode = `import { createHmac, timingSafeEqual } from "node:crypto";

// rawBody: the request body exactly as received (a string), never re-serialized JSON.
function verify(headers: Headers, rawBody: string, secret: string): boolean {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false; // replayed or stale

  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(\`\${id}.\${timestamp}.\${rawBody}\`).digest("base64");
  // Several space-separated signatures during a secret rotation: any one may match.
  return signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",", 2);
    return version === "v1" && signature?.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  });
}`;

  const receiver = `import { approvedActionOf, parseWebhook } from "@/lib/client"; // lib/client in this repository

export async function POST(request: Request) {
  const body = await request.text(); // the raw body: re-serialized JSON won't verify
  let event;
  try {
    event = parseWebhook({ headers: request.headers, body, secret: process.env.COUNTERSIGN_WEBHOOK_SECRET! });
  } catch {
    return new Response("Invalid signature", { status: 401 });
  }
  // Retries repeat the same webhook-id: handle each id once.
  if (await alreadyHandled(request.headers.get("webhook-id")!)) return new Response(null, { status: 204 });

  if (event.type === "review.decided") {
    const action = approvedActionOf(event.data.review); // null unless approved; throws on an actionHash mismatch
    if (action) await execute(action);
  }
  return new Response(null, { status: 204 }); // answer fast; do slow work in the background
}`;

  const clientExample = `import { approvedActionOf, createCountersignClient, CountersignError } from "@/lib/client";

const countersign = createCountersignClient({
  baseUrl: process.env.COUNTERSIGN_URL ?? "http://localhost:3000",
  apiKey: process.env.COUNTERSIGN_API_KEY!,
});

const review = await countersign.submit(
  { taskType: "refund.issue", action: { orderId: "A-318204", amount: 42.5 }, amount: { value: 42.5, currency: "USD" }, confidence: 0.93 },
  { idempotencyKey: "refund-A-318204" }, // optional: a UUID is generated otherwise
);

// Long-polls (30 s at a time) until decided, or returns the still-pending review after 10 minutes.
const decided = await countersign.waitForDecision(review.id, { timeoutSeconds: 600 });
const action = approvedActionOf(decided); // null unless approved; throws if actionHash doesn't match
if (action) await issueRefund(action);

// Failures are CountersignError: status, title, detail and per-field errors from the problem+json.
try {
  await countersign.cancel(review.id);
} catch (e) {
  if (e instanceof CountersignError && e.status === 409) console.log(e.detail); // already decided
}`;

  return (
    <div className="mx-auto w-full max-w-7xl px-4 py-8 sm:px-6 lg:grid lg:grid-cols-[14rem_minmax(0,1fr)] lg:gap-12">
      <aside className="hidden lg:block">
        <div className="sticky top-20 max-h-[calc(100vh-6rem)] overflow-y-auto pr-2 pb-8">
          <TableOfContents items={toc} />
        </div>
      </aside>

      <main id="main" className="min-w-0">
        <PageHeader
          title={doc.info.title}
          description={doc.info.description ? <InlineText text={doc.info.description} /> : undefined}
          actions={
            <Button asChild variant="outline" size="sm">
              <a href={OPENAPI_URL}>
                <FileJson aria-hidden="true" />
                openapi.json
              </a>
            </Button>
          }
        >
          <p className="flex flex-wrap items-center gap-2 pt-1 text-xs text-muted-foreground">
            <Badge variant="secondary">v{doc.info.version}</Badge>
            <span>OpenAPI {doc.openapi}</span>
            <span aria-hidden="true">·</span>
            <span>
              Base path <C>{serverUrl || "/"}</C>
            </span>
          </p>
        </PageHeader>

        <details className="mt-6 rounded-lg border bg-card px-4 py-3 lg:hidden">
          <summary className="cursor-pointer text-sm font-medium">On this page</summary>
          <div className="mt-3">
            <TableOfContents items={toc} label="Contents" />
          </div>
        </details>

        <div className="mt-8 flex flex-col gap-12">
          <section id="overview" aria-labelledby="overview-title" className="scroll-mt-20">
            <h2 id="overview-title" className="mb-4 text-2xl font-semibold tracking-tight">
              Overview
            </h2>
            <div className="flex flex-col gap-5">
              <P>
                Countersign sits between your agent and the real world. Your agent submits what it intends to do — a refund, a clinical note, a
                customer email — and a per-task-type policy decides whether a person must look first. Reviewers approve, edit or reject in the
                Countersign queue, and the decision comes back to your agent. As a task type earns a record of accepted decisions it can be given
                more autonomy; hard floors (irreversible actions, PHI, large amounts) always keep a person in the loop.
              </P>
              <ol className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
                {[
                  { title: "Submit", body: "POST the proposed `action` (and `draft`) to `/reviews` with an Idempotency-Key. The answer says `pending` or, when policy allows, `approved` at once." },
                  { title: "Wait", body: "Long-poll `GET /reviews/{id}?wait=30`, poll without `wait`, or receive a signed `review.decided` webhook at your `callbackUrl`." },
                  { title: "Execute exactly the decision", body: "Only when `status` is `approved`, run `decision.action` — a reviewer may have edited it — never your original proposal." },
                  { title: "Check actionHash", body: "`decision.actionHash` is the SHA-256 of the action's RFC 8785 canonical JSON; recompute it before executing." },
                ].map((step, i) => (
                  <li key={step.title} className="flex gap-3 rounded-lg border bg-card p-4">
                    <span aria-hidden="true" className="grid size-7 shrink-0 place-items-center rounded-full bg-primary text-sm font-semibold text-primary-foreground">
                      {i + 1}
                    </span>
                    <div className="flex flex-col gap-1">
                      <span className="font-semibold">{step.title}</span>
                      <span className="text-sm leading-relaxed text-muted-foreground">
                        <InlineText text={step.body} />
                      </span>
                    </div>
                  </li>
                ))}
              </ol>
              <P muted>
                The contract is generated from the same zod schemas that validate requests; fetch it as{" "}
                <a href={OPENAPI_URL} className={link}>
                  {OPENAPI_URL}
                </a>{" "}
                to generate a client, or use the small TypeScript client in <C>lib/client</C>. To see it all move, run <C>npm run agent:demo</C> against a
                running instance.
              </P>

              <SubHeading id="quickstart">Quickstart</SubHeading>
              <P muted>
                Examples use two shell variables: <C>$COUNTERSIGN_URL</C> (default <C>http://localhost:3000</C>) and <C>$COUNTERSIGN_API_KEY</C>. The
                quickstart uses <C>jq</C> to pick fields out of the answers.
              </P>
              <CodeBlock code={quickstart} language="bash" title="Submit, then wait for the decision" />

              <SubHeading id="statuses">Statuses and outcomes</SubHeading>
              <P muted>
                A review starts <C>pending</C> (or <C>approved</C> when the policy auto-approves it) and ends in exactly one of the other statuses.
                Once decided, <C>decision.outcome</C> says how.
              </P>
              <div className="grid gap-4 xl:grid-cols-2">
                <ScrollTable label="Review statuses">
                  <Table containerClassName="overflow-visible">
                    <caption className="sr-only">Review statuses</caption>
                    <TableHeader>
                      <TableRow className="hover:bg-transparent">
                        <TableHead>Status</TableHead>
                        <TableHead>What the agent does</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {statuses.map((s) => (
                        <TableRow key={s.status} className="align-top">
                          <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal text-foreground normal-case">
                            {s.status}
                          </TableHead>
                          <TableCell className="leading-relaxed">
                            <InlineText text={s.meaning} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </ScrollTable>
                <ScrollTable label="Decision outcomes">
                  <Table containerClassName="overflow-visible">
                    <caption className="sr-only">Decision outcomes</caption>
                    <TableHeader>
                      <TableRow className="hover:bg-transparent">
                        <TableHead>Outcome</TableHead>
                        <TableHead>Meaning</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {outcomes.map((o) => (
                        <TableRow key={o.outcome} className="align-top">
                          <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal text-foreground normal-case">
                            {o.outcome}
                          </TableHead>
                          <TableCell className="leading-relaxed">
                            <InlineText text={o.meaning} />
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </ScrollTable>
              </div>
            </div>
          </section>

          <Section id="authentication" title="Authentication">
            <P>
              Send an API key on every request as <C>Authorization: Bearer cs_live_…</C>. {bearer?.description ? <InlineText text={bearer.description} /> : null} A key
              belongs to one organization: everything it submits and reads is that organization&apos;s, and an id from another organization answers{" "}
              <C>404</C>, exactly like an unknown one. Keys are shown once, when created; Countersign stores only their hash.
            </P>
            <ScrollTable label="API key scopes">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">API key scopes</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Scope</TableHead>
                    <TableHead className="w-full">Allows</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {apiKeyScopeValues.map((scope) => (
                    <TableRow key={scope}>
                      <TableHead scope="row" className="h-auto py-3 font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                        {scope}
                      </TableHead>
                      <TableCell>{SCOPE_MEANING[scope] ? <InlineText text={SCOPE_MEANING[scope]} /> : "—"}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>
            <P muted>
              No key, or an unknown or revoked one, answers <C>401</C>; a key without the needed scope, <C>403</C>. Each key has a rate limit per minute;
              over it, <C>429</C> with a <C>Retry-After</C> header.
            </P>
            <CodeBlock code={curlFor({ method: "get", path: "/task-types", serverUrl })} language="bash" title="Check a key" />
          </Section>

          <Section id="endpoints" title="Endpoints">
            <P muted>
              All paths are relative to <C>$COUNTERSIGN_URL{serverUrl}</C>. Requests and answers are JSON; errors are{" "}
              <a href="#errors" className={link}>
                problem+json
              </a>
              .
            </P>
            <ul className="flex flex-col divide-y rounded-lg border bg-card">
              {operations.map((op) => (
                <li key={op.anchor}>
                  <a href={`#${op.anchor}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5 hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
                    <MethodBadge method={op.method} />
                    <code className="font-mono text-sm">{op.path}</code>
                    <span className="text-sm text-muted-foreground">{op.summary}</span>
                  </a>
                </li>
              ))}
            </ul>
            {operations.map((op) => (
              <Endpoint key={op.anchor} op={op} doc={doc} serverUrl={serverUrl} />
            ))}
          </Section>

          <Section id="objects" title="Objects">
            <P muted>
              Generated from the request and response schemas. Nested fields follow their parent with a dotted path; a required nested field is
              required whenever its parent is sent.
            </P>
            {OBJECTS.filter((o) => schemas[o.name]).map((o) => (
              <div key={o.name} className="flex flex-col gap-3">
                <SubHeading id={anchorOf(`schema-${o.name}`)}>
                  <code className="font-mono">{o.name}</code>
                </SubHeading>
                <P muted>
                  <InlineText text={o.intro} />
                </P>
                <FieldTable
                  rows={fieldRows(doc, schemas[o.name] as JsonSchema)}
                  caption={`Fields of ${o.name}`}
                  presence={o.name === "ReviewSubmission" ? "Required" : "Present"}
                />
              </div>
            ))}
          </Section>

          <Section id="idempotency" title="Idempotency and retries">
            <P>
              Networks fail after the server has acted, so send an <C>Idempotency-Key</C> header with every submission and reuse it when you retry.
              {idempotencyParam?.description ? (
                <>
                  {" "}
                  <InlineText text={idempotencyParam.description} />
                </>
              ) : null}
            </P>
            <ul className={`${prose} flex list-disc flex-col gap-2 pl-5 marker:text-muted-foreground`}>
              <li>
                A replayed answer is byte for byte the first one and carries the header <C>idempotent-replayed: true</C>.
              </li>
              <li>
                In a batch, each item may carry its own <C>idempotencyKey</C> field, with the same rules per item.
              </li>
              <li>
                Derive the key from your own notion of the operation (<C>refund-A-318204</C>) or generate a UUID once and keep it with the job; never
                generate a new key for a retry.
              </li>
              <li>
                Retry <C>429</C> and <C>503</C> after their <C>Retry-After</C> seconds, and network failures with backoff — always with the same key.
                Other <C>4xx</C> answers won&apos;t change on a retry: fix the request.
              </li>
              <li>
                Reads (<C>GET</C>) are safe to repeat. Cancelling twice answers <C>409</C> the second time.
              </li>
            </ul>
          </Section>

          <Section id="errors" title="Errors">
            <P>
              Every error is an RFC 9457 <C>application/problem+json</C> document: <C>type</C>, <C>title</C>, <C>status</C>, a human{" "}
              <C>detail</C>, the request&apos;s <C>instance</C> and <C>requestId</C> (quote it when asking for help), and for invalid input{" "}
              <C>errors</C> — messages per field, keyed by dotted path. Never a stack trace, and bad input is never a <C>500</C>.
            </P>
            <CodeBlock
              code={`HTTP/1.1 ${exampleProblem.status} ${statusText(String(exampleProblem.status))}\nContent-Type: application/problem+json\n\n${JSON.stringify(exampleProblem, null, 2)}`}
              language="http"
              title="A validation error"
            />
            <ScrollTable label="Error statuses and when they happen">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">Error statuses and when they happen</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Status</TableHead>
                    <TableHead className="w-full">When</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {problemRows.map(([status, situations]) => (
                    <TableRow key={status} className="align-top">
                      <TableHead scope="row" className="h-auto py-3 align-top tracking-normal whitespace-nowrap normal-case">
                        <StatusCode status={status} /> <span className="text-xs font-normal text-muted-foreground">{statusText(status)}</span>
                      </TableHead>
                      <TableCell className="align-top">
                        <ul className="flex flex-col gap-1 leading-relaxed">
                          {[...situations].map((s) => (
                            <li key={s}>
                              <InlineText text={s} />
                            </li>
                          ))}
                        </ul>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>
          </Section>

          <Section id="webhooks" title="Webhooks">
            <P>
              Give a submission a <C>callbackUrl</C>, or register organization-wide endpoints under Admin › Webhooks, and Countersign POSTs each event to
              it as JSON. {webhookOps[0]?.description ? <InlineText text={webhookOps[0].description} /> : null}
            </P>
            <ScrollTable label="Webhook events">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">Webhook events</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Event</TableHead>
                    <TableHead className="w-full">Sent when</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {eventTypes.map((type) => (
                    <TableRow key={type} className="align-top">
                      <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                        {type}
                      </TableHead>
                      <TableCell className="leading-relaxed">
                        <InlineText text={EVENT_MEANING[type] ?? "—"} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>
            <P muted>
              Organization endpoints may also subscribe to <C>review.created</C> and <C>task_type.mode_changed</C>. Callback URLs on private, loopback
              and link-local addresses are refused. A host name is resolved once per attempt (given up after 3 s) and the request goes to
              exactly the address that was checked; redirects are not followed.
            </P>

            <SubHeading id="webhook-payload">Payload</SubHeading>
            <P muted>
              The body is <C>{"{ type, timestamp, data: { review } }"}</C>, where <C>review</C> is the full{" "}
              <a href={`#${anchorOf("schema-Review")}`} className={link}>
                Review
              </a>{" "}
              as the API would answer it.
            </P>
            <CodeBlock code={JSON.stringify({ ...exampleWebhook, data: { review: { ...exampleDecidedReview, context: { "…": "…" } } } }, null, 2)} language="json" title="review.decided" />

            <SubHeading id="webhook-headers">Headers</SubHeading>
            <ScrollTable label="Webhook headers">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">Webhook headers</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Header</TableHead>
                    <TableHead className="w-full">Meaning</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {[
                    ["webhook-id", "The message id, e.g. `msg_…`. The same on every retry of a message: handle each id once."],
                    ["webhook-timestamp", "Unix seconds when this attempt was sent. Refuse anything more than 5 minutes from your clock."],
                    ["webhook-signature", "`v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded part of your `whsec_…` secret. Several, space-separated, while a secret is being rotated."],
                  ].map(([name, meaning]) => (
                    <TableRow key={name} className="align-top">
                      <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                        {name}
                      </TableHead>
                      <TableCell className="leading-relaxed">
                        <InlineText text={meaning} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>

            <SubHeading id="webhook-verify">Verifying a delivery</SubHeading>
            <P muted>
              Verify before you parse, against the raw body. With the TypeScript client it is one call; any{" "}
              <a href="https://www.standardwebhooks.com" className={link}>
                Standard Webhooks
              </a>{" "}
              library works too.
            </P>
            <CodeBlock code={receiver} language="ts" title="A receiver (TypeScript client)" />
            <CodeBlock code={verifyNode} language="ts" title="The same check by hand (Node)" />

            <SubHeading id="webhook-retries">Retries</SubHeading>
            <P>
              Only a <C>2xx</C> answer within 10 seconds counts as delivered; redirects are not followed. Otherwise Countersign retries the same message (same{" "}
              <C>webhook-id</C>, fresh timestamp and signature) after {RETRY_DELAYS_SECONDS.map(duration).join(", ")} — {MAX_DELIVERY_ATTEMPTS} attempts over about{" "}
              {duration(totalRetrySeconds)} — then marks it failed. Every attempt is recorded in Admin › Webhooks. Because webhooks can be late or lost, an
              agent that must not miss a decision also long-polls or polls.
            </P>
          </Section>

          <Section id="modes" title="Modes and routing">
            <P>
              Each task type runs in one of three modes. An admin moves a task type toward autonomy as its acceptance rate earns it, and back again if
              it slips.
            </P>
            <ul className="grid gap-3 md:grid-cols-3">
              {modes.map((m) => (
                <li key={m.mode} className="flex flex-col gap-2 rounded-lg border bg-card p-4">
                  <span className="font-semibold">{m.name}</span>
                  <code className="font-mono text-xs text-muted-foreground">{m.mode}</code>
                  <span className="text-sm leading-relaxed">
                    <InlineText text={m.summary} />
                  </span>
                  <span className="mt-auto pt-1 text-xs text-muted-foreground">
                    Agent waits: <span className="font-medium text-foreground">{m.blocks}</span>
                  </span>
                </li>
              ))}
            </ul>
            <P>
              <strong className="font-semibold">Hard floors.</strong> Whatever the mode, a person always approves first when the action is irreversible,
              writes protected health information, or moves an amount over the task type&apos;s limit. Floors only tighten: nothing an agent sends can
              loosen a policy, and a task type with a floor can never run in flag-on-exception.
            </P>
            <P>
              <strong className="font-semibold">New task types start strict.</strong> An item with an unknown <C>taskType</C> registers it (unless the
              organization turned that off, then <C>422</C>) in approve-before-action, unclassified until an admin classifies its consequences.
            </P>
            <SubHeading id="routing-reasons">Routing reasons</SubHeading>
            <P muted>
              Every review carries <C>routing</C>: <C>needsHuman</C> (a person will look), <C>blocking</C> (the agent must wait for that person), and the{" "}
              <C>reasons</C>, in the order below. In the two strict modes the reasons are the floors plus the mode; confidence and rules only matter
              in flag-on-exception. The queue shows each reason as the label in the second column.
            </P>
            <ScrollTable label="Routing reasons">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">Routing reasons</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Reason</TableHead>
                    <TableHead>Shown as</TableHead>
                    <TableHead>Kind</TableHead>
                    <TableHead className="w-full">In plain words</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {routingReasons.map((r) => (
                    <TableRow key={r.reason} className="align-top">
                      <TableHead scope="row" className="h-auto py-3 align-top font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                        {r.reason}
                      </TableHead>
                      <TableCell className="align-top text-sm whitespace-nowrap">{describeReason(r.reason)}</TableCell>
                      <TableCell className="align-top">
                        <Badge variant={r.kind === "floor" ? "destructive" : r.kind === "mode" ? "secondary" : r.kind === "audit" ? "success" : "warning"}>{r.kind}</Badge>
                      </TableCell>
                      <TableCell className="leading-relaxed">
                        <InlineText text={r.meaning} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>
          </Section>

          <Section id="client" title="TypeScript client">
            <P>
              <C>lib/client</C> is a small typed client with no dependencies beyond <C>fetch</C> (Node 20+). It sends an Idempotency-Key with every
              submission and reuses it on retries, retries <C>429</C>/<C>503</C> after <C>Retry-After</C> (bounded), throws a <C>CountersignError</C>{" "}
              carrying the problem, and checks <C>actionHash</C> for you.
            </P>
            <CodeBlock code={clientExample} language="ts" title="An agent, end to end" />
          </Section>

          <Section id="mcp" title="MCP server">
            <P>
              The same API is a Model Context Protocol server at <C>/api/mcp</C> (Streamable HTTP, stateless), for agents that run in an MCP host. It
              takes the same API keys, scopes and rate limits; routing, idempotency (a key replays the same review over REST or MCP), audit entries
              and webhooks are the REST API&apos;s. A tool that fails answers the problem the REST API would, as a tool error.
            </P>
            <CodeBlock code={mcpConfig} language="json" title="An MCP client's configuration (your Countersign's address and an API key)" />
            <ScrollTable label="MCP tools">
              <Table containerClassName="overflow-visible">
                <caption className="sr-only">MCP tools</caption>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Tool</TableHead>
                    <TableHead>Scope</TableHead>
                    <TableHead className="w-full">What it does</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {Object.entries(MCP_TOOLS).map(([name, tool]) => (
                    <TableRow key={name}>
                      <TableHead scope="row" className="h-auto py-3 font-mono text-[13px] font-semibold tracking-normal whitespace-nowrap text-foreground normal-case">
                        {name}
                      </TableHead>
                      <TableCell className="font-mono text-[13px] whitespace-nowrap">{tool.scope}</TableCell>
                      <TableCell>{tool.description.split("\n")[0]}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </ScrollTable>
          </Section>
          <IntegrationsSection />
        </div>
      </main>
    </div>
  );
}
