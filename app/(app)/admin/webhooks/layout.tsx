import { requirePageScope } from "@/lib/auth/session";

/**
 * Checks the role before the pages' loading states start streaming, so a refusal answers with a real
 * 403 status rather than a 200 that shows the forbidden page. Each page checks again on its own. (The
 * list's loading state lives in the `(list)` group so that it doesn't wrap the endpoint page, whose
 * layout must answer an unknown id with a 404 status before anything streams.)
 */
export default async function WebhooksLayout({ children }: { children: React.ReactNode }) {
  await requirePageScope("webhooks.manage");
  return children;
}
