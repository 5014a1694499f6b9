"use client";

import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-xl items-center p-6">
      <EmptyState
        icon={<TriangleAlert className="size-8" aria-hidden />}
        title="Something went wrong"
        description={`This page couldn't load. Nothing you entered was lost.${error.digest ? ` Reference: ${error.digest}.` : ""}`}
      >
        <Button onClick={reset}>Try again</Button>
      </EmptyState>
    </main>
  );
}
