/**
 * The authorization matrix: who gets what from every page, route handler and server action.
 * e2e/authorization-matrix.spec.ts makes each call over HTTP against the running app as each actor and
 * fails on any cell that differs, and on any page, route method or server action missing from here.
 *
 * Actors (the columns, in this order):
 *   out        signed out: no cookie, no key
 *   rev        reviewer@acme.test — reviewer of both demo workspaces
 *   clin       clinician@acme.test — reviewer of the Clinical workspace only
 *   mgr        manager@acme.test
 *   adm        admin@acme.test
 *   oAdm       the admin of a second organization the spec signs up ("admin of another organization")
 *   kR         a demo-organization API key with reviews:read only
 *   kW         a demo-organization API key with reviews:write only
 *   kRW        the seeded demo key: reviews:read and reviews:write
 *   kRev       a demo-organization key with both scopes, revoked
 *   oKey       the second organization's key with both scopes
 *   kA         a demo-organization API key with audit:read only
 * A key is sent as `Authorization: Bearer`; a person as their session cookie. Nobody sends both.
 *
 * Outcomes:
 *   200 401 403 404 405 409 422 …   the HTTP status
 *   404*       the not-found page under a 200 status: the page streams behind its loading state, so the
 *              status is sent before the lookup (no data either way)
 *   →/path     a redirect to that path (query left out); →/login from an app page is the proxy's
 *   ok         a server action ran and answered { ok: true }
 *   forbidden | unauthorized | invalid | not_found | conflict
 *              a server action answered { ok: false, code } — `forbidden` is refusal by role; `invalid`,
 *              `not_found` and `conflict` come after the role check passed (scopedAction checks the
 *              session and the role before it parses anything)
 *   —          not called (the row says why)
 * MCP rows answer with the status of the tool's result: 200, or the problem's status of a tool error.
 *
 * Placeholders in URLs and action fields are ids looked up at run time:
 *   {demo.x}     the demo organization's object
 *   {other.x}    the second organization's object
 *   {foreign.x}  an object of an organization the caller does not belong to: the second organization's for
 *                everyone in the demo organization and its keys, the demo organization's for the second
 *                organization's admin and key
 *   {own.x}      the caller's own organization's object
 * Server actions that name an object always name a foreign one, so an admin's call proves the role
 * check passed (`not_found`, not `forbidden`) and that the object is out of reach, and a correct app
 * changes nothing in either organization; a few rows mix an own object with a foreign one (an own
 * member into a foreign workspace), the likeliest way for a check to be missed. Actions that name no
 * object get arguments that fail validation (`invalid`) unless they only read.
 */

export const actors = ["out", "rev", "clin", "mgr", "adm", "oAdm", "kR", "kW", "kRW", "kRev", "oKey", "kA"] as const;
export type Actor = (typeof actors)[number];

type O = string;
/** One expected outcome per actor, in the order of `actors`. */
export type Cells = readonly [O, O, O, O, O, O, O, O, O, O, O, O];

export type PageRow = { page: string; url: string; expect: Cells; note?: string };

export type RouteRequest = {
  method: string;
  url: string;
  json?: unknown;
  form?: Record<string, string>;
  /** A JSON-RPC request to the MCP endpoint; the outcome is the tool's. */
  mcp?: { method: string; params?: Record<string, unknown> };
  /** Server-sent events: the status decides; the stream is closed at once. */
  stream?: boolean;
};
export type RouteRow = { route: string; request: RouteRequest; expect: Cells; note?: string };

export type ActionRow = {
  action: string;
  fields: Record<string, string | string[]>;
  expect: Cells;
  /** The call claims an item; the spec gives it back at once so no other test finds it taken. */
  releasesClaim?: boolean;
  note?: string;
};

const L = "→/login";

