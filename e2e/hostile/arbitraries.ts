// Generators of hostile input for e2e/hostile-input.spec.ts (issue 8, scenario 5): requests to every
// API route and arguments for every server action. Pure: everything a request needs that only exists at
// run time (keys, ids) comes in as a `HostileContext`, so one seed always gives the same mix.
import fc from "fast-check";

/** What a payload sets when it manages to run in the page. */
export const PWNED_FLAG = "__pwned";

/** Markup and script in the forms that slip past naive escaping: tags, attributes, URLs, template syntax, RSC's inline `<script>`. */
export const scriptPayloads = [
  `<script>window.${PWNED_FLAG}=1;alert("pwned")</script>`,
  `<img src=x onerror="window.${PWNED_FLAG}=1;alert('pwned')">`,
  `"><svg onload="window.${PWNED_FLAG}=1">`,
  `</script><script>window.${PWNED_FLAG}=1</script>`,
  `</title></textarea><script>window.${PWNED_FLAG}=1</script>`,
  `javascript:window.${PWNED_FLAG}=1//`,
  `<a href="javascript:window.${PWNED_FLAG}=1">click me</a>`,
  `<iframe srcdoc="<script>parent.${PWNED_FLAG}=1</script>"></iframe>`,
  `{{constructor.constructor('window.${PWNED_FLAG}=1')()}}`,
  `\${window.${PWNED_FLAG}=1}`,
  `<b data-pwned="1">bold</b>`,
  `&lt;script&gt;window.${PWNED_FLAG}=1&lt;/script&gt;`,
  `＜script＞window.${PWNED_FLAG}=1＜/script＞`,
  `<math><mtext><table><mglyph><style><img src=x onerror=window.${PWNED_FLAG}=1>`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.${PWNED_FLAG}=1">`,
  `$@1`,
  `$K1`,
];

export const sqlPayloads = [
  `' OR '1'='1`,
  `'; DROP TABLE reviews; --`,
  `1); DELETE FROM audit_log; --`,
  `' UNION SELECT hash FROM api_keys --`,
  `$$; SELECT pg_sleep(5); $$`,
  `\\'; SELECT 1; --`,
  `%' OR 1=1 --`,
  `00000000-0000-0000-0000-000000000000' OR '1'='1`,
  `'::uuid`,
  `E'\\x00'`,
];

export const unicodePayloads = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83d",
  "\u202egnp.exe",
  "\u200b\u200c\u200d\u2060",
  "\ufeff",
  "\u2028\u2029",
  "👩‍👩‍👧‍👦".repeat(12),
  "e" + "\u0301".repeat(400),
  "аdmin",
  "İıſK",
  "\u0085\u00a0\u1680",
  "\t\r\n\v\f",
  "\\u0000",
  "%00",
  "\u{10FFFF}",
  "\uFFFE\uFFFF",
];

export const oddPayloads = [
  "../../../../etc/passwd",
  "..%2F..%2F",
  "\\..\\..\\windows",
  "file:///etc/passwd",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "0x1F",
  "9007199254740993",
  "",
  " ",
  "null",
  "undefined",
  "[]",
  "{}",
];

export const allPayloads = [...scriptPayloads, ...sqlPayloads, ...unicodePayloads, ...oddPayloads];

/** Refused as callback or webhook targets, none needing a DNS lookup of an outside name (and never the e2e receiver's port). */
export const hostileUrls = [
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "file:///etc/passwd",
  "ftp://127.0.0.1/",
  "http://127.0.0.1/",
  "http://127.0.0.1:5432/",
  "http://10.0.0.1/hook",
  "http://169.254.169.254/latest/meta-data/",
  "http://[::1]/",
  "http://0x7f000001/",
  "http://2130706433/",
  "http://user:pass@127.0.0.1/",
  "https://localhost/",
  "http://127.0.0.1/" + "a".repeat(2100),
];

/** One grapheme-safe string at most `max` UTF-16 units long. */
const clip = (max: number) => (s: string) => (s.length > max ? s.slice(0, max) : s);

/** Hostile strings of every kind, short enough to pass length limits most of the time. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...allPayloads) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...allPayloads), fc.constantFrom(...allPayloads)).map(([a, b]) => a + b) },
);

/** Strings past every limit: a few KiB to well over the 256 KiB body limit. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("A", "é", "😀", "<", "\u0000", "\ud800", "'"), fc.integer({ min: 201, max: 140_000 }))
  .map(([c, n]) => c.repeat(n));

/** Any JSON value in the wrong place: scalars at their edges, strings, arrays, objects. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, 5e-324, -0, 0.1, -1, 1.5),
  hostileString,
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Object keys a careless handler trips on. */
const hostileKey = fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "$ref", "") });

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

