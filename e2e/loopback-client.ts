import { randomInt } from "node:crypto";
import http from "node:http";

/**
 * HTTP from a loopback address of the spec's own (Linux answers all of 127.0.0.0/8 on `lo`): the app
 * sees a client of its own at that address, so a spec can exhaust a per-address limit without
 * touching the 127.0.0.1 every other spec signs in from. Playwright's clients can't choose their
 * source address; node:http can.
 */
export function uniqueLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

export function requestFrom(localAddress: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, localAddress }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const cookiesOf = (answer: Answer) => (answer.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");

/**
 * One sign-in through Auth.js's credentials endpoint (CSRF token first), from `localAddress`, with any
 * extra headers (a forged X-Forwarded-For). Answers how it ended: "ok", or the refusal's code
 * ("credentials" for a wrong password, "throttled").
 */
export async function signInFrom(localAddress: string, base: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const csrf = await requestFrom(localAddress, `${base}/api/auth/csrf`, { headers });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const res = await requestFrom(localAddress, `${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { ...headers, cookie: cookiesOf(csrf), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString(),
  });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  const location = new URL(res.headers.location ?? "", base);
  return location.searchParams.has("error") ? (location.searchParams.get("code") ?? location.searchParams.get("error") ?? "error") : "ok";
}
