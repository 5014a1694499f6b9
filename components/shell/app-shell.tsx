import { Brand } from "./brand";
import { MobileNav } from "./mobile-nav";
import { NavLinks, type NavLink } from "./nav-links";
import { UserMenu } from "./user-menu";

type AppShellProps = {
  nav: NavLink[];
  organizationName: string;
  user: { name: string; email: string; role: string };
  children: React.ReactNode;
};

export function AppShell({ nav, organizationName, user, children }: AppShellProps) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:ring-2 focus:ring-ring">
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-4 sm:px-6 md:gap-4">
          <MobileNav items={nav} organizationName={organizationName} />
          <Brand />
          <span className="hidden border-l pl-4 text-sm text-muted-foreground md:inline" title="Organization">
            {organizationName}
          </span>
          <span aria-hidden className="hidden h-5 border-l md:block" />
          <div className="max-md:hidden">
            <NavLinks items={nav} />
          </div>
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <UserMenu user={user} organizationName={organizationName} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
