import { describe, expect, it } from "vitest";
import { ApproveInput, DecisionInput, defaultDirection, EditInput, MyDecisionsParams, QueueParams, RejectInput, parseQueueParams, queueQuery, rejectionReasons, type QueueParams as QueueState } from "./queue";

const id = "0b5c0a3e-8f2a-4a57-9d0e-6f1f7a1d2c3b";

/** What Next.js hands a page: the parsed query of a URL. */
function searchParamsOf(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const defaults: QueueState = { sort: "priority", page: 1, size: 25 };

describe("parseQueueParams", () => {
  it("gives the defaults for an empty URL", () => {
    expect(parseQueueParams({})).toEqual(defaults);
  });

  it("reads every field of a full URL", () => {
    const parsed = parseQueueParams(
      searchParamsOf(`taskType=refund.issue&workspace=${id}&priority=urgent&reason=rule&sla=overdue&claim=mine&age=4h&q=%2050%25%20off%20&sort=sla&dir=desc&page=3&size=100`),
    );
    expect(parsed).toEqual({ taskType: "refund.issue", workspace: id, priority: "urgent", reason: "rule", sla: "overdue", claim: "mine", age: "4h", q: "50% off", sort: "sla", dir: "desc", page: 3, size: 100 });
  });

  it("falls back field by field on junk instead of failing the page", () => {
    const parsed = parseQueueParams({
      taskType: "Refund Issue!",
      workspace: "not-a-uuid",
      priority: "critical",
      reason: "rule:big_detour",
      sla: "late",
      claim: "theirs",
      age: "2d",
      q: "x".repeat(201),
      sort: "status; drop table reviews",
      dir: "sideways",
      page: "-4",
      size: "1000",
      extra: "ignored",
    });
    expect(parsed).toEqual(defaults);
    expect(parseQueueParams({ page: "2.5", size: "abc" })).toEqual(defaults);
    expect(parseQueueParams({ page: "99999999", size: "0" })).toEqual(defaults);
    // One bad field doesn't take the good ones down with it.
    expect(parseQueueParams({ priority: "high", sort: "nope", page: "2" })).toEqual({ ...defaults, priority: "high", page: 2 });
  });

  it("takes the first of a repeated parameter and ignores empty ones", () => {
    expect(parseQueueParams(searchParamsOf("priority=low&priority=urgent&sort=age&sort=sla"))).toEqual({ ...defaults, priority: "low", sort: "age" });
    expect(parseQueueParams({ q: "", taskType: "", workspace: undefined, page: "" })).toEqual(defaults);
    expect(parseQueueParams({ q: "   " })).toEqual({ ...defaults, q: "" });
  });

  it("accepts only the page sizes the table offers", () => {
    expect(parseQueueParams({ size: "50" }).size).toBe(50);
    expect(parseQueueParams({ size: "30" }).size).toBe(25);
  });
});

describe("queueQuery", () => {
  it("leaves defaults out, so a default view is a bare path", () => {
    expect(queueQuery(defaults)).toBe("");
    expect(queueQuery({})).toBe("");
    expect(queueQuery({ ...defaults, dir: "desc" })).toBe("");
    expect(queueQuery({ sort: "sla", dir: "asc" })).toBe("?sort=sla");
    expect(queueQuery({ sort: "sla", dir: "desc" })).toBe("?sort=sla&dir=desc");
  });

  it("encodes what needs encoding", () => {
    const q = queueQuery({ q: "50% off & more", taskType: "refund.issue" });
    expect(new URLSearchParams(q.slice(1)).get("q")).toBe("50% off & more");
    expect(q).not.toContain(" ");
  });

  const states: Partial<QueueState>[] = [
    defaults,
    { ...defaults, priority: "urgent", claim: "unclaimed" },
    { ...defaults, sort: "age", dir: "asc", page: 4, size: 50 },
    { ...defaults, sort: "confidence", dir: "desc", q: "a_b %x", reason: "sampled_for_audit", sla: "due_soon", age: "24h" },
    { ...defaults, taskType: "ehr.note.write", workspace: id, sort: "amount", size: 100 },
  ];
  it.each(states)("round-trips a view through the URL: %o", (state) => {
    const url = queueQuery(state);
    const back = parseQueueParams(searchParamsOf(url.slice(1)));
    expect(back).toEqual(parseQueueParams(searchParamsOf(queueQuery(back).slice(1))));
    // Same view, except that a direction equal to the column's default reads back as unset.
    const { dir, ...rest } = back;
    const { dir: sentDir, ...sent } = state;
    expect(rest).toEqual(sent);
    expect(dir ?? defaultDirection[back.sort]).toBe(sentDir ?? defaultDirection[back.sort]);
  });
});

describe("decision inputs", () => {
  const base = { reviewId: id, version: "2", timeOnItemMs: "1500" };

  it("coerces form strings and clamps time on item", () => {
    expect(ApproveInput.parse(base)).toEqual({ reviewId: id, version: 2, timeOnItemMs: 1500 });
    expect(ApproveInput.parse({ ...base, timeOnItemMs: "soon" }).timeOnItemMs).toBe(0);
    expect(ApproveInput.parse({ ...base, timeOnItemMs: "-5" }).timeOnItemMs).toBe(0);
    expect(ApproveInput.parse({ ...base, timeOnItemMs: String(10 * 24 * 3600_000) }).timeOnItemMs).toBe(24 * 3600_000);
  });

  it("refuses a missing or malformed id and version", () => {
    expect(ApproveInput.safeParse({ ...base, reviewId: "x" }).success).toBe(false);
    expect(ApproveInput.safeParse({ ...base, version: "0" }).success).toBe(false);
    expect(ApproveInput.safeParse({ ...base, version: "1.5" }).success).toBe(false);
    expect(ApproveInput.safeParse({ reviewId: id }).success).toBe(false);
  });

  it("strips fields it doesn't name, from every schema", () => {
    const crafted = { ...base, status: "approved", decidedBy: id, organizationId: id, reviewerId: id, final: "false", outcome: "approved", reason: "other", action: "{}" };
    expect(Object.keys(ApproveInput.parse(crafted)).sort()).toEqual(["reviewId", "timeOnItemMs", "version"]);
    expect(Object.keys(RejectInput.parse(crafted)).sort()).toEqual(["reason", "reviewId", "timeOnItemMs", "version"]);
    expect(Object.keys(EditInput.parse(crafted)).sort()).toEqual(["action", "reviewId", "timeOnItemMs", "version"]);
    expect(Object.keys(DecisionInput.parse(crafted)).sort()).toEqual(["outcome", "reviewId", "timeOnItemMs", "version"]);
  });

  it("accepts only the listed rejection reasons, and trims and bounds the note", () => {
    for (const { value } of rejectionReasons) expect(RejectInput.safeParse({ ...base, reason: value }).success).toBe(true);
    expect(RejectInput.safeParse({ ...base, reason: "Other" }).success).toBe(false);
    expect(RejectInput.parse({ ...base, reason: "other", note: "  why  " }).note).toBe("why");
    expect(RejectInput.safeParse({ ...base, reason: "other", note: "x".repeat(2001) }).success).toBe(false);
  });

  it("parses an edited action from JSON text and normalizes draft line breaks", () => {
    expect(EditInput.parse({ ...base, action: '{"a":{"b":[1,2]}}', draft: "a\r\nb\rc\n" })).toMatchObject({ action: { a: { b: [1, 2] } }, draft: "a\nb\nc\n" });
    for (const action of ["[]", "1", "true", "null", "", "{"]) expect(EditInput.safeParse({ ...base, action }).success).toBe(false);
  });

  it("holds an edited action to the API's own JSON checks, as a field error on the action", () => {
    const issuesOf = (action: string) => {
      const parsed = DecisionInput.safeParse({ ...base, outcome: "edited", action });
      return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join("."), i.message]);
    };
    expect(issuesOf('{"a":1e999}')).toEqual([["action", "Numbers must be finite"]]);
    expect(issuesOf('{"a":[1,{"b":-1e400}]}')).toEqual([["action", "Numbers must be finite"]]);
    expect(issuesOf(`${'{"a":'.repeat(65)}1${"}".repeat(65)}`)).toEqual([["action", "Nest at most 64 levels deep"]]);
    expect(issuesOf(`{"a":"${"é".repeat(140 * 1024)}"}`)).toEqual([["action", "The action is limited to 256 KiB"]]);
    // At the limits: 64 levels, and an action as large as the API accepts.
    expect(issuesOf(`${'{"a":'.repeat(64)}1${"}".repeat(64)}`)).toEqual([]);
    expect(issuesOf(`{"a":"${"x".repeat(256 * 1024 - 8)}"}`)).toEqual([]);
  });
});

