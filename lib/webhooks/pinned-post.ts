import "server-only";
import type { LookupAddress } from "node:dns";
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";

/**
 * The one way a webhook leaves the server. The socket connects to an address `checkWebhookTarget`
 * already judged, never to a fresh DNS answer: a name that answered a public address to the check and
 * a loopback one a moment later (DNS rebinding, TTL 0) still reaches only the checked address. The
 * request keeps the name for the Host header and for TLS (SNI and certificate verification).
 */

export type CheckedTarget = { url: URL; addresses: readonly string[] };
export type PostOutcome = { ok: true; status: number } | { ok: false; error: string };

const familyOf = (address: string): 4 | 6 => (isIP(address) === 6 ? 6 : 4);

/** Answers the socket's lookup with the checked addresses, whatever name it asks for. */
function checkedLookup(addresses: readonly string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const answers: LookupAddress[] = addresses.map((address) => ({ address, family: familyOf(address) }));
    // With `all` (Node's happy eyeballs) every checked address is a candidate; otherwise the first.
    if (options.all) callback(null, answers);
    else callback(null, answers[0].address, answers[0].family);
  };
}

const TLS_FAILURE = /CERT|TLS|SSL|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED|HOSTNAME_MISMATCH/;

/**
 * What the delivery log says about a request that got no HTTP answer: a fixed phrase per kind of
 * failure. Node's messages name the address it connected to and the receiver's own words, which a
 * tenant admin must not read from the log (that would make the sender a probe of whatever answers).
 */
function describeFailure(e: unknown): string {
  const code = String((e as { code?: unknown }).code ?? "");
  if (code === "ECONNREFUSED") return "Connection refused.";
  if (code === "ECONNRESET" || code === "EPIPE") return "Connection closed by the receiver.";
  if (code === "ETIMEDOUT") return "Connection timed out.";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL" || code === "ENETDOWN") return "Address unreachable.";
  if (code.startsWith("HPE_")) return "The receiver's answer wasn't valid HTTP.";
  if (TLS_FAILURE.test(code)) return "TLS failed: the receiver's certificate wasn't accepted.";
  return "Connection failed.";
}

/**
 * POSTs `body` to the checked target and answers its status (the response body is never read), or a
 * fixed description of the failure. Redirects are not followed (node's http never does). `timeoutMs`
 * bounds the whole exchange up to the response headers.
 */
export function postToCheckedAddress(target: CheckedTarget, init: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<PostOutcome> {
  if (target.addresses.length === 0) return Promise.resolve({ ok: false, error: "Connection failed." });
  return new Promise((resolve) => {
    let timedOut = false;
    const options: RequestOptions = {
      method: "POST",
      headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
      lookup: checkedLookup(target.addresses),
      // A fresh connection each time: a pooled socket keyed by the name could outlive this check.
      agent: false,
    };
    const request = (target.url.protocol === "https:" ? httpsRequest : httpRequest)(target.url, options);
    const timer = setTimeout(() => {
      timedOut = true;
      request.destroy();
    }, init.timeoutMs);
    request.on("response", (response) => {
      clearTimeout(timer);
      resolve({ ok: true, status: response.statusCode ?? 0 });
      // Only the status matters: close rather than read whatever the receiver sends.
      response.destroy();
    });
    request.on("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, error: timedOut ? `No response within ${init.timeoutMs / 1000} s.` : describeFailure(e) });
    });
    request.end(init.body);
  });
}
