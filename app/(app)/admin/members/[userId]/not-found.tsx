import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function MemberNotFound() {
  return (
    <EmptyState icon={<SearchX className="size-8" aria-hidden />} title="No such member" description="They aren't a member of your organization.">
      <Button asChild>
        <Link href="/admin/members">Back to members</Link>
      </Button>
    </EmptyState>
  );
}