describe("MyDecisionsParams", () => {
  it("defaults and tolerates junk", () => {
    expect(MyDecisionsParams.parse({})).toEqual({ days: 30, page: 1 });
    expect(MyDecisionsParams.parse({ outcome: "auto_approved", taskType: "BAD KEY", days: "1000", page: "0" })).toEqual({ days: 30, page: 1 });
    expect(MyDecisionsParams.parse({ outcome: "edited", taskType: "refund.issue", days: "7", page: "2" })).toEqual({ outcome: "edited", taskType: "refund.issue", days: 7, page: 2 });
  });
});

it("keeps QueueParams and parseQueueParams in step", () => {
  expect(QueueParams.parse({})).toEqual(parseQueueParams({}));
});

describe("request changes", () => {
  const base = { reviewId: "00000000-0000-4000-8000-000000000001", version: "3", timeOnItemMs: "10", outcome: "changes_requested" };
  it("needs an instruction to the agent", () => {
    expect(DecisionInput.safeParse(base).success).toBe(false);
    expect(DecisionInput.safeParse({ ...base, instruction: "   " }).success).toBe(false);
    expect(DecisionInput.safeParse({ ...base, instruction: "x".repeat(2001) }).success).toBe(false);
  });
  it("keeps the instruction, trimmed, and drops fields it doesn't name", () => {
    const parsed = DecisionInput.parse({ ...base, instruction: "  Refund only the item  ", reason: "other", status: "approved" });
    expect(parsed).toEqual({ reviewId: base.reviewId, version: 3, timeOnItemMs: 10, outcome: "changes_requested", instruction: "Refund only the item" });
  });
});
