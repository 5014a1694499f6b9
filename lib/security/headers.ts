/**
 * The security headers every response carries, and the Content-Security-Policy of pages and of
 * everything else. Pure: `next.config.ts` sends the fixed headers on every path (pages, API, static
 * files); `proxy.ts` sends a page's policy with a fresh nonce per request, which the framework puts on
 * its own scripts when it finds the policy on the request.
 */

/** Powerful features no page uses, refused for the app and anything it might embed. */
const REFUSED_FEATURES = [
  "accelerometer",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "serial",
  "usb",
];

/** Sent with every response, whatever its kind. */
export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  // Clickjacking: no other site may frame a page (CSP frame-ancestors says the same to newer browsers).
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: REFUSED_FEATURES.map((feature) => `${feature}=()`).join(", ") },
];

/** Sent only when the client reached the app over https; browsers ignore it on plain http anyway. */
export const STRICT_TRANSPORT_SECURITY = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };

/** The header a TLS-terminating proxy sets, matched as `next.config.ts` `has` matches (the whole value): its first hop says https. */
export const FORWARDED_HTTPS = "\\s*https\\s*(,.*)?";

/** JSON, CSV and other non-page responses: nothing in them may run, load or be framed. */
export const NON_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce per page request: 128 random bits, base64. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * A page's policy. Scripts run only with this request's nonce, or when a script holding it loads them
 * ('strict-dynamic': the framework's chunks). Styles need 'unsafe-inline': React renders `style`
 * attributes (charts, Radix popovers) and sonner inserts its stylesheet without a nonce; a nonce in
 * style-src would switch 'unsafe-inline' off. `isDev`: React's dev build reconstructs server errors with eval.
 */
export function pageContentSecurityPolicy(nonce: string, isDev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