export type HostileContext = {
  /** Keys of the attacking organization: full, read-only, revoked. */
  keys: { full: string; readOnly: string; revoked: string };
  /** The attacking organization's own pending reviews (to read, wait on, cancel). */
  ownReviewIds: readonly string[];
  /** Another organization's reviews and other ids: every use must answer as an unknown id. */
  foreignReviewIds: readonly string[];
  foreignIds: readonly string[];
  /** Task type keys already registered in the attacking organization; valid submissions use only these. */
  taskTypes: readonly string[];
};

export const priorityValues = ["low", "normal", "high", "urgent"] as const;

/** A submission that passes validation (it may still be refused for a value the database can't store). */
export function validSubmission(ctx: Pick<HostileContext, "taskTypes">): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      taskType: fc.constantFrom(...ctx.taskTypes),
      action: fc.dictionary(hostileKey, jsonish, { maxKeys: 5 }),
      draft: hostileString,
      title: hostileString.map(clip(200)).filter((s) => s.trim().length > 0),
      context: fc.dictionary(hostileKey, jsonish, { maxKeys: 4 }),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      amount: fc.record({ value: fc.double({ min: 0, max: 1e9, noNaN: true }), currency: fc.constantFrom("USD", "EUR", "JPY") }),
      attributes: fc.record({ irreversible: fc.boolean(), phi: fc.boolean(), customerFacing: fc.boolean(), flagged: fc.boolean() }, { requiredKeys: [] }),
      priority: fc.constantFrom(...priorityValues),
      externalId: hostileString.map(clip(200)).filter((s) => s.length > 0),
      expiresInSeconds: fc.integer({ min: 7 * 24 * 3600, max: 30 * 24 * 3600 }),
    },
    { requiredKeys: ["taskType", "action"] },
  );
}

const submissionFields = ["taskType", "action", "draft", "title", "context", "confidence", "amount", "attributes", "priority", "externalId", "callbackUrl", "expiresInSeconds", "revisionOf"];

/** A valid submission with one thing wrong: a field of the wrong type or out of range, a field too many or missing, a refused URL, another organization's id. */
export function brokenSubmission(ctx: HostileContext): fc.Arbitrary<Record<string, unknown>> {
  type Mutation = (s: Record<string, unknown>) => Record<string, unknown>;
  const mutation: fc.Arbitrary<Mutation> = fc.oneof<fc.Arbitrary<Mutation>[]>(
    fc.tuple(fc.constantFrom(...submissionFields), wrongValue).map(([field, value]) => (s) => ({ ...s, [field]: value })),
    fc.tuple(hostileKey.filter((k) => !submissionFields.includes(k)), wrongValue).map(([field, value]) => (s) => ({ ...s, [field]: value })),
    fc.constantFrom("taskType", "action").map((field) => (s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== field))),
    fc
      .oneof(hostileString, hugeString, fc.constantFrom("Refund.Issue", "a".repeat(101), "refund issue", "réfund", "refund/issue", "ticket.tag\u0000"))
      .map((taskType) => (s) => ({ ...s, taskType })),
    fc.oneof(hugeString, fc.constant("x".repeat(100_001))).map((draft) => (s) => ({ ...s, draft })),
    fc.constantFrom(-0.0001, 1.0000001, -1, 2, 1e308).map((confidence) => (s) => ({ ...s, confidence })),
    fc.constantFrom(0, 9, 1.5, -5, 30 * 24 * 3600 + 1, 1e20).map((expiresInSeconds) => (s) => ({ ...s, expiresInSeconds })),
    fc
      .constantFrom<unknown>({ value: -1, currency: "USD" }, { value: 1e16, currency: "USD" }, { value: 1, currency: "usd" }, { value: 1, currency: "US" }, { value: "1", currency: "USD" }, { value: 1, currency: "USD", extra: 1 }, { value: 1 })
      .map((amount) => (s) => ({ ...s, amount })),
    fc.constantFrom(...hostileUrls).map((callbackUrl) => (s) => ({ ...s, callbackUrl })),
    fc.oneof(fc.constantFrom(...ctx.foreignReviewIds, ...ctx.ownReviewIds), fc.uuid(), hostileString).map((revisionOf) => (s) => ({ ...s, revisionOf })),
    fc.constantFrom("urgent!", "URGENT", "", "critical").map((priority) => (s) => ({ ...s, priority })),
    fc.constantFrom<unknown>({ irreversible: "yes" }, { phi: 1 }, { admin: true }, []).map((attributes) => (s) => ({ ...s, attributes })),
  );
  return fc.tuple(validSubmission(ctx), mutation).map(([s, mutate]) => mutate(s));
}

