// GET /api/queue/events[?review={id}|?count=1] — server-sent events for the open queue (or one item's
// page), fed by PostgreSQL LISTEN/NOTIFY so a change made on any instance reaches browsers on every
// instance. The queue stream carries only the kind of change (the page re-reads what its viewer may
// see); an item's stream, opened after a visibility check, carries that item's changes; the header's
// count stream (`count=1`) carries how many items wait in the viewer's workspaces, on connect and
// after changes.
import { z } from "zod";
import { canSeeReview, queueFacets } from "@/db/queries/queue";
import { problemFor, problemResponse } from "@/lib/api/problem";
import { withSession } from "@/lib/api/session-route";
import { onOrganizationReviewEvents } from "@/lib/notifications/review-events";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 20_000;
// Streams end after a while and the browser reconnects (re-authenticating), so a disabled member stops receiving.
const MAX_STREAM_MS = 5 * 60_000;
// A burst of changes (a batch submitted, a reviewer moving fast) is counted once.
const COUNT_DEBOUNCE_MS = 250;

export async function GET(request: Request) {
  const reviewParam = new URL(request.url).searchParams.get("review");
  const counting = reviewParam === null && new URL(request.url).searchParams.get("count") === "1";
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
        let countTimer: ReturnType<typeof setTimeout> | null = null;
        const sendCount = async () => {
          countTimer = null;
          try {
            const { workspaces } = await queueFacets(db, scope);
            send(`data: ${JSON.stringify({ type: "count", waiting: workspaces.reduce((n, w) => n + w.waiting, 0) })}\n\n`);
          } catch {
            // the next change (or reconnect) counts again
          }
        };
        const unsubscribe = await onOrganizationReviewEvents(scope.organizationId, (event) => {
          if (reviewId && event.reviewId !== reviewId) return;
          if (counting) {
            countTimer ??= setTimeout(() => void sendCount(), COUNT_DEBOUNCE_MS);
            return;
          }
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
          if (countTimer) clearTimeout(countTimer);
          unsubscribe();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        request.signal.addEventListener("abort", () => cleanup(), { once: true });
        send("retry: 3000\n: connected\n\n");
        if (counting) void sendCount();
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
