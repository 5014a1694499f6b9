"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/ui/cn";
import { LiveQueueCount } from "./live-queue-count";

/** `count` shows as a badge (e.g. items waiting); `countLabel` says what it counts, per workspace. */
export type NavLink = { href: string; label: string; count?: number; countLabel?: string };

export function NavLinks({ items }: { items: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              active ? "bg-secondary text-secondary-foreground" : "text-muted-foreground hover:bg-accent hover:text-accent-foreground",
            )}
          >
            {item.label}
            {item.count !== undefined ? <LiveQueueCount initial={item.count} label={item.countLabel} /> : null}
          </Link>
        );
      })}
    </nav>
  );
}
