import { problemFor, problemResponse } from "@/lib/api/problem";
import { jsonShape, MAX_JSON_DEPTH } from "@/lib/data/json-shape";

/**
 * Server action calls the framework would answer with a bare 500 before any action runs, refused in
 * the proxy as what they are: a call from another site (403), or arguments React's client can't have
 * sent — not its encoding, over the framework's 1,000 arguments, nested deeper than the decoder's
 * stack allows (400). Well-formed calls pass untouched; the actions still authenticate, authorize and
 * validate themselves.
 */

/** The framework refuses longer argument lists. */
export const MAX_ACTION_ARGUMENTS = 1000;

/** What is wrong with an argument list as React encodes it (JSON text), or null. */
export function argumentsProblem(text: string): string | null {
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return "The action's arguments aren't in the encoding React sends.";
  }
  if (!Array.isArray(args)) return "The action's arguments aren't in the encoding React sends.";
  if (args.length > MAX_ACTION_ARGUMENTS) return `An action takes at most ${MAX_ACTION_ARGUMENTS} arguments.`;
  // The same bound as the API's JSON: far deeper than any form or value the actions take.
  if (jsonShape(args).depth > MAX_JSON_DEPTH) return `The action's arguments nest deeper than ${MAX_JSON_DEPTH} levels.`;
  return null;
}

/** The host the request was sent to, as the framework compares it with Origin. */
function requestHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host")?.split(",")[0].trim() || headers.get("host");
}

/** A problem+json refusal for a server action call that could not have come from this app's pages, or null to let it through. */
export async function refuseMalformedActionCall(request: Request): Promise<Response | null> {
  const origin = request.headers.get("origin");
  if (origin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      // an Origin that isn't a URL is no origin of ours
    }
    if (originHost !== requestHost(request.headers)) return problemResponse(problemFor("forbidden", "Actions can only be called from this site's own pages."));
  }
  const type = request.headers.get("content-type") ?? "";
  let args: string | null = null;
  if (type.startsWith("multipart/form-data")) {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    if (!form) return problemResponse(problemFor("malformed", "The action's form data can't be read."));
    const first = form.get("0");
    args = typeof first === "string" ? first : null;
  } else if (type.startsWith("text/plain")) {
    args = await request.clone().text();
  }
  const problem = args === null ? null : argumentsProblem(args);
  return problem ? problemResponse(problemFor("malformed", problem)) : null;
}
