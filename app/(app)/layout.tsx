import { AppShell } from "@/components/shell/app-shell";
import { can, navFor } from "@/lib/security/permissions";
import { requirePageScope } from "@/lib/auth/session";
import { queueFacetsForRequest } from "./queue-facets";

// Navigation only: layouts don't re-run on client navigation, so each page checks access itself.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const scope = await requirePageScope();
  const { workspaces } = can(scope.role, "queue.work") ? await queueFacetsForRequest(scope) : { workspaces: [] };
  const waiting = workspaces.reduce((n, w) => n + w.waiting, 0);
  const perWorkspace = workspaces.map((w) => `${w.name}: ${w.waiting} waiting`).join(", ");
  return (
    <AppShell
      nav={navFor(scope.role).map(({ href, label }) => (href === "/queue" ? { href, label, count: waiting, countLabel: perWorkspace } : { href, label }))}
      organizationName={scope.organizationName}
      user={{ name: scope.name, email: scope.email, role: scope.role }}
    >
      {children}
    </AppShell>
  );
}
