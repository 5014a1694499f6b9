import { actions, actors, pages, routes, unknownId, type Actor, type ActionRow, type Cells, type PageRow, type RouteRequest, type RouteRow } from "./authorization/matrix";
import { builtActions, pagePatterns, routeMethods, serverActionNames, type ActionEntry } from "./authorization/inventory";
import { DEMO_API_KEY, DEMO_PASSWORD, demo, expect, test, uniqueEmail } from "./fixtures";

/**
 * Issue 8, scenario 6: every page, route handler and server action, called over HTTP as every actor,
 * against the table in e2e/authorization/matrix.ts. Calls go through fetch with no cookie jar, so a
 * call that signs out (or in) changes nothing for the calls after it.
 */

const run = `${Date.now().toString(36)}-${process.pid}`;

test("the table lists every page, route handler method and server action", () => {
  const listed = (rows: { key: string }[]) => [...new Set(rows.map((r) => r.key))].sort();
  expect(listed(pages.map((r) => ({ key: r.page }))), "pages in app/ vs rows of `pages`").toEqual(pagePatterns());
  expect(listed(routes.map((r) => ({ key: r.route }))), "route methods in app/ vs rows of `routes`").toEqual(routeMethods());
  expect(listed(actions.map((r) => ({ key: r.action }))), '"use server" exports vs rows of `actions`').toEqual(serverActionNames());
  // Inline "use server" functions would be in the build only.
  expect([...builtActions().keys()].sort(), "server actions in the build vs rows of `actions`").toEqual(listed(actions.map((r) => ({ key: r.action }))));
});

type Credentials = { cookie?: string; bearer?: string };
type Objects = Record<string, string>;
type World = { base: string; who: Record<Actor, Credentials>; demo: Objects; other: Objects; built: Map<string, ActionEntry>; marker: string };

/** `name=value` pairs from a response's Set-Cookie headers, as one Cookie header with what was sent before. */
function withCookies(previous: string | undefined, res: Response): string {
  const jar = new Map((previous ?? "").split("; ").filter(Boolean).map((c) => c.split(/=(.*)/s).slice(0, 2) as [string, string]));
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const [name, value] = pair.split(/=(.*)/s);
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join("; ");
}

/** Auth.js credentials sign-in over HTTP: the session cookie, or a failed test. */
async function signIn(base: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookie = withCookies(undefined, csrf);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
  });
  expect(res.status, `sign-in of ${email}`).toBe(302);
  expect(res.headers.get("location") ?? "", `sign-in of ${email} was refused`).not.toContain("error=");
  cookie = withCookies(cookie, res);
  expect(cookie, `session cookie for ${email}`).toContain("session-token");
  return cookie;
}

function headersOf(c: Credentials): Record<string, string> {
  return { ...(c.cookie ? { cookie: c.cookie } : {}), ...(c.bearer ? { authorization: `Bearer ${c.bearer}` } : {}) };
}

const BOUNDARY = "----countersignauthz";

/**
 * A server action `(prevState, formData)` called the way React's encodeReply sends it: multipart, the
 * form's fields as parts `_1_<name>` (repeated for a list), then the argument list `[null,"$K1"]` in
 * part `0` (prevState null, then FormData 1).
 */
function actionBody(fields: Record<string, string | string[]>): string {
  const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const parts = Object.entries(fields).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => part(`_1_${name}`, v)));
  return `${parts.join("")}${part("0", '[null,"$K1"]')}--${BOUNDARY}--\r\n`;
}

type ActionAnswer = { outcome: string; data?: Record<string, unknown>; body: string };

