import "server-only";
import type { z } from "zod";
import { AppError, fieldErrorsFrom } from "@/lib/errors";
import { MAX_JSON_BYTES } from "@/lib/data/json-shape";

export const MAX_BODY_BYTES = MAX_JSON_BYTES;

export class MalformedBody extends Error {}

/** Reads a JSON body: 415 unless JSON, 413 past the limit (declared or actual), 400 when it doesn't parse. */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new AppError("too_large", `The body is over ${maxBytes / 1024} KiB.`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AppError("too_large", `The body is over ${maxBytes / 1024} KiB.`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedBody(text.length === 0 ? "The body is empty; send a JSON object." : "The body is not valid JSON.");
  }
}

/** Parses with a shared zod schema; failures become a 422 with field-level errors. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, message = "The request has invalid fields."): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("invalid", message, { fieldErrors: fieldErrorsFrom(parsed.error.issues) });
  return parsed.data;
}
