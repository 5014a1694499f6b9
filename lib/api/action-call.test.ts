import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "@/lib/data/json-shape";
import { argumentsProblem, MAX_ACTION_ARGUMENTS, refuseMalformedActionCall } from "./action-call";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

function actionCall(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://app.test/queue", { method: "POST", body, headers: { host: "app.test", "next-action": "7f00", ...headers } });
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [name, value] of Object.entries(fields)) f.append(name, value);
  return f;
}

describe("argumentsProblem", () => {
  it("lets React's encodings through", () => {
    expect(argumentsProblem('[null,"$K1"]')).toBeNull();
    expect(argumentsProblem("[]")).toBeNull();
    expect(argumentsProblem(JSON.stringify(new Array(MAX_ACTION_ARGUMENTS).fill(null)))).toBeNull();
    expect(argumentsProblem(`[${nested(MAX_JSON_DEPTH - 1)}]`)).toBeNull();
  });

  it("refuses what React's client can't send", () => {
    expect(argumentsProblem('{"0":[null')).toMatch(/encoding React sends/);
    expect(argumentsProblem('{"0":null}')).toMatch(/encoding React sends/);
    expect(argumentsProblem(JSON.stringify(new Array(MAX_ACTION_ARGUMENTS + 1).fill(null)))).toMatch(/at most 1000 arguments/);
    expect(argumentsProblem(`[null,${nested(5000)}]`)).toMatch(/nest deeper than 64/);
  });
});

describe("refuseMalformedActionCall", () => {
  it("passes a well-formed call from the site's own pages, as text or as a form", async () => {
    expect(await refuseMalformedActionCall(actionCall('[null,"$K1"]', { origin: "http://app.test", "content-type": "text/plain;charset=UTF-8" }))).toBeNull();
    expect(await refuseMalformedActionCall(actionCall(form({ _1_reviewId: "x", 0: '[null,"$K1"]' }), { origin: "http://app.test" }))).toBeNull();
    expect(await refuseMalformedActionCall(actionCall("[]", { "content-type": "text/plain" }))).toBeNull();
  });

  it("refuses a call from another site as 403, behind a proxy too", async () => {
    const res = await refuseMalformedActionCall(actionCall("[]", { origin: "https://attacker.example", "content-type": "text/plain" }));
    expect(res?.status).toBe(403);
    expect(res?.headers.get("content-type")).toBe("application/problem+json");
    expect(await refuseMalformedActionCall(actionCall("[]", { origin: "https://app.example", "x-forwarded-host": "app.example", "content-type": "text/plain" }))).toBeNull();
    expect((await refuseMalformedActionCall(actionCall("[]", { origin: "not a url", "content-type": "text/plain" })))?.status).toBe(403);
  });

  it("refuses arguments the framework would fail on as 400", async () => {
    for (const body of ['{"0":[null', JSON.stringify(new Array(1001).fill(null)), `[null,${nested(5000)}]`]) {
      const res = await refuseMalformedActionCall(actionCall(body, { "content-type": "text/plain;charset=UTF-8" }));
      expect(res?.status, body.slice(0, 20)).toBe(400);
      expect(((await res!.json()) as { detail: string }).detail).toBeTruthy();
    }
    const res = await refuseMalformedActionCall(actionCall(form({ 0: '{"0":' })));
    expect(res?.status).toBe(400);
  });
});