/** JSON text that doesn't parse, bytes that aren't UTF-8, and encodings that aren't what the header says. */
export const malformedBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .constantFrom(
      "",
      "{",
      "}",
      '{"taskType":',
      "[1,2",
      "nul",
      "undefined",
      "NaN",
      "{'taskType':'x'}",
      '{"taskType":"x",}',
      "/* comment */ {}",
      "\u0000",
      '{"a":"\\x41"}',
      '{"a":01}',
      '{"taskType":"x" "action":{}}',
      '{"a":"\u0001"}',
      "{}}",
      "[".repeat(10) + "]".repeat(9),
    )
    .map((s) => new TextEncoder().encode(s)),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat()).map(([json, cut]) => new TextEncoder().encode(json.slice(0, cut % Math.max(1, json.length)))),
  fc.uint8Array({ minLength: 1, maxLength: 300 }),
  fc.constantFrom([0xc3, 0x28], [0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]).map((bytes) =>
    Uint8Array.from([...new TextEncoder().encode('{"taskType":"'), ...bytes, ...new TextEncoder().encode('","action":{}}')]),
  ),
  fc.constant(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"taskType":"x","action":{}}')])),
  fc.constant(Uint8Array.from(Buffer.from('{"taskType":"x","action":{}}', "utf16le"))),
);

/** Deeply nested JSON, as a whole body or inside a field that takes any JSON. */
export function deepBody(ctx: Pick<HostileContext, "taskTypes">): fc.Arbitrary<string> {
  return fc
    .record({ depth: fc.integer({ min: 50, max: 120_000 }), shape: fc.constantFrom("array", "object"), where: fc.constantFrom("root", "action", "context", "items") })
    .map(({ depth, shape, where }) => {
      const open = shape === "array" ? "[" : '{"a":';
      const close = shape === "array" ? "]" : "}";
      const nested = open.repeat(depth) + "1" + close.repeat(depth);
      const taskType = JSON.stringify(ctx.taskTypes[0]);
      if (where === "root") return nested;
      if (where === "items") return `{"items":[{"taskType":${taskType},"action":{"deep":${nested}}}]}`;
      return `{"taskType":${taskType},"action":${where === "action" ? `{"deep":${nested}}` : "{}"},"context":${where === "context" ? `{"deep":${nested}}` : "{}"}}`;
    });
}

/** Authorization headers: the real key most of the time, else missing, malformed, unknown, read-only or revoked. */
export function authorization(ctx: HostileContext): fc.Arbitrary<{ which: "full" | "read-only" | "revoked" | "bad"; header?: string }> {
  const bad = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", `bearer  ${"x".repeat(10)}`, `Bearer cs_live_${"'".repeat(40)}`, `Bearer cs_live_' OR 1=1 --${"a".repeat(30)}`, `Bearer ${"A".repeat(8000)}`),
    fc.stringMatching(/^[A-Za-z0-9_-]{32,60}$/).map((tail) => `Bearer cs_live_${tail}`),
    fc.string({ unit: "grapheme-ascii", maxLength: 80 }).map((s) => `Bearer ${s}`),
    fc.constant(`Bearer ${ctx.keys.full}x`),
    fc.constant(`Bearer ${ctx.keys.full.slice(0, -1)}`),
    fc.constant(`${ctx.keys.full}`),
  );
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant({ which: "full" as const, header: `Bearer ${ctx.keys.full}` }) },
    { weight: 1, arbitrary: fc.constant({ which: "read-only" as const, header: `Bearer ${ctx.keys.readOnly}` }) },
    { weight: 1, arbitrary: fc.constant({ which: "revoked" as const, header: `Bearer ${ctx.keys.revoked}` }) },
    { weight: 3, arbitrary: bad.map((header) => ({ which: "bad" as const, header })) },
  );
}

const contentTypes = fc.oneof(
  { weight: 10, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/problem+json",
      "application/vnd.api+json",
      "APPLICATION/JSON",
      "application/json;charset=utf-16",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      "application/json\u00ff",
      "",
      "none",
    ),
  },
);

const idempotencyKeys = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom("hostile-1", "hostile-2", "hostile-3", "hostile-4", "hostile-5") },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "has space", "x".repeat(256), "ÿ-latin1", `' OR 1=1 --`, "\t") },
);

