import Link from "next/link";
import { SearchX } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl items-center p-6">
      <EmptyState icon={<SearchX className="size-8" aria-hidden />} title="Page not found" description="It may have moved, or the link may be wrong.">
        <Link href="/" className={buttonVariants()}>
          Go to my work
        </Link>
      </EmptyState>
    </main>
  );
}
