import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl items-center p-6">
      <EmptyState
        icon={<ShieldAlert className="size-8" aria-hidden />}
        title="You don't have access to this page"
        description="Your role in this organization doesn't include it. If you think it should, ask an admin."
      >
        <Link href="/" className={buttonVariants()}>
          Go to my work
        </Link>
      </EmptyState>
    </main>
  );
}