/** An id in a path: own, another organization's, unknown, or not an id at all (already URL-safe). */
function idSegment(ctx: HostileContext, own: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    ...(own && ctx.ownReviewIds.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...ctx.ownReviewIds) }] : []),
    { weight: 3, arbitrary: fc.constantFrom(...ctx.foreignReviewIds, ...ctx.foreignIds) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "-".repeat(36),
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "gggggggg-gggg-gggg-gggg-gggggggggggg",
        "0".repeat(36),
        "%00",
        "%2e%2e",
        "%2F",
        "null",
        "undefined",
        "1",
        "-1",
        "a".repeat(5000),
        "%E2%80%AE",
        "%F0%9F%98%80",
        "%ZZ",
      ),
    },
    { weight: 2, arbitrary: hostileString.filter((s) => s.length > 0).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?"))) },
  );
}

/** A query string value, URL-encoded. */
const queryValue = fc.oneof(hostileString, fc.constantFrom("0", "1", "30", "31", "-1", "1.5", "1e309", "0x1", "abc", "", "99999999999999999999")).map((s) =>
  encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "?")),
);

export type ApiRoute =
  | "POST /api/v1/reviews"
  | "GET /api/v1/reviews"
  | "POST /api/v1/reviews/batch"
  | "GET /api/v1/reviews/{id}"
  | "POST /api/v1/reviews/{id}/cancel"
  | "GET /api/v1/task-types"
  | "GET /api/v1/openapi.json"
  | "* /api/v1/{anything}"
  | "POST /api/mcp"
  | "* /api/mcp"
  | "GET /api/queue/events"
  | "POST /api/queue/items/{id}/release"
  | "GET /api/admin/audit/export";

/** Who a session route request is sent as: the attacking organization's admin or reviewer, or nobody. */
export type SessionRole = "admin" | "reviewer" | "none";

export type HostileRequest = {
  route: ApiRoute;
  /** Which generator made it, for the summary and for reproducing a failure. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  /** Session routes only. */
  session?: SessionRole;
  /** The key the request carries, when it is one of the context's. */
  key?: "full" | "read-only" | "revoked" | "bad";
  /** An MCP tool call's name, to recognise the reviews it created. */
  tool?: string;
};

const text = (value: unknown) => JSON.stringify(value);

type BodyChoice = { kind: string; body: string | Uint8Array };

function submissionBody(ctx: HostileContext): fc.Arbitrary<BodyChoice> {
  return fc.oneof(
    { weight: 4, arbitrary: validSubmission(ctx).map((s) => ({ kind: "valid", body: text(s) })) },
    { weight: 6, arbitrary: brokenSubmission(ctx).map((s) => ({ kind: "broken-field", body: text(s) })) },
    { weight: 2, arbitrary: wrongValue.map((v) => ({ kind: "not-an-object", body: text(v) ?? "null" })) },
    { weight: 2, arbitrary: malformedBody.map((body) => ({ kind: "malformed", body })) },
    { weight: 1, arbitrary: deepBody(ctx).map((body) => ({ kind: "deep", body })) },
    { weight: 1, arbitrary: hugeString.map((s) => ({ kind: "huge", body: text({ taskType: ctx.taskTypes[0], action: { note: s }, draft: s }) })) },
    { weight: 1, arbitrary: fc.constant({ kind: "over-limit", body: text({ taskType: ctx.taskTypes[0], action: {}, draft: "x".repeat(300 * 1024) }) }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { kind: "proto", body: `{"taskType":${text(ctx.taskTypes[0])},"action":{},"__proto__":{"admin":true}}` },
        { kind: "proto", body: `{"taskType":${text(ctx.taskTypes[0])},"action":{"__proto__":{"polluted":true}},"constructor":{"prototype":{"x":1}}}` },
        { kind: "duplicate-keys", body: `{"taskType":${text(ctx.taskTypes[0])},"taskType":"Not A Key","action":{}}` },
        { kind: "lone-surrogate", body: `{"taskType":${text(ctx.taskTypes[0])},"action":{"k":"\\ud800"},"title":"\\udfff"}` },
        { kind: "nul", body: `{"taskType":${text(ctx.taskTypes[0])},"action":{"k":"\\u0000"},"title":"a\\u0000b","externalId":"\\u0000"}` },
        { kind: "big-number", body: `{"taskType":${text(ctx.taskTypes[0])},"action":{"n":1e999},"confidence":1e-999}` },
      ),
    },
  );
}

function withContentType(headers: Record<string, string>, type: string): Record<string, string> {
  return type === "none" ? headers : { ...headers, "content-type": type };
}

const keyHeaders = (auth: { header?: string }): Record<string, string> => (auth.header === undefined ? {} : { authorization: auth.header });

