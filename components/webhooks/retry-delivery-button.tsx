"use client";

import { RotateCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { retryWebhookDeliveryAction } from "@/lib/actions/webhooks";
import { useEndpointAction } from "./use-endpoint-action";

export function RetryDeliveryButton({ id, label }: { id: string; label: string }) {
  const { pending, run } = useEndpointAction();
  return (
    <Button size="sm" variant="outline" disabled={pending} aria-label={label} onClick={() => run(retryWebhookDeliveryAction, { id })}>
      {pending ? <Spinner className="size-3" /> : <RotateCw className="size-3" aria-hidden />}
      {pending ? "Retrying…" : "Retry now"}
    </Button>
  );
}
