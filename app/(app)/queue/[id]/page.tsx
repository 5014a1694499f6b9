import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { claimItem, getQueueItem, leaseMinutesOf, queuePosition } from "@/db/queries/queue";
import { ReviewItem } from "@/components/queue/review-item";
import { toReviewItemView } from "@/components/queue/review-item/view";
import { requirePageScope } from "@/lib/auth/session";
import { parseQueueParams, queueQuery } from "@/lib/validation/queue";

export const metadata: Metadata = { title: "Review item" };

/**
 * Opening an item claims it when it is free (or renews our own claim); someone else's claim opens it
 * read-only with who holds it and until when, and so does a two-person item this reviewer already
 * approved (the next approval must be someone else's). The query string is the queue view the reviewer
 * came from (filters and sort): it places the item in that view ("3 of 17") for previous/next.
 */
export default async function ReviewItemPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("queue.work");
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const viewParams = parseQueueParams(await searchParams);
  const db = getDb();
  let item = await getQueueItem(db, scope, id.data);
  if (!item) notFound();
  let claim = item.claim;
  let version = item.review.version;
  if (item.inQueue && (!claim || claim.userId === scope.userId)) {
    const taken = await claimItem(db, scope, id.data, { leaseMinutes: await leaseMinutesOf(db, scope.organizationId) });
    if (taken) {
      claim = { userId: scope.userId, name: scope.name, until: taken.leaseExpiresAt.toISOString() };
      version = taken.version;
    } else {
      // Someone claimed (or decided) it between our read and our claim: show what happened.
      item = (await getQueueItem(db, scope, id.data)) ?? notFound();
      claim = item.claim;
      version = item.review.version;
    }
  }
  const position = item.inQueue ? await queuePosition(db, scope, id.data, viewParams) : null;
  return (
    <ReviewItem
      // One instance per item: nothing typed or opened on one item (a dialog, an edit, a kept draft) carries to the next.
      key={item.review.id}
      item={toReviewItemView(item, claim, version)}
      me={{ userId: scope.userId }}
      now={new Date().toISOString()}
      position={position}
      viewQuery={queueQuery({ ...viewParams, page: 1 })}
    />
  );
}