/** The action's result from the RSC answer (`1:{"ok":…}`), a redirect as →path, anything else as its HTTP status. */
async function callAction(world: World, name: string, fields: Record<string, string | string[]>, c: Credentials): Promise<ActionAnswer> {
  const entry = world.built.get(name);
  if (!entry) throw new Error(`${name} is not in the build's server-reference-manifest.json`);
  const page = (entry.pages.find((p) => !p.includes("[")) ?? entry.pages[0]).replace(/\[[^\]]+\]/g, unknownId);
  const res = await fetch(`${world.base}${page}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headersOf(c), "next-action": entry.id, accept: "text/x-component", "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: actionBody(fields),
  });
  const body = await res.text();
  const redirect = res.headers.get("x-action-redirect") ?? (res.status >= 300 && res.status < 400 ? res.headers.get("location") : null);
  if (redirect) return { outcome: `→${new URL(redirect.split(";")[0], world.base).pathname}`, body };
  for (const line of body.split("\n")) {
    const json = /^[0-9a-f]+:(\{.*\})$/.exec(line)?.[1];
    if (!json) continue;
    const value = JSON.parse(json) as { ok?: unknown; code?: string; data?: Record<string, unknown> };
    if (value.ok === true) return { outcome: "ok", data: value.data, body };
    if (value.ok === false) return { outcome: value.code ?? "ok:false", body };
  }
  return { outcome: `HTTP ${res.status}`, body };
}

/** Calls an action that must succeed (setting the stage), and answers its data. */
async function must(world: World, name: string, fields: Record<string, string | string[]>, c: Credentials): Promise<Record<string, unknown>> {
  const answer = await callAction(world, name, fields, c);
  expect(answer.outcome, `${name}: ${answer.body.slice(0, 400)}`).toBe("ok");
  return answer.data ?? {};
}

async function api(world: World, method: string, url: string, bearer: string, json?: unknown) {
  const res = await fetch(`${world.base}${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${url}: ${res.status} ${text.slice(0, 300)}`).toBe(true);
  return JSON.parse(text) as Record<string, unknown>;
}

async function html(world: World, url: string, c: Credentials): Promise<string> {
  const res = await fetch(`${world.base}${url}`, { headers: headersOf(c), redirect: "manual" });
  expect(res.status, url).toBe(200);
  return res.text();
}

const uuidIn = (text: string, pattern: RegExp, what: string): string => {
  const id = pattern.exec(text)?.[1];
  if (!id) throw new Error(`no ${what} found`);
  return id;
};

/** The user id of whoever created the organization, from the audit log's CSV export. */
async function organizationCreator(world: World, c: Credentials): Promise<string> {
  const res = await fetch(`${world.base}/api/admin/audit/export?action=organization.created`, { headers: headersOf(c) });
  const csv = await res.text();
  expect(res.status, csv.slice(0, 300)).toBe(200);
  return uuidIn(csv.split("\r\n")[1] ?? "", /,user,([0-9a-f-]{36}),/, "organization creator in the audit export");
}

/**
 * The cast and the props: demo sessions, a second organization signed up over HTTP, demo keys with one
 * scope each and a revoked one (made through the admin's own server actions), and one object of each
 * kind in both organizations for the rows to name.
 */
async function setUp(base: string): Promise<World> {
  const marker = `authz-matrix ${run}`;
  const world: World = { base, who: {} as World["who"], demo: {}, other: {}, built: builtActions(), marker };
  const [rev, clin, mgr, adm] = await Promise.all([demo.reviewer, demo.clinician, demo.manager, demo.admin].map((email) => signIn(base, email)));

  // The second organization, signed up through its own action, then signed in like everyone else.
  const otherEmail = uniqueEmail("authz-other");
  const otherPassword = "authz-matrix-password";
  const signUp = await callAction(world, "signUpAction", { organizationName: `Authz other ${run}`, name: "Other Admin", email: otherEmail, password: otherPassword }, {});
  expect(signUp.outcome, signUp.body.slice(0, 400)).toMatch(/^→/);
  const oAdm = await signIn(base, otherEmail, otherPassword);

  const admin = { cookie: adm };
  const otherAdmin = { cookie: oAdm };
  const key = async (c: Credentials, name: string, scopes: string[]) => (await must(world, "createApiKeyAction", { name: `${name} ${run}`, scopes }, c)) as { id: string; key: string };
  const [kR, kW, kRev, oKey, kA] = await Promise.all([
    key(admin, "Authz read-only", ["reviews:read"]),
    key(admin, "Authz write-only", ["reviews:write"]),
    key(admin, "Authz revoked", ["reviews:read", "reviews:write"]),
    key(otherAdmin, "Authz other", ["reviews:read", "reviews:write"]),
    key(admin, "Authz audit anchor", ["audit:read"]),
  ]);
  await must(world, "revokeApiKeyAction", { id: kRev.id }, admin);

  world.who = {
    out: {},
    rev: { cookie: rev },
    clin: { cookie: clin },
    mgr: { cookie: mgr },
    adm: admin,
    oAdm: otherAdmin,
    kR: { bearer: kR.key },
    kW: { bearer: kW.key },
    kRW: { bearer: DEMO_API_KEY },
    kRev: { bearer: kRev.key },
    oKey: { bearer: oKey.key },
    kA: { bearer: kA.key },
  };

  // One webhook endpoint in each organization; the demo's is disabled at once so nothing is ever sent to it.
  const endpoint = async (c: Credentials) => (await must(world, "createWebhookEndpointAction", { url: `http://127.0.0.1:3199/authz-${run}`, description: "", events: ["review.expired"] }, c)).id as string;
  const [demoEndpoint, otherEndpoint] = await Promise.all([endpoint(admin), endpoint(otherAdmin)]);
  await must(world, "setWebhookEndpointEnabledAction", { id: demoEndpoint, enabled: "false" }, admin);

  const invite = await must(world, "createInviteAction", { email: uniqueEmail("authz-invitee"), role: "reviewer" }, otherAdmin);
  const otherTaskType = `authz.probe.${run.replace(/[^a-z0-9]/g, "")}`;
  // Low priority with a unique title, so "next item" in specs running alongside never takes it; cancelled at the end.
  const demoReview = await api(world, "POST", "/api/v1/reviews", DEMO_API_KEY, {
    taskType: "refund.issue",
    title: marker,
    action: { orderId: `AUTHZ-${run}`, amount: 1 },
    amount: { value: 1, currency: "USD" },
    priority: "low",
  });
  const otherReview = await api(world, "POST", "/api/v1/reviews", oKey.key, { taskType: otherTaskType, title: "Other organization's item", action: { n: 1 }, priority: "low" });
  const decided = (await api(world, "GET", "/api/v1/reviews?status=approved&limit=1", DEMO_API_KEY)) as { data: { id: string }[] };

  const workspaceLink = /href="\/admin\/workspaces\/([0-9a-f-]{36})"/;
  world.demo = {
    review: demoReview.id as string,
    decidedReview: decided.data[0].id,
    workspace: uuidIn(await html(world, "/admin/workspaces", admin), workspaceLink, "demo workspace"),
    adminUser: await organizationCreator(world, admin),
    taskType: "refund.issue",
    endpoint: demoEndpoint,
    apiKey: kR.id,
    invite: unknownId,
  };
  world.other = {
    review: otherReview.id as string,
    workspace: uuidIn(await html(world, "/admin/workspaces", otherAdmin), workspaceLink, "second organization's workspace"),
    adminUser: await organizationCreator(world, otherAdmin),
    taskType: otherTaskType,
    endpoint: otherEndpoint,
    apiKey: oKey.id,
    invite: uuidIn(await html(world, "/admin/members", otherAdmin), /name="inviteId" value="([0-9a-f-]{36})"/, "second organization's invite"),
    inviteToken: (invite.path as string).split("/").pop() ?? "",
  };
  return world;
}

/** Replaces `{demo.x}`, `{other.x}`, `{own.x}` and `{foreign.x}` (own and foreign as seen from the actor). */
function resolve(world: World, actor: Actor, text: string): string {
  const inOther = actor === "oAdm" || actor === "oKey";
  return text.replace(/\{(demo|other|own|foreign)\.(\w+)\}/g, (_, org: string, name: string) => {
    const objects = { demo: world.demo, other: world.other, own: inOther ? world.other : world.demo, foreign: inOther ? world.demo : world.other }[org] ?? {};
    const value = objects[name];
    if (value === undefined) throw new Error(`no ${org}.${name} for the matrix`);
    return value;
  });
}

function resolveDeep<T>(world: World, actor: Actor, value: T): T {
  return JSON.parse(resolve(world, actor, JSON.stringify(value))) as T;
}

async function probePage(world: World, row: PageRow, actor: Actor): Promise<{ outcome: string; body: string }> {
  const res = await fetch(`${world.base}${resolve(world, actor, row.url)}`, { headers: headersOf(world.who[actor]), redirect: "manual" });
  const body = await res.text();
  if (res.status >= 300 && res.status < 400) return { outcome: `→${new URL(res.headers.get("location") ?? "", world.base).pathname}`, body };
  // Behind a loading state the status is sent first; a later notFound() or forbidden() leaves its digest.
  const fallback = /NEXT_HTTP_ERROR_FALLBACK;(\d{3})/.exec(body)?.[1];
  return { outcome: res.status === 200 && fallback ? `${fallback}*` : String(res.status), body };
}

async function probeRoute(world: World, row: RouteRow, actor: Actor): Promise<{ outcome: string; body: string }> {
  const r: RouteRequest = resolveDeep(world, actor, row.request);
  const headers: Record<string, string> = headersOf(world.who[actor]);
  let body: string | URLSearchParams | undefined;
  if (r.mcp) {
    headers["content-type"] = "application/json";
    headers.accept = "application/json, text/event-stream";
    body = JSON.stringify({ jsonrpc: "2.0", id: 1, ...r.mcp });
  } else if (r.form) {
    body = new URLSearchParams(r.form);
  } else if (r.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(r.json);
  }
  const abort = new AbortController();
  const res = await fetch(`${world.base}${r.url}`, { method: r.method, headers, body, redirect: "manual", signal: abort.signal });
  if (r.stream) {
    abort.abort();
    return { outcome: String(res.status), body: "" };
  }
  const text = await res.text();
  if (res.status >= 300 && res.status < 400) return { outcome: `→${new URL(res.headers.get("location") ?? "", world.base).pathname}`, body: text };
  if (r.mcp && res.status === 200) {
    const answer = JSON.parse(text) as { result?: { isError?: boolean; content?: { text?: string }[] }; error?: { message: string } };
    if (answer.error) return { outcome: `rpc error: ${answer.error.message}`, body: text };
    if (!answer.result?.isError) return { outcome: "200", body: text };
    const status = /\((\d{3})\)/.exec(answer.result.content?.[0]?.text ?? "")?.[1];
    return { outcome: status ?? `tool error: ${text.slice(0, 120)}`, body: text };
  }
  return { outcome: String(res.status), body: text };
}

async function probeAction(world: World, row: ActionRow, actor: Actor): Promise<{ outcome: string; body: string }> {
  const answer = await callAction(world, row.action, resolveDeep(world, actor, row.fields), world.who[actor]);
  const claimed = answer.data?.id;
  if (row.releasesClaim && answer.outcome === "ok" && typeof claimed === "string") {
    const res = await fetch(`${world.base}/api/queue/items/${claimed}/release`, { method: "POST", headers: headersOf(world.who[actor]) });
    expect(res.status, `giving back ${claimed}`).toBe(204);
  }
  return answer;
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping their order in the result. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Outcomes that hand out what was asked for; every other one is a refusal. */
const allowed = new Set(["200", "204", "ok"]);

type Probe = { label: string; expect: Cells; call: (actor: Actor) => Promise<{ outcome: string; body: string }> };

function table(probes: Probe[], actual: string[][]): string {
  const width = Math.max(...probes.map((p) => p.label.length));
  const lines = [`${"".padEnd(width)}  ${actors.map((a) => a.padEnd(10)).join(" ")}`];
  probes.forEach((p, i) => lines.push(`${p.label.padEnd(width)}  ${actual[i].map((o) => o.padEnd(10)).join(" ")}`));
  return lines.join("\n");
}

test("every page, route and server action answers each actor as the table says", async ({ baseURL }) => {
  test.setTimeout(150_000);
  const world = await setUp(baseURL ?? "");
  const probes: Probe[] = [
    ...pages.map((row) => ({ label: `page ${row.url}`, expect: row.expect, call: (a: Actor) => probePage(world, row, a) })),
    ...routes.map((row) => ({ label: `${row.request.method} ${row.request.url}${row.request.mcp ? ` ${JSON.stringify(row.request.mcp.params?.name ?? row.request.mcp.method)}` : ""}`, expect: row.expect, call: (a: Actor) => probeRoute(world, row, a) })),
    ...actions.map((row) => ({ label: `action ${row.action}`, expect: row.expect, call: (a: Actor) => probeAction(world, row, a) })),
  ];
  // Rows that call the same thing with other arguments are told apart by their place among them.
  const seen = new Map<string, number>();
  for (const probe of probes) {
    const n = (seen.get(probe.label) ?? 0) + 1;
    seen.set(probe.label, n);
    if (n > 1) probe.label = `${probe.label} #${n}`;
  }
  const leaks: string[] = [];
  try {
    const actual = await pool(probes, 4, async (probe) => {
      const row: string[] = [];
      for (const [i, actor] of actors.entries()) {
        if (probe.expect[i] === "—") {
          row.push("—");
          continue;
        }
        const { outcome, body } = await probe.call(actor);
        row.push(outcome);
        // A refusal never carries data, not even the title of the demo item the rows name; nothing the
        // second organization is answered carries the demo organization's item or name.
        const otherOrganization = actor === "oAdm" || actor === "oKey";
        if ((otherOrganization || !allowed.has(probe.expect[i])) && body.includes(world.marker)) leaks.push(`${probe.label} as ${actor}: the demo item's title`);
        if (otherOrganization && body.includes("Acme Health")) leaks.push(`${probe.label} as ${actor}: the demo organization's name`);
      }
      return row;
    });
    const differences = probes.flatMap((probe, i) =>
      actors.flatMap((actor, j) => (probe.expect[j] === actual[i][j] ? [] : [`${probe.label} as ${actor}: expected ${probe.expect[j]}, got ${actual[i][j]}`])),
    );
    // `leaks`: answers that carried what they should not.
    expect({ differences, leaks }, `actual matrix:\n${table(probes, actual)}`).toEqual({ differences: [], leaks: [] });
  } finally {
    await fetch(`${world.base}/api/v1/reviews/${world.demo.review}/cancel`, { method: "POST", headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
  }
});
