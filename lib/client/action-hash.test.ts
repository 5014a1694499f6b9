import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { actionHashOf, matchesActionHash } from "./action-hash";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("actionHashOf", () => {
  it("is the hex SHA-256 of the RFC 8785 canonical JSON", () => {
    expect(actionHashOf({ orderId: "A-1", amount: 42.5, meta: { b: [1, 2], a: null } })).toBe(sha256('{"amount":42.5,"meta":{"a":null,"b":[1,2]},"orderId":"A-1"}'));
  });

  it("ignores key order and hashes non-ASCII text as UTF-8", () => {
    expect(actionHashOf({ to: "zoë@example.com", subject: "Re: €10" })).toBe(actionHashOf({ subject: "Re: €10", to: "zoë@example.com" }));
    expect(actionHashOf({ note: "é" })).toBe(sha256('{"note":"é"}'));
  });

  it("changes with any value", () => {
    expect(actionHashOf({ amount: 40 })).not.toBe(actionHashOf({ amount: 40.01 }));
  });
});

describe("matchesActionHash", () => {
  it("accepts the hash in either case and refuses another action", () => {
    const hash = actionHashOf({ amount: 40 });
    expect(matchesActionHash({ amount: 40 }, hash)).toBe(true);
    expect(matchesActionHash({ amount: 40 }, hash.toUpperCase())).toBe(true);
    expect(matchesActionHash({ amount: 41 }, hash)).toBe(false);
  });
});
