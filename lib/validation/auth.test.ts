import { describe, expect, it } from "vitest";
import { AcceptInviteInput, ChangeRoleInput, InviteInput, SignInInput, SignUpInput } from "./auth";

const uuid = "0b6f3f6e-3c0e-4d3a-9a57-0b1c2d3e4f50";

describe("SignInInput", () => {
  it("normalises the email", () => {
    const r = SignInInput.parse({ email: "  Admin@ACME.test ", password: "x" });
    expect(r.email).toBe("admin@acme.test");
  });

  it("names each missing or malformed field", () => {
    const r = SignInInput.safeParse({ email: "not-an-email", password: "" });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join("."));
    expect(fields).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it.each([
    ["/admin/members", "/admin/members"],
    ["/queue?x=1", "/queue?x=1"],
    ["//evil.example", undefined],
    ["https://evil.example/", undefined],
    ["/\\evil.example", undefined],
    ["/queue/x\\evil", undefined],
    ["/\t/evil.example", undefined],
    ["/\n/evil.example", undefined],
    ["/queue/0b4f?restored=1", "/queue/0b4f?restored=1"],
    [undefined, undefined],
  ])("keeps only same-site paths after sign-in: %s", (next, expected) => {
    expect(SignInInput.parse({ email: "a@b.co", password: "x", next }).next).toBe(expected);
  });

  it("refuses absurdly long passwords instead of hashing them", () => {
    expect(SignInInput.safeParse({ email: "a@b.co", password: "x".repeat(201) }).success).toBe(false);
  });
});

describe("SignUpInput", () => {
  const valid = { organizationName: "Acme", name: "Ada", email: "ada@acme.test", password: "long-enough" };

  it("accepts a complete sign-up", () => {
    expect(SignUpInput.parse(valid)).toEqual(valid);
  });

  it.each([
    ["organizationName", "A"],
    ["name", "   "],
    ["email", "ada"],
    ["password", "short"],
    ["password", "x".repeat(201)],
  ])("rejects a bad %s", (field, value) => {
    const r = SignUpInput.safeParse({ ...valid, [field]: value });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual([field]);
  });
});

describe("member management inputs", () => {
  it("accepts only the three roles", () => {
    expect(InviteInput.safeParse({ email: "a@b.co", role: "reviewer" }).success).toBe(true);
    expect(InviteInput.safeParse({ email: "a@b.co", role: "owner" }).success).toBe(false);
    expect(ChangeRoleInput.safeParse({ userId: uuid, role: "superuser" }).success).toBe(false);
  });

  it("requires a real user id", () => {
    expect(ChangeRoleInput.safeParse({ userId: "1 or 1=1", role: "admin" }).success).toBe(false);
    expect(ChangeRoleInput.safeParse({ userId: uuid, role: "admin" }).success).toBe(true);
  });

  it("requires an invite token of plausible length and a new password", () => {
    expect(AcceptInviteInput.safeParse({ token: "short", name: "A", password: "long-enough" }).success).toBe(false);
    expect(AcceptInviteInput.safeParse({ token: "t".repeat(43), name: "A", password: "long-enough" }).success).toBe(true);
  });
});
