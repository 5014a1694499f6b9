"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Menu } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/ui/cn";
import type { NavLink } from "./nav-links";

/** The main navigation on a narrow screen: one menu button (arrow keys, Enter and Esc work as in any menu). */
export function MobileNav({ items, organizationName }: { items: NavLink[]; organizationName: string }) {
  const pathname = usePathname();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Menu">
          <Menu aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-60">
        <DropdownMenuLabel className="truncate text-xs font-normal text-muted-foreground">{organizationName}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {items.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <DropdownMenuItem key={item.href} asChild>
              <Link href={item.href} aria-current={active ? "page" : undefined} className={cn(active && "font-medium")}>
                {item.label}
                {item.count !== undefined ? (
                  <span className="ml-auto rounded-full bg-primary px-1.5 py-0.5 text-[10px] font-semibold text-primary-foreground tabular-nums" title={item.countLabel}>
                    {item.count}
                    {item.countLabel ? <span className="sr-only"> ({item.countLabel})</span> : null}
                  </span>
                ) : null}
              </Link>
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
