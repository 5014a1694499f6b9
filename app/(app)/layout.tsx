import { AppShell } from "@/components/shell/app-shell";
import { navFor } from "@/lib/auth/permissions";
import { requirePageScope } from "@/lib/auth/session";

// Navigation only: layouts don't re-run on client navigation, so each page checks access itself.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const scope = await requirePageScope();
  return (
    <AppShell
      nav={navFor(scope.role).map(({ href, label }) => ({ href, label }))}
      organizationName={scope.organizationName}
      user={{ name: scope.name, email: scope.email, role: scope.role }}
    >
      {children}
    </AppShell>
  );
}
