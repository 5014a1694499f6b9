import "server-only";
import { env } from "@/lib/config/env";

/**
 * The key the audit log's chain is an HMAC under (`AUDIT_HMAC_KEY`; generated into `.data/` for the
 * embedded demo, required in production). It never reaches the database: someone who can write the
 * table can't recompute a link without it. The chainer and the verifier take it as a parameter.
 */
export function auditHmacKey(): string {
  return env().AUDIT_HMAC_KEY;
}
