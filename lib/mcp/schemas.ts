import { z } from "zod";
import { IdempotencyKey, Review, ReviewSubmission, TaskTypeResource } from "@/lib/validation/reviews";

/**
 * The MCP tools' arguments and results, built from the REST API's zod schemas so both surfaces accept
 * and answer the same thing; only the HTTP header (Idempotency-Key) and query (`?wait=`) become arguments.
 */

/**
 * Tool calls wait for a decision by default, up to 50 s: under the 60 s most MCP clients give a tool call
 * before they give up on it. Still pending then, the answer says so, with the id to keep waiting on.
 */
export const MAX_WAIT_SECONDS = 50;
export const DEFAULT_WAIT_SECONDS = 50;

const WaitSeconds = z
  .number()
  .int("Whole seconds")
  .min(0, "At least 0 seconds")
  .max(MAX_WAIT_SECONDS, `Wait at most ${MAX_WAIT_SECONDS} seconds; call get_review again to keep waiting`);

const ReviewId = z.string().min(1, "Give the review's id").max(100).meta({ description: "The review's id, as request_review answered it." });

export const RequestReviewArguments = z
  .object({
    ...ReviewSubmission.shape,
    idempotencyKey: IdempotencyKey.optional().meta({
      description:
        "A key of your choosing for this submission (e.g. your own task or step id). Retrying with the same key and the same arguments answers the first review again instead of creating a second; the same key with other arguments is refused.",
    }),
    waitSeconds: WaitSeconds.optional().meta({
      description: `How long to wait for a person's decision before answering (0–${MAX_WAIT_SECONDS}, default ${DEFAULT_WAIT_SECONDS}). Still pending after that: call get_review with the id to keep waiting.`,
    }),
  })
  .strict();

export type RequestReviewArgs = z.output<typeof RequestReviewArguments>;

export const GetReviewArguments = z
  .object({
    id: ReviewId,
    waitSeconds: WaitSeconds.optional().meta({ description: `While the review is pending, wait up to this long for the decision (0–${MAX_WAIT_SECONDS}, default ${DEFAULT_WAIT_SECONDS}; 0 answers at once). Still pending after that: call get_review again.` }),
  })
  .strict();

export const CancelReviewArguments = z.object({ id: ReviewId }).strict();

export const ListTaskTypesArguments = z.object({}).strict();

export const ReviewResult = Review;

export const TaskTypesResult = z.object({ taskTypes: z.array(TaskTypeResource) });