export const pages: PageRow[] = [
  //                                                                         out       rev          clin         mgr             adm        oAdm       kR     kW     kRW    kRev   oKey   kA
  { page: "/",                         url: "/",                       expect: [L,        "→/queue",   "→/queue",   "→/analytics",  "→/admin", "→/admin", L,     L,     L,     L,     L, L] },
  { page: "/login",                    url: "/login",                  expect: ["200",    "→/queue",   "→/queue",   "→/analytics",  "→/admin", "→/admin", "200", "200", "200", "200", "200", "200"] },
  { page: "/signup",                   url: "/signup",                 expect: ["200",    "200",       "200",       "200",          "200",     "200",     "200", "200", "200", "200", "200", "200"] },
  { page: "/invite/[token]",           url: "/invite/{other.inviteToken}", expect: ["200", "200",    "200",       "200",          "200",     "200",     "200", "200", "200", "200", "200", "200"] },
  { page: "/docs/api",                 url: "/docs/api",               expect: ["200",    "200",       "200",       "200",          "200",     "200",     "200", "200", "200", "200", "200", "200"] },
  { page: "/queue",                    url: "/queue",                  expect: [L,        "200",       "200",       "200",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/queue/mine",               url: "/queue/mine",             expect: [L,        "200",       "200",       "200",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/queue/[id]",               url: "/queue/{demo.review}",    expect: [L,        "200",       "404*",      "200",          "200",     "404*",    L,     L,     L,     L,     L, L],
    note: "a refund.issue item: the Customer operations workspace, which the clinician is not a member of" },
  { page: "/analytics",                url: "/analytics",              expect: [L,        "403",       "403",       "200",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/analytics/[key]",          url: "/analytics/{demo.taskType}", expect: [L,     "403",       "403",       "200",          "200",     "404",     L,     L,     L,     L,     L, L] },
  { page: "/admin",                    url: "/admin",                  expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/api-keys",           url: "/admin/api-keys",         expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/audit",              url: "/admin/audit",            expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/members",            url: "/admin/members",          expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/members/[userId]",   url: "/admin/members/{demo.adminUser}", expect: [L, "403",      "403",       "403",          "200",     "404*",    L,     L,     L,     L,     L, L] },
  { page: "/admin/settings",           url: "/admin/settings",         expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/task-types",         url: "/admin/task-types",       expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/task-types/[key]",   url: "/admin/task-types/{demo.taskType}", expect: [L, "403",    "403",       "403",          "200",     "404*",    L,     L,     L,     L,     L, L] },
  { page: "/admin/webhooks",           url: "/admin/webhooks",         expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/webhooks/[id]",      url: "/admin/webhooks/{demo.endpoint}", expect: [L, "403",      "403",       "403",          "200",     "404",     L,     L,     L,     L,     L, L] },
  { page: "/admin/workspaces",         url: "/admin/workspaces",       expect: [L,        "403",       "403",       "403",          "200",     "200",     L,     L,     L,     L,     L, L] },
  { page: "/admin/workspaces/[id]",    url: "/admin/workspaces/{demo.workspace}", expect: [L, "403",   "403",       "403",          "200",     "404*",    L,     L,     L,     L,     L, L] },
];

const mcpTool = (name: string, args: Record<string, unknown>): RouteRequest => ({ method: "POST", url: "/api/mcp", mcp: { method: "tools/call", params: { name, arguments: args } } });
/** A well-formed id that names nothing in any organization. */
export const unknownId = "00000000-0000-4000-8000-000000000000";

export const routes: RouteRow[] = [
  //                                                                                                       out    rev    clin   mgr    adm    oAdm   kR     kW     kRW    kRev   oKey   kA
  { route: "GET /api/admin/audit/export", request: { method: "GET", url: "/api/admin/audit/export" }, expect: ["401", "403", "403", "403", "200", "200", "401", "401", "401", "401", "401", "401"],
    note: "the second organization's admin gets its own log, never the demo's" },
  { route: "GET /api/auth/[...nextauth]", request: { method: "GET", url: "/api/auth/session" },      expect: ["200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200"] },
  { route: "POST /api/auth/[...nextauth]", request: { method: "POST", url: "/api/auth/callback/credentials", form: { email: "admin@acme.test", password: "countersign" } },
    expect: ["→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login", "→/login"],
    note: "without the CSRF token nobody is signed in" },
  { route: "GET /api/health", request: { method: "GET", url: "/api/health" },                         expect: ["200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200"] },
  { route: "POST /api/mcp", request: { method: "POST", url: "/api/mcp", mcp: { method: "tools/list" } }, expect: ["401", "401", "401", "401", "401", "401", "200", "200", "200", "401", "200", "200"] },
  { route: "POST /api/mcp", request: mcpTool("list_task_types", {}),                                  expect: ["401", "401", "401", "401", "401", "401", "200", "403", "200", "401", "200", "403"] },
  { route: "POST /api/mcp", request: mcpTool("get_review", { id: "{demo.review}" }),                  expect: ["401", "401", "401", "401", "401", "401", "200", "403", "200", "401", "404", "403"] },
  { route: "POST /api/mcp", request: mcpTool("request_review", { taskType: "{own.taskType}", action: { orderId: "authz" }, priority: "low", revisionOf: unknownId, waitSeconds: 0 }),
    expect: ["401", "401", "401", "401", "401", "401", "403", "422", "422", "401", "422", "403"],
    note: "revises an item that doesn't exist, so an allowed key is refused after its scope check and nothing is submitted (an existing task type: an unknown one would be registered first)" },
  { route: "POST /api/mcp", request: mcpTool("cancel_review", { id: "{demo.decidedReview}" }),         expect: ["401", "401", "401", "401", "401", "401", "403", "409", "409", "401", "404", "403"] },
  { route: "GET /api/mcp", request: { method: "GET", url: "/api/mcp" },                               expect: ["401", "401", "401", "401", "401", "401", "405", "405", "405", "401", "405", "405"] },
  { route: "DELETE /api/mcp", request: { method: "DELETE", url: "/api/mcp" },                         expect: ["401", "401", "401", "401", "401", "401", "405", "405", "405", "401", "405", "405"] },
  { route: "GET /api/queue/events", request: { method: "GET", url: "/api/queue/events", stream: true }, expect: ["401", "200", "200", "200", "200", "200", "401", "401", "401", "401", "401", "401"] },
  { route: "GET /api/queue/events", request: { method: "GET", url: "/api/queue/events?review={demo.review}", stream: true },
    expect: ["401", "200", "404", "200", "200", "404", "401", "401", "401", "401", "401", "401"] },
  { route: "POST /api/queue/items/[id]/release", request: { method: "POST", url: "/api/queue/items/{demo.review}/release" },
    expect: ["401", "204", "204", "204", "204", "204", "401", "401", "401", "401", "401", "401"],
    note: "gives back the caller's own lease only; on an item they can't see (clin, oAdm) it finds nothing to give back" },
  { route: "GET /api/v1/[...rest]", request: { method: "GET", url: "/api/v1/no-such-endpoint" },       expect: ["404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404"] },
  { route: "POST /api/v1/[...rest]", request: { method: "POST", url: "/api/v1/no-such-endpoint", json: {} }, expect: ["404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404"] },
  { route: "PUT /api/v1/[...rest]", request: { method: "PUT", url: "/api/v1/no-such-endpoint", json: {} }, expect: ["404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404"] },
  { route: "PATCH /api/v1/[...rest]", request: { method: "PATCH", url: "/api/v1/no-such-endpoint", json: {} }, expect: ["404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404"] },
  { route: "DELETE /api/v1/[...rest]", request: { method: "DELETE", url: "/api/v1/no-such-endpoint" }, expect: ["404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404", "404"] },
  { route: "GET /api/v1/audit/head", request: { method: "GET", url: "/api/v1/audit/head" },            expect: ["401", "401", "401", "401", "401", "401", "403", "403", "403", "401", "403", "200"],
    note: "the key's own organization's chain head: only audit:read reads it" },
  { route: "GET /api/v1/openapi.json", request: { method: "GET", url: "/api/v1/openapi.json" },       expect: ["200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200"] },
  { route: "POST /api/v1/reviews/[id]/cancel", request: { method: "POST", url: "/api/v1/reviews/{demo.decidedReview}/cancel" },
    expect: ["401", "401", "401", "401", "401", "401", "403", "409", "409", "401", "404", "403"],
    note: "an item decided long ago: an allowed key gets 409, another organization's key the same 404 as an unknown id" },
  { route: "GET /api/v1/reviews/[id]", request: { method: "GET", url: "/api/v1/reviews/{demo.review}" }, expect: ["401", "401", "401", "401", "401", "401", "200", "403", "200", "401", "404", "403"] },
  { route: "POST /api/v1/reviews/batch", request: { method: "POST", url: "/api/v1/reviews/batch", json: { items: [] } },
    expect: ["401", "401", "401", "401", "401", "401", "403", "422", "422", "401", "422", "403"] },
  { route: "POST /api/v1/reviews", request: { method: "POST", url: "/api/v1/reviews", json: {} },    expect: ["401", "401", "401", "401", "401", "401", "403", "422", "422", "401", "422", "403"] },
  { route: "POST /api/v1/reviews", request: { method: "POST", url: "/api/v1/reviews", json: { taskType: "{own.taskType}", action: { orderId: "authz" }, priority: "low", revisionOf: "{foreign.review}" } },
    expect: ["401", "401", "401", "401", "401", "401", "403", "422", "422", "401", "422", "403"],
    note: "a revision of another organization's item: the same 422 as for an unknown id, and nothing is submitted" },
  { route: "GET /api/v1/reviews", request: { method: "GET", url: "/api/v1/reviews?limit=5" },         expect: ["401", "401", "401", "401", "401", "401", "200", "403", "200", "401", "200", "403"] },
  { route: "GET /api/v1/task-types", request: { method: "GET", url: "/api/v1/task-types" },           expect: ["401", "401", "401", "401", "401", "401", "200", "403", "200", "401", "200", "403"] },
  { route: "PUT /api/mcp", request: { method: "PUT", url: "/api/mcp" },                               expect: ["401", "401", "401", "401", "401", "401", "405", "405", "405", "401", "405", "405"] },
  { route: "PATCH /api/mcp", request: { method: "PATCH", url: "/api/mcp" },                           expect: ["401", "401", "401", "401", "401", "401", "405", "405", "405", "401", "405", "405"] },
  // The methods a v1 route doesn't serve: a problem+json 405 for everyone, before any key is read.
  ...notServed("/api/v1/audit/head", "/api/v1/audit/head", "POST", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/openapi.json", "/api/v1/openapi.json", "POST", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/reviews", "/api/v1/reviews", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/reviews/[id]", "/api/v1/reviews/{demo.review}", "POST", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/reviews/[id]/cancel", "/api/v1/reviews/{demo.review}/cancel", "GET", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/reviews/batch", "/api/v1/reviews/batch", "GET", "PUT", "PATCH", "DELETE"),
  ...notServed("/api/v1/task-types", "/api/v1/task-types", "POST", "PUT", "PATCH", "DELETE"),
];

function notServed(route: string, url: string, ...methods: string[]): RouteRow[] {
  const no = "405";
  return methods.map((method) => ({ route: `${method} ${route}`, request: { method, url }, expect: [no, no, no, no, no, no, no, no, no, no, no, no] }));
}

const F = "forbidden";
const NF = "not_found";
const INV = "invalid";

/** A task type form that parses, naming a foreign task type and workspace: only the organization check can refuse it. */
const taskTypeForm = {
  key: "{foreign.taskType}",
  version: "2026-01-01T00:00:00.000Z",
  name: "Authorization probe",
  workspaceId: "{foreign.workspace}",
  mode: "approve_before_action",
  reversible: "reversible",
  dataClass: "none",
  confidenceThreshold: "0.9",
  auditSamplePercent: "1",
  slaMinutes: "60",
  exceptionRules: "[]",
};

export const actions: ActionRow[] = [
  //                                                                                                                           out  rev         clin        mgr         adm         oAdm        kR kW kRW kRev oKey kA
  // lib/actions/queue.ts — reviewers and up
  { action: "nextItemAction",       fields: { from: "{foreign.review}" },                                             expect: [L, "ok",       "ok",       "ok",       "ok",       "ok",       L, L, L, L, L, L], releasesClaim: true,
    note: "claims the next item of the caller's own workspaces (given back at once); `from`, a foreign item, is not released" },
  { action: "renewLeaseAction",     fields: { reviewId: "{foreign.review}", version: "1" },                           expect: [L, "conflict", "conflict", "conflict", "conflict", "conflict", L, L, L, L, L, L],
    note: "a foreign item is never held by the caller: the same answer as a lost lease" },
  { action: "decideAction",         fields: { outcome: "approved", reviewId: "{foreign.review}", version: "1", timeOnItemMs: "0" }, expect: [L, NF, NF,     NF,         NF,         NF,         L, L, L, L, L, L] },
  { action: "decideAction",         fields: { outcome: "rejected", reason: "other", reviewId: "{demo.review}", version: "1", timeOnItemMs: "0" }, expect: [L, "—", NF, "—",   "—",        NF,         L, L, L, L, L, L],
    note: "the demo item of the page rows, outside the clinician's workspaces; not called as those who may decide it (queue.spec decides items)" },
  // lib/actions/analytics.ts
  { action: "changeModeAction",     fields: { taskTypeKey: "{foreign.taskType}", direction: "rollback" },             expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setAutoStepDownAction", fields: { enabled: "sometimes" },                                                expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  // lib/actions/api-keys.ts
  { action: "createApiKeyAction",   fields: { name: "", scopes: ["reviews:read"] },                                   expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  { action: "revokeApiKeyAction",   fields: { id: "{foreign.apiKey}" },                                               expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  // lib/actions/audit.ts
  { action: "verifyAuditAction",    fields: {},                                                                       expect: [L, F,          F,          F,          "ok",       "ok",       L, L, L, L, L, L],
    note: "reads only: each admin verifies their own organization's chain" },
  // lib/actions/auth.ts — public; invalid input, so nobody is signed in, signed up or throttled
  { action: "signInAction",         fields: { email: "not-an-email", password: "x" },                                 expect: [INV, INV,      INV,        INV,        INV,        INV,        INV, INV, INV, INV, INV, INV] },
  { action: "signUpAction",         fields: { organizationName: "", name: "", email: "not-an-email", password: "short" }, expect: [INV, INV,  INV,        INV,        INV,        INV,        INV, INV, INV, INV, INV, INV] },
  { action: "acceptInviteAction",   fields: { token: "short", name: "", password: "short" },                          expect: [INV, INV,      INV,        INV,        INV,        INV,        INV, INV, INV, INV, INV, INV] },
  { action: "signOutAction",        fields: {},                                                                       expect: [L, "—",        "—",        "—",        "—",        "—",        L, L, L, L, L, L],
    note: "ends every session of whoever calls it: not called with a person's session, which other specs share (sessions.spec signs its own people out)" },
  // lib/actions/members.ts
  { action: "changeMemberRoleAction", fields: { userId: "{foreign.adminUser}", role: "admin" },                       expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setMemberStatusAction", fields: { userId: "{foreign.adminUser}", status: "active" },                     expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "createInviteAction",   fields: { email: "not-an-email", role: "reviewer" },                              expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  { action: "revokeInviteAction",   fields: { inviteId: "{foreign.invite}" },                                         expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L],
    note: "the demo organization has no invite: the second organization's admin names an unknown id" },
  { action: "changeMemberRolesAction", fields: { userIds: ["{foreign.adminUser}"], role: "admin" },                   expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setMemberWorkspacesAction", fields: { userId: "{foreign.adminUser}", workspaceIds: ["{foreign.workspace}"] }, expect: [L, F,  F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setMemberWorkspacesAction", fields: { userId: "{own.adminUser}", workspaceIds: ["{foreign.workspace}"] }, expect: [L, F,      F,          F,          NF,         NF,         L, L, L, L, L, L],
    note: "an own member into a foreign workspace" },
  // lib/actions/settings.ts
  { action: "saveOrganizationSettingsAction", fields: { leaseMinutes: "forever" },                                    expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  // lib/actions/task-types.ts
  { action: "saveTaskTypeAction",   fields: taskTypeForm,                                                             expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "previewRoutingAction", fields: { ...taskTypeForm, previewReviewId: "{foreign.review}" },                 expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "previewRoutingAction", fields: { ...taskTypeForm, key: "{own.taskType}", workspaceId: "{own.workspace}", previewReviewId: "{foreign.review}" }, expect: [L, F, F, F, NF,  NF,         L, L, L, L, L, L],
    note: "an own task type tried against a foreign item" },
  // lib/actions/webhooks.ts
  { action: "revealWebhookSecretAction", fields: {},                                                                  expect: [L, F,          F,          F,          "ok",       "ok",       L, L, L, L, L, L],
    note: "reads only: each admin sees their own organization's secret" },
  { action: "rotateWebhookSecretAction", fields: {},                                                                  expect: [L, F,          F,          F,          "—",        "ok",       L, L, L, L, L, L],
    note: "takes no input, so an allowed call rotates: not called as the demo admin (webhooks.spec, running alongside, verifies the demo secret); the second organization's admin rotates their own" },
  { action: "createWebhookEndpointAction", fields: { url: "not a url", events: ["review.expired"] },                  expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  { action: "updateWebhookEndpointAction", fields: { id: "{foreign.endpoint}", description: "probe", events: ["review.expired"] }, expect: [L, F, F,       F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setWebhookEndpointEnabledAction", fields: { id: "{foreign.endpoint}", enabled: "false" },                expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "deleteWebhookEndpointAction", fields: { id: "{foreign.endpoint}" },                                      expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "rotateWebhookEndpointSecretAction", fields: { id: "{foreign.endpoint}" },                                expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "sendWebhookEndpointTestAction", fields: { id: "{foreign.endpoint}" },                                    expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "retryWebhookDeliveryAction", fields: { id: unknownId },                                                  expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L],
    note: "no delivery exists in either organization when the matrix runs: an unknown id" },
  // lib/actions/workspaces.ts
  { action: "createWorkspaceAction", fields: { name: "x" },                                                           expect: [L, F,          F,          F,          INV,        INV,        L, L, L, L, L, L] },
  { action: "renameWorkspaceAction", fields: { workspaceId: "{foreign.workspace}", name: "Renamed by the matrix" },   expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "setWorkspaceArchivedAction", fields: { workspaceId: "{foreign.workspace}", archived: "false" },          expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "addWorkspaceMemberAction", fields: { workspaceId: "{foreign.workspace}", userId: "{foreign.adminUser}" }, expect: [L, F,         F,          F,          NF,         NF,         L, L, L, L, L, L] },
  { action: "addWorkspaceMemberAction", fields: { workspaceId: "{own.workspace}", userId: "{foreign.adminUser}" },   expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L],
    note: "a foreign person into an own workspace" },
  { action: "addWorkspaceMemberAction", fields: { workspaceId: "{foreign.workspace}", userId: "{own.adminUser}" },   expect: [L, F,          F,          F,          NF,         NF,         L, L, L, L, L, L],
    note: "an own member into a foreign workspace" },
  { action: "removeWorkspaceMemberAction", fields: { workspaceId: "{foreign.workspace}", userId: "{foreign.adminUser}" }, expect: [L, F,      F,          F,          NF,         NF,         L, L, L, L, L, L] },
];
