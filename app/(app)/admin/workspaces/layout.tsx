import { requirePageScope } from "@/lib/auth/session";

/**
 * Refuses before the segment's loading boundary starts streaming, so a refused request answers 403
 * (after streaming begins the status is already 200). Each page still checks for itself: layouts
 * don't re-run on client navigation.
 */
export default async function WorkspacesLayout({ children }: { children: React.ReactNode }) {
  await requirePageScope("workspaces.manage");
  return children;
}
