import { readFileSync } from "node:fs";
import path from "node:path";
import { CodeBlock } from "@/components/docs/code-block";
import type { TocItem } from "@/components/docs/toc";

/**
 * /docs/api › Integrations: one example per framework. Each is a real file that e2e/clients.spec.ts runs
 * against the app (clients/examples/*.mjs with a scripted model, clients/python/examples via unittest),
 * read here as it is, so the docs show what the tests run.
 */

const examples = [
  {
    id: "integration-ai-sdk",
    label: "Vercel AI SDK",
    file: "clients/examples/ai-sdk.mjs",
    language: "ts" as const,
    intro: (
      <>
        <C>countersignTools</C> wraps tools&apos; <C>execute</C>: a call runs only once it is approved, with the approved — possibly edited — arguments;
        a rejection, a changes request, an expiry or a cancellation is the tool&apos;s result, so the model reads the reviewer&apos;s reason. For the
        SDK&apos;s own approval parts, also pass <C>toolApproval: countersignToolApproval(countersign, mappings)</C>: both answer the same review.
      </>
    ),
  },
  {
    id: "integration-openai-agents",
    label: "OpenAI Agents SDK",
    file: "clients/examples/openai-agents.mjs",
    language: "ts" as const,
    intro: (
      <>
        Mark gated tools <C>needsApproval: true</C>; <C>runWithCountersign</C> submits each interruption, waits, approves or rejects it on the run state
        (the reviewer&apos;s reason is the rejection message) and resumes. The SDK can&apos;t run a tool with edited arguments: an edit reaches the model
        as the rejection message naming the approved arguments, and its next call with exactly those is approved at once, with no second review.
      </>
    ),
  },
  {
    id: "integration-langgraph",
    label: "LangGraph.js",
    file: "clients/examples/langgraph.mjs",
    language: "ts" as const,
    intro: (
      <>
        In a node, <C>interrupt(approvalRequest(name, args, mapping))</C>; around the graph (with a checkpointer), <C>resumeWithApproval</C> turns the
        interrupt into a review and resumes the thread with <C>new Command({"{ resume }"})</C> carrying the decision and the (edited) action.
      </>
    ),
  },
  {
    id: "integration-python",
    label: "Python",
    file: "clients/python/examples/refund_agent.py",
    language: "text" as const,
    intro: (
      <>
        <C>clients/python</C> is standard library only (Python 3.9+): <C>Countersign(url, api_key)</C>, <C>request_review</C>, <C>wait_for_decision</C>,{" "}
        <C>cancel</C>, <C>verify_webhook</C>, and <C>@requires_approval</C>, which runs the function with the approved arguments or raises{" "}
        <C>ReviewRejected</C> with the reason.
      </>
    ),
  },
];

export const integrationsToc: TocItem = { id: "integrations", label: "Integrations", children: examples.map(({ id, label }) => ({ id, label })) };

function C({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em] text-foreground">{children}</code>;
}

const prose = "max-w-3xl text-[15px] leading-relaxed text-pretty";

export function IntegrationsSection() {
  return (
    <section id="integrations" aria-labelledby="integrations-title" className="scroll-mt-20 border-t pt-10">
      <h2 id="integrations-title" className="mb-4 text-2xl font-semibold tracking-tight">
        Integrations
      </h2>
      <div className="flex flex-col gap-5">
        <p className={prose}>
          <C>@countersign/client</C> gates an agent framework&apos;s tool calls with one wrapper and a mapping per tool (by default the task type is the
          tool&apos;s name and the action is its arguments). Every adapter uses <C>requestApproval</C>: it submits with an Idempotency-Key derived from
          the framework&apos;s call id (a retried step never creates a second review), long-polls past the 30 s cap until your deadline or{" "}
          <C>AbortSignal</C>, and answers <C>{"{ approved: true, action, actionHash }"}</C> (hash verified) or{" "}
          <C>{"{ approved: false, reason, outcome }"}</C>. Auto-approved items proceed at once. Build the package with <C>npm run client:pack</C> and
          install the tarball it writes under <C>dist/</C>; the frameworks are optional peer dependencies.
        </p>
        {examples.map((example) => (
          <div key={example.id} className="flex flex-col gap-3">
            <h3 id={example.id} className="mt-2 scroll-mt-20 text-lg font-semibold tracking-tight">
              {example.label}
            </h3>
            <p className={prose}>{example.intro}</p>
            <CodeBlock code={readFileSync(path.join(process.cwd(), example.file), "utf8").trimEnd()} language={example.language} title={example.file} />
          </div>
        ))}
      </div>
    </section>
  );
}
