// GET /api/queue/events[?review={id}] — server-sent events for the open queue (or one item's page), fed
// by PostgreSQL LISTEN/NOTIFY so a change made on any instance reaches browsers on every instance.
// The queue stream carries only the kind of change (the page re-reads what its viewer may see); an
// item's stream, opened after a visibility check, carries that item's changes.
import { z } from "zod";
import { canSeeReview } from "@/db/queries/queue";
import { problemFor, problemResponse } from "@/lib/api/problem";
import { withSession } from "@/lib/api/session-route";
import { onOrganizationReviewEvents } from "@/lib/notifications/review-events";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 20_000;
// Streams end after a while and the browser reconnects (re-authenticating), so a disabled member stops receiving.
const MAX_STREAM_MS = 5 * 60_000;

export async function GET(request: Request) {
  const reviewParam = new URL(request.url).searchParams.get("review");
  const review = reviewParam === null ? null : z.uuid().safeParse(reviewParam);
  if (review && !review.success) return problemResponse(problemFor("not_found", "No such item."));
  return withSession("queue.work", async ({ db, scope }) => {
    const reviewId = review?.data ?? null;
    if (reviewId && !(await canSeeReview(db, scope, reviewId))) return problemResponse(problemFor("not_found", "No such item."));
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (chunk: string) => {
          try {
            controller.enqueue(encoder.encode(chunk));
          } catch {
            cleanup();
          }
        };
        const unsubscribe = await onOrganizationReviewEvents(scope.organizationId, (event) => {
          if (reviewId && event.reviewId !== reviewId) return;
          send(`data: ${JSON.stringify(reviewId ? { type: event.type, status: event.status, reviewId } : { type: event.type })}\n\n`);
        });
        const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
        const end = setTimeout(() => cleanup(), MAX_STREAM_MS);
        let closed = false;
        cleanup = () => {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          clearTimeout(end);
          unsubscribe();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        request.signal.addEventListener("abort", () => cleanup(), { once: true });
        send("retry: 3000\n: connected\n\n");
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
    });
  });
}