/** MCP JSON-RPC messages: real methods with hostile parameters, and messages that aren't JSON-RPC. */
function mcpMessage(ctx: HostileContext): fc.Arbitrary<{ kind: string; body: string | Uint8Array; tool?: string }> {
  const id = fc.oneof(fc.integer(), fc.constantFrom<unknown>("x", null, { a: 1 }, [1], 1.5, "a".repeat(1000)));
  // Waits stay at 0 (or invalid) so a pending review never holds the request open.
  const wait = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 31, "5", 1e9, null) });
  const toolCall = fc.oneof(
    fc.tuple(fc.oneof(validSubmission(ctx), brokenSubmission(ctx)), wait, idempotencyKeys).map(([s, waitSeconds, idempotencyKey]) => ({
      name: "request_review",
      arguments: { ...s, waitSeconds, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) } as Record<string, unknown>,
    })),
    fc.tuple(idSegment(ctx, true).map(decodeSafe), wait).map(([reviewId, waitSeconds]) => ({ name: "get_review", arguments: { id: reviewId, waitSeconds } as Record<string, unknown> })),
    idSegment(ctx, true)
      .map(decodeSafe)
      .map((reviewId) => ({ name: "cancel_review", arguments: { id: reviewId } as Record<string, unknown> })),
    fc.constant({ name: "list_task_types", arguments: {} as Record<string, unknown> }),
    fc.tuple(fc.constantFrom("request_review", "get_review", "cancel_review", "list_task_types"), wrongValue).map(([name, args]) => ({ name, arguments: args as Record<string, unknown> })),
    fc.tuple(hostileString, wrongValue).map(([name, args]) => ({ name, arguments: args as Record<string, unknown> })),
  );
  const rpc = (method: string, params: unknown, rpcId: unknown) => ({ jsonrpc: "2.0", id: rpcId, method, params });
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(toolCall, id).map(([call, rpcId]) => ({ kind: "tools/call", tool: call.name, body: text(rpc("tools/call", call, rpcId)) })) },
    {
      weight: 1,
      arbitrary: fc.tuple(id, wrongValue).map(([rpcId, clientInfo]) => ({
        kind: "initialize",
        body: text(rpc("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo }, rpcId)),
      })),
    },
    { weight: 1, arbitrary: id.map((rpcId) => ({ kind: "tools/list", body: text(rpc("tools/list", {}, rpcId)) })) },
    { weight: 1, arbitrary: fc.tuple(hostileString, wrongValue, id).map(([method, params, rpcId]) => ({ kind: "unknown-method", body: text(rpc(method, params, rpcId)) })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<unknown>("1.0", 2, null, undefined), id).map(([jsonrpc, rpcId]) => ({ kind: "not-jsonrpc", body: text({ jsonrpc, id: rpcId, method: "tools/list" }) })) },
    { weight: 1, arbitrary: fc.array(fc.tuple(toolCall, id), { minLength: 1, maxLength: 5 }).map((calls) => ({ kind: "batch", body: text(calls.map(([c, i]) => rpc("tools/call", c, i))) })) },
    { weight: 1, arbitrary: fc.constant({ kind: "notification", body: text({ jsonrpc: "2.0", method: "notifications/initialized" }) }) },
    { weight: 1, arbitrary: malformedBody.map((body) => ({ kind: "malformed", body })) },
    { weight: 1, arbitrary: deepBody(ctx).map((body) => ({ kind: "deep", body })) },
    { weight: 1, arbitrary: fc.constant({ kind: "over-limit", body: text(rpc("tools/call", { name: "list_task_types", arguments: { pad: "x".repeat(300 * 1024) } }, 1)) }) },
  );
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * One hostile request to one of the API routes. Bodies are bytes or text exactly as sent; headers are
 * what an attacker controls (the runner adds nothing but a session cookie where `session` asks for one).
 */
export function hostileRequest(ctx: HostileContext): fc.Arbitrary<HostileRequest> {
  const submit = fc.tuple(authorization(ctx), submissionBody(ctx), contentTypes, idempotencyKeys).map(([auth, { kind, body }, type, key]): HostileRequest => {
    const headers = withContentType(keyHeaders(auth), type);
    if (key !== undefined) headers["idempotency-key"] = key;
    return { route: "POST /api/v1/reviews", kind, method: "POST", path: "/api/v1/reviews", headers, body, key: auth.which };
  });

  const batchItem = fc.oneof(
    { weight: 3, arbitrary: validSubmission(ctx) as fc.Arbitrary<unknown> },
    { weight: 3, arbitrary: brokenSubmission(ctx) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: wrongValue },
  );
  const batchBody = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .array(fc.tuple(batchItem, idempotencyKeys, wrongValue, fc.nat(9)), { minLength: 0, maxLength: 12 })
        .map((items) => ({
          kind: "items",
          body: text({
            items: items.map(([item, key, odd, pick]) => {
              if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
              if (pick === 0) return { ...item, idempotencyKey: odd };
              return key === undefined ? item : { ...item, idempotencyKey: key };
            }),
          }),
        })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "too-many", body: text({ items: Array.from({ length: 101 }, () => ({ taskType: ctx.taskTypes[0], action: {} })) }) }) },
    { weight: 1, arbitrary: wrongValue.map((items) => ({ kind: "items-not-array", body: text({ items }) })) },
    { weight: 1, arbitrary: fc.tuple(hostileKey, wrongValue).map(([k, v]) => ({ kind: "extra-field", body: text({ items: [], [k]: v }) })) },
    { weight: 1, arbitrary: malformedBody.map((body) => ({ kind: "malformed", body })) },
    { weight: 1, arbitrary: deepBody(ctx).map((body) => ({ kind: "deep", body })) },
    { weight: 1, arbitrary: fc.constant({ kind: "over-limit", body: text({ items: [{ taskType: ctx.taskTypes[0], action: { pad: "x".repeat(300 * 1024) } }] }) }) },
  );
  const batch = fc.tuple(authorization(ctx), batchBody, contentTypes).map(
    ([auth, { kind, body }, type]): HostileRequest => ({
      route: "POST /api/v1/reviews/batch",
      kind,
      method: "POST",
      path: "/api/v1/reviews/batch",
      headers: withContentType(keyHeaders(auth), type),
      body,
      key: auth.which,
    }),
  );

  // Cursors shaped like the API's own (base64url of "<time>|<id>") with a time or an id the database can't take.
  const cursor = fc
    .constantFrom(`2026-01-01T00:00:00.000Z|${"-".repeat(36)}`, "+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000", "0001-01-01T00:00:00.000Z|' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaa", "x|y")
    .map((c) => Buffer.from(c).toString("base64url"));
  const listParams = fc.oneof(
    { weight: 5, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom("status", "taskType", "externalId", "cursor", "limit"), hostileKey.map((k) => encodeURIComponent(k.replace(/[\ud800-\udfff]/g, "?")))), queryValue, { maxKeys: 4 }) },
    { weight: 1, arbitrary: cursor.map((c) => ({ cursor: c })) },
  );
  const list = fc.tuple(authorization(ctx), listParams).map(
    ([auth, params]): HostileRequest => ({
      route: "GET /api/v1/reviews",
      kind: "query",
      method: "GET",
      path: `/api/v1/reviews?${Object.entries(params)
        .map(([k, v]) => `${k}=${v}`)
        .join("&")}`,
      headers: keyHeaders(auth),
      key: auth.which,
    }),
  );

  // A valid wait only on ids that answer at once (not found): an own pending review would hold the request.
  const ownWait = fc.constantFrom("", "wait=0", "wait=", "wait=-1", "wait=31", "wait=abc", "wait=1.5", "wait=99999999999999999999", "wait=0&extra=1");
  const anyWait = fc.oneof(ownWait, fc.constantFrom("wait=1", "wait=30", "wait=0x1", "wait=%201"), queryValue.map((v) => `wait=${v}`));
  const getOne = fc.tuple(authorization(ctx), fc.boolean()).chain(([auth, own]) =>
    fc.tuple(idSegment(ctx, own), own ? ownWait : anyWait).map(([id, query]): HostileRequest => {
      const ownId = ctx.ownReviewIds.includes(id);
      return {
        route: "GET /api/v1/reviews/{id}",
        kind: ownId ? "own-id" : ctx.foreignReviewIds.includes(id) || ctx.foreignIds.includes(id) ? "foreign-id" : "odd-id",
        method: "GET",
        path: `/api/v1/reviews/${id}${query && (!ownId || !/wait=[1-9]/.test(query)) ? `?${query}` : ""}`,
        headers: keyHeaders(auth),
        key: auth.which,
      };
    }),
  );

  const cancel = fc.tuple(authorization(ctx), idSegment(ctx, true), fc.option(fc.oneof(wrongValue.map(text), malformedBody), { nil: undefined })).map(
    ([auth, id, body]): HostileRequest => ({
      route: "POST /api/v1/reviews/{id}/cancel",
      kind: ctx.ownReviewIds.includes(id) ? "own-id" : ctx.foreignReviewIds.includes(id) || ctx.foreignIds.includes(id) ? "foreign-id" : "odd-id",
      method: "POST",
      path: `/api/v1/reviews/${id}/cancel`,
      headers: body === undefined ? keyHeaders(auth) : { ...keyHeaders(auth), "content-type": "application/json" },
      body: body as string | Uint8Array | undefined,
      key: auth.which,
    }),
  );

  const taskTypes = fc.tuple(authorization(ctx), fc.option(listParams, { nil: undefined })).map(
    ([auth, params]): HostileRequest => ({
      route: "GET /api/v1/task-types",
      kind: params ? "query" : "plain",
      method: "GET",
      path: `/api/v1/task-types${params ? `?${Object.entries(params).map(([k, v]) => `${k}=${v}`).join("&")}` : ""}`,
      headers: keyHeaders(auth),
      key: auth.which,
    }),
  );

  const openapi = fc.tuple(authorization(ctx), fc.constantFrom("", "?format=yaml", "?%00=1", `?x=${"a".repeat(4000)}`)).map(
    ([auth, query]): HostileRequest => ({ route: "GET /api/v1/openapi.json", kind: "document", method: "GET", path: `/api/v1/openapi.json${query}`, headers: keyHeaders(auth), key: auth.which }),
  );

  const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE");
  const anywhere = fc
    .tuple(
      authorization(ctx),
      methods,
      fc.oneof(
        fc.constantFrom("reviews/batch/x", "reviews/x/y/z", "Reviews", "reviews/", "task-types/x", "openapi.yaml", "admin", "..%2Fadmin%2Faudit%2Fexport", "%00", "reviews%2Fbatch"),
        fc.array(idSegment(ctx, false), { minLength: 1, maxLength: 4 }).map((segments) => segments.join("/")),
      ),
      fc.option(fc.oneof(wrongValue.map(text), malformedBody), { nil: undefined }),
    )
    .map(
      ([auth, method, rest, body]): HostileRequest => ({
        route: "* /api/v1/{anything}",
        kind: "unknown-path",
        method,
        path: `/api/v1/${rest}`,
        headers: body === undefined || method === "GET" ? keyHeaders(auth) : { ...keyHeaders(auth), "content-type": "application/json" },
        body: method === "GET" ? undefined : body,
        key: auth.which,
      }),
    );

  // Methods a route doesn't define: the route's own answer, not the framework's bare 405.
  const wrongMethod = fc
    .tuple(
      authorization(ctx),
      fc.constantFrom(
        ["PUT", "/api/v1/reviews"],
        ["DELETE", "/api/v1/reviews"],
        ["PATCH", "/api/v1/reviews/batch"],
        ["GET", "/api/v1/reviews/batch"],
        ["DELETE", `/api/v1/reviews/${ctx.ownReviewIds[0] ?? "x"}`],
        ["PUT", `/api/v1/reviews/${ctx.foreignReviewIds[0] ?? "x"}`],
        ["GET", `/api/v1/reviews/${ctx.ownReviewIds[0] ?? "x"}/cancel`],
        ["POST", "/api/v1/task-types"],
        ["DELETE", "/api/v1/openapi.json"],
      ),
    )
    .map(([auth, [method, path]]): HostileRequest => ({ route: "* /api/v1/{anything}", kind: "wrong-method", method, path, headers: keyHeaders(auth), key: auth.which }));

  const mcpHeaders = fc.oneof(
    { weight: 8, arbitrary: fc.constant({ accept: "application/json, text/event-stream", "content-type": "application/json" } as Record<string, string>) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { "content-type": "application/json" },
        { accept: "text/html", "content-type": "application/json" },
        { accept: "application/json, text/event-stream", "content-type": "text/plain" },
        { accept: "application/json, text/event-stream" },
        { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-protocol-version": "1999-01-01" },
        { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-session-id": "' OR 1=1 --" },
      ),
    },
  );
  const mcp = fc.tuple(authorization(ctx), mcpMessage(ctx), mcpHeaders).map(
    ([auth, message, headers]): HostileRequest => ({
      route: "POST /api/mcp",
      kind: message.kind,
      method: "POST",
      path: "/api/mcp",
      headers: { ...headers, ...keyHeaders(auth) },
      body: message.body,
      key: auth.which,
      tool: message.tool,
    }),
  );
  const mcpOther = fc.tuple(authorization(ctx), fc.constantFrom("GET", "DELETE", "PUT", "PATCH")).map(
    ([auth, method]): HostileRequest => ({ route: "* /api/mcp", kind: "method", method, path: "/api/mcp", headers: { accept: "text/event-stream", ...keyHeaders(auth) }, key: auth.which }),
  );

  const session = fc.constantFrom<SessionRole>("admin", "admin", "admin", "reviewer", "none");
  const events = fc.tuple(session, fc.oneof(idSegment(ctx, true), fc.constantFrom("", "&review=1&review=2"))).map(
    ([role, id]): HostileRequest => ({
      route: "GET /api/queue/events",
      kind: id === "" ? "queue-stream" : "item-stream",
      method: "GET",
      path: `/api/queue/events${id === "" ? "" : `?review=${id}`}`,
      headers: { accept: "text/event-stream" },
      session: role,
    }),
  );
  const release = fc.tuple(session, idSegment(ctx, true), fc.option(fc.oneof(wrongValue.map(text), malformedBody), { nil: undefined })).map(
    ([role, id, body]): HostileRequest => ({
      route: "POST /api/queue/items/{id}/release",
      kind: ctx.ownReviewIds.includes(id) ? "own-id" : "other-id",
      method: "POST",
      path: `/api/queue/items/${id}/release`,
      headers: body === undefined ? {} : { "content-type": "text/plain" },
      body,
      session: role,
    }),
  );
  const auditParams = fc.dictionary(
    fc.oneof(fc.constantFrom("actor", "action", "targetType", "targetId", "from", "to", "before", "after"), hostileKey.map((k) => encodeURIComponent(k.replace(/[\ud800-\udfff]/g, "?")))),
    fc.oneof(
      queryValue,
      fc.constantFrom(
        `user:${"-".repeat(36)}`,
        `key:${"0".repeat(36)}`,
        "user:00000000-0000-0000-0000-000000000000",
        "system",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "9999-12-31",
        "review.",
        "%00",
        "a%00b",
        "' OR 1=1 --",
      ),
      fc.constantFrom(...ctx.foreignIds, ...ctx.foreignReviewIds).map((id) => `key:${id}`),
    ),
    { maxKeys: 5 },
  );
  const auditExport = fc.tuple(session, auditParams).map(
    ([role, params]): HostileRequest => ({
      route: "GET /api/admin/audit/export",
      kind: "filters",
      method: "GET",
      path: `/api/admin/audit/export?${Object.entries(params)
        .map(([k, v]) => `${k}=${v}`)
        .join("&")}`,
      headers: {},
      session: role,
    }),
  );

  return fc.oneof(
    { weight: 30, arbitrary: submit },
    { weight: 12, arbitrary: batch },
    { weight: 8, arbitrary: list },
    { weight: 10, arbitrary: getOne },
    { weight: 8, arbitrary: cancel },
    { weight: 3, arbitrary: taskTypes },
    { weight: 2, arbitrary: openapi },
    { weight: 4, arbitrary: anywhere },
    { weight: 2, arbitrary: wrongMethod },
    { weight: 12, arbitrary: mcp },
    { weight: 2, arbitrary: mcpOther },
    { weight: 2, arbitrary: events },
    { weight: 3, arbitrary: release },
    { weight: 4, arbitrary: auditExport },
  );
}

