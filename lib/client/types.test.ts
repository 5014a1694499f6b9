import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type * as server from "@/lib/validation/reviews";
import type * as client from "./types";

// Compile-time contract between the hand-written client types and the server's zod schemas: `tsc --noEmit`
// fails when the server answers something the client's types don't describe, or accepts a submission the
// client can't express (and the other way round).
type Assignable<From, To> = [From] extends [To] ? true : false;
type Same<A, B> = [Assignable<A, B>, Assignable<B, A>] extends [true, true] ? true : false;
const contract = {
  reviewAnswered: true as Assignable<z.infer<typeof server.Review>, client.Review>,
  decisionAnswered: true as Assignable<z.infer<typeof server.Decision>, client.Decision>,
  taskTypeAnswered: true as Assignable<z.infer<typeof server.TaskTypeResource>, client.TaskType>,
  submission: true as Same<z.input<typeof server.ReviewSubmission>, client.ReviewSubmission>,
  reviewFields: true as Same<keyof z.infer<typeof server.Review>, keyof client.Review>,
  status: true as Same<z.infer<typeof server.Review>["status"], client.ReviewStatus>,
} satisfies Record<string, true>;

describe("client types", () => {
  it("match the server's schemas (checked by the type checker)", () => {
    expect(Object.values(contract).every(Boolean)).toBe(true);
  });
});
