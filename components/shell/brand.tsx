import Link from "next/link";
import { PenLine } from "lucide-react";

export function Brand({ href = "/" }: { href?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 rounded-md font-semibold tracking-tight focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
      <span className="grid size-8 place-items-center rounded-lg bg-primary text-primary-foreground">
        <PenLine className="size-4" aria-hidden />
      </span>
      <span className="text-lg">Countersign</span>
    </Link>
  );
}
