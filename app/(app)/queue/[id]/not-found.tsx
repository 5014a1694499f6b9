import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ReviewItemNotFound() {
  return (
    <EmptyState icon={<SearchX className="size-8" aria-hidden />} title="No such item" description="It doesn't exist, or it belongs to a workspace you aren't a member of.">
      <Button asChild>
        <Link href="/queue">Back to the queue</Link>
      </Button>
    </EmptyState>
  );
}
