import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/data/canonical-json";

/**
 * The hex SHA-256 of an action's RFC 8785 canonical JSON — what the server stores as
 * `decision.actionHash`. Key order and whitespace don't matter; any changed value does.
 */
export function actionHashOf(action: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(action), "utf8").digest("hex");
}

/** True when `action` is exactly the one whose hash the decision carries. */
export function matchesActionHash(action: Record<string, unknown>, actionHash: string): boolean {
  return actionHashOf(action) === actionHash.toLowerCase();
}
