import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function WorkspaceNotFound() {
  return (
    <EmptyState icon={<SearchX className="size-8" aria-hidden />} title="No such workspace" description="It doesn't exist in your organization.">
      <Button asChild>
        <Link href="/admin/workspaces">Back to workspaces</Link>
      </Button>
    </EmptyState>
  );
}
