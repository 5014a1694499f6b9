import Link from "next/link";
import { Brand } from "@/components/shell/brand";
import { ThemeToggle } from "@/components/ui/theme-toggle";

// Public: the docs need no sign-in (the proxy only guards the app areas).
export default function DocsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-4 focus:left-4 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:ring-2 focus:ring-ring">
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-[backdrop-filter]:bg-background/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <Brand href="/docs/api" />
          <span aria-hidden className="hidden h-5 border-l sm:block" />
          <span className="hidden text-sm font-medium text-muted-foreground sm:inline">Developer docs</span>
          <nav aria-label="Docs" className="ml-auto flex items-center gap-1 sm:gap-3">
            <a href="/api/v1/openapi.json" className="rounded-md px-2 py-1 text-sm whitespace-nowrap text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
              OpenAPI<span className="hidden sm:inline"> JSON</span>
            </a>
            <Link href="/login" className="hidden rounded-md px-2 py-1 text-sm whitespace-nowrap sm:inline-block text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
              Sign in
            </Link>
            <ThemeToggle />
          </nav>
        </div>
      </header>
      <div className="flex-1">{children}</div>
    </div>
  );
}
