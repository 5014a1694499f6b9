import { requirePageScope } from "@/lib/auth/session";

/**
 * Checks the role before the loading skeleton streams, so a refused request answers 403 rather than a
 * 200 whose content turns into the forbidden page. The page checks again: layouts don't re-run on
 * client navigation.
 */
export default async function AuditLogLayout({ children }: { children: React.ReactNode }) {
  await requirePageScope("audit.view");
  return children;
}