/** Form field names the actions read, and some they don't. */
export const actionFieldNames = [
  "id",
  "name",
  "email",
  "password",
  "organizationName",
  "token",
  "next",
  "role",
  "roles",
  "userId",
  "userIds",
  "inviteId",
  "status",
  "workspaceId",
  "workspaceIds",
  "taskTypeKey",
  "key",
  "mode",
  "reason",
  "justification",
  "note",
  "outcome",
  "action",
  "draft",
  "version",
  "reviewId",
  "timeOnItemMs",
  "from",
  "scopes",
  "url",
  "events",
  "description",
  "enabled",
  "deliveryId",
  "archived",
  "leaseMinutes",
  "autoRegisterTaskTypes",
  "autoStepDown",
  "confidenceThreshold",
  "amountLimit",
  "amountCurrency",
  "auditSampleRate",
  "defaultExpiryMinutes",
  "slaMinutes",
  "dataClass",
  "reversible",
  "customerFacing",
  "twoPersonRule",
  "twoPersonAmount",
  "exceptionRules",
  "readinessOverrides",
  "targetAcceptancePercent",
  "minDecisions",
  "minDays",
  "days",
  "fast",
  "$ACTION_ID_x",
  "__proto__",
];

/** Values for form fields: hostile strings, ids of another organization, refused URLs, numbers at their edges, JSON in strings. */
export function actionFieldValue(ctx: Pick<HostileContext, "foreignIds" | "foreignReviewIds">): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 3, arbitrary: fc.constantFrom(...ctx.foreignIds, ...ctx.foreignReviewIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...hostileUrls) },
    { weight: 1, arbitrary: fc.constantFrom("admin", "reviewer", "manager", "owner", "approved", "edited", "rejected", "flag_on_exception", "true", "false", "on", "-1", "1e309", "NaN") },
    { weight: 1, arbitrary: wrongValue.map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: hugeString.map(clip(200_000)) },
  );
}

/** A form as an action receives it: up to a dozen fields, some repeated. */
export function actionForm(ctx: Pick<HostileContext, "foreignIds" | "foreignReviewIds">): fc.Arbitrary<[string, string][]> {
  return fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...actionFieldNames) }, { weight: 1, arbitrary: hostileString }), actionFieldValue(ctx)), { maxLength: 12 });
}
