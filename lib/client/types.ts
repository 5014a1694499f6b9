import type { z } from "zod";
import type {
  Decision as DecisionSchema,
  ListReviewsQuery as ListReviewsQuerySchema,
  Review as ReviewSchema,
  ReviewSubmission as ReviewSubmissionSchema,
  TaskTypeResource as TaskTypeSchema,
} from "@/lib/validation/reviews";

/**
 * The client's types, derived from the zod schemas the server validates with — type-only imports, so
 * the client carries no runtime dependency on zod.
 */

/** What an agent sends to `POST /reviews` (the schema's input side: optional fields may be left out). */
export type ReviewSubmission = z.input<typeof ReviewSubmissionSchema>;
/** A review as the API answers it. */
export type Review = z.infer<typeof ReviewSchema>;
export type ReviewStatus = Review["status"];
export type Mode = Review["mode"];
/** A review's decision, present once it is decided. */
export type Decision = z.infer<typeof DecisionSchema>;
export type Outcome = Decision["outcome"];
export type TaskType = z.infer<typeof TaskTypeSchema>;
export type ListReviewsQuery = Partial<z.infer<typeof ListReviewsQuerySchema>>;
export type ReviewPage = { data: Review[]; nextCursor: string | null };

/** One item of `POST /reviews/batch`: a submission with, optionally, its own Idempotency-Key. */
export type BatchItem = ReviewSubmission & { idempotencyKey?: string };

/** RFC 9457 problem details, as every error answer carries them. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  /** Messages per field, keyed by its dotted path. */
  errors?: Record<string, string[]>;
};

/** One result of a batch, in the order the items were sent: a review (201) or a problem. */
export type BatchResult = { index: number; status: number; review?: Review; problem?: Problem };

/** Events about one review; a per-item `callbackUrl` receives the last three, org endpoints what they subscribe to. */
export type ReviewEventType = "review.created" | "review.decided" | "review.expired" | "review.cancelled";

/** The body of a webhook delivery: `{ type, timestamp, data }`. */
export type WebhookEvent =
  | { type: ReviewEventType; timestamp: string; data: { review: Review } }
  | { type: "task_type.mode_changed"; timestamp: string; data: Record<string, unknown> };
