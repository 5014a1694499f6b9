// POST /api/queue/items/{id}/release — the item page gives its lease back when the reviewer leaves it
// (sent with navigator.sendBeacon, so it also works while the tab closes).
import { z } from "zod";
import { releaseLease } from "@/db/queries/queue";
import { problemFor, problemResponse } from "@/lib/api/problem";
import { withSession } from "@/lib/api/session-route";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return problemResponse(problemFor("not_found", "No such item."));
  return withSession("queue.work", async ({ db, scope }) => {
    await releaseLease(db, scope, id.data);
    return new Response(null, { status: 204 });
  });
}
