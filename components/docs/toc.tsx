"use client";

import * as React from "react";
import { cn } from "@/lib/ui/cn";

export type TocItem = { id: string; label: string; children?: TocItem[] };

const flatten = (items: TocItem[]): string[] => items.flatMap((i) => [i.id, ...flatten(i.children ?? [])]);

/** The section nearest above the top of the viewport: the one being read. */
function useActiveId(ids: string[]): string | undefined {
  const [active, setActive] = React.useState<string | undefined>(undefined);
  React.useEffect(() => {
    const elements = ids.map((id) => document.getElementById(id)).filter((el): el is HTMLElement => el !== null);
    if (elements.length === 0) return;
    const update = () => {
      let current = elements[0].id;
      for (const el of elements) {
        if (el.getBoundingClientRect().top <= 112) current = el.id;
        else break;
      }
      setActive(current);
    };
    update();
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    return () => {
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
    };
  }, [ids]);
  return active;
}

function Links({ items, active, depth }: { items: TocItem[]; active?: string; depth: number }) {
  return (
    <ul className={cn("flex flex-col", depth > 0 && "mt-1 mb-2 ml-3 border-l pl-3")}>
      {items.map((item) => (
        <li key={item.id}>
          <a
            href={`#${item.id}`}
            aria-current={item.id === active ? "location" : undefined}
            className={cn(
              "block rounded-sm py-1 text-sm leading-snug transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none",
              depth > 0 ? "text-[13px]" : "font-medium",
              item.id === active ? "text-primary" : "text-muted-foreground hover:text-foreground",
            )}
          >
            {item.label}
          </a>
          {item.children?.length ? <Links items={item.children} active={active} depth={depth + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** Table of contents; highlights the section in view. Works without JavaScript as plain anchor links. */
export function TableOfContents({ items, label = "On this page" }: { items: TocItem[]; label?: string }) {
  const ids = React.useMemo(() => flatten(items), [items]);
  const active = useActiveId(ids);
  return (
    <nav aria-label={label}>
      <p className="mb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">{label}</p>
      <Links items={items} active={active} depth={0} />
    </nav>
  );
}
