import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, History, KeyRound } from "lucide-react";
import { getDb } from "@/db/client";
import { listDeliveries } from "@/db/queries/webhooks";
import { AutoRefresh } from "@/components/webhooks/auto-refresh";
import { DeliveriesTable } from "@/components/webhooks/deliveries-table";
import { EditEndpointDialog } from "@/components/webhooks/edit-endpoint-dialog";
import { DeleteEndpointButton, RotateSecretButton, SendTestButton, ToggleEndpointButton } from "@/components/webhooks/endpoint-actions";
import { EndpointStatus, formatUtc } from "@/components/webhooks/endpoint-status";
import { LastAttempt } from "@/components/webhooks/last-attempt";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { AUTO_DISABLE_AFTER_DAYS, ROTATION_OVERLAP_HOURS } from "@/lib/validation/webhooks";
import { requirePageScope } from "@/lib/auth/session";
import { isUuid } from "@/lib/data/uuid";
import { endpointOr404 } from "./endpoint";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const scope = await requirePageScope("webhooks.manage");
  // The log is read before the summary, so the summary is never older than the log: a delivery that
  // lands in between still shows as pending, and the page refreshes until both agree.
  const deliveries = isUuid(id) ? await listDeliveries(getDb(), scope, { endpointId: id, limit: 100 }) : [];
  const { endpoint } = await endpointOr404(id);
  const now = new Date();
  const enabled = endpoint.status === "active";
  return (
    <div className="space-y-6">
      <Link href="/admin/webhooks" className="inline-flex items-center gap-1 text-sm font-medium text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden /> All webhooks
      </Link>
      <PageHeader
        title={<span className="font-mono text-xl break-all">{endpoint.url}</span>}
        description={endpoint.description || "No description."}
        actions={
          <>
            <SendTestButton id={endpoint.id} disabled={!enabled} />
            <EditEndpointDialog endpoint={{ id: endpoint.id, url: endpoint.url, description: endpoint.description, events: endpoint.events }} />
            <ToggleEndpointButton id={endpoint.id} enabled={enabled} />
            <DeleteEndpointButton id={endpoint.id} url={endpoint.url} />
          </>
        }
      />
      {endpoint.status === "disabled_failing" && (
        <Alert variant="destructive">
          <AlertTitle>Disabled after failing for {AUTO_DISABLE_AFTER_DAYS} days</AlertTitle>
          <AlertDescription>
            No delivery to this endpoint succeeded{endpoint.failingSince ? ` since ${formatUtc(endpoint.failingSince)}` : ""}, so Countersign stopped sending to it. Fix the
            receiver, enable the endpoint, then send a test event; failed deliveries can be retried from the log below.
          </AlertDescription>
        </Alert>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardDescription>Status</CardDescription>
          </CardHeader>
          <CardContent className="space-y-3">
            <EndpointStatus status={endpoint.status} disabledAt={endpoint.disabledAt} failingSince={endpoint.failingSince} now={now} />
            <div>
              <div className="mb-1 text-xs font-medium text-muted-foreground">Last delivery</div>
              <LastAttempt attempt={endpoint.lastAttempt} now={now} />
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Subscribed events</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="flex flex-wrap gap-1" aria-label="Subscribed events">
              {endpoint.events.map((event) => (
                <li key={event}>
                  <Badge variant="outline" className="font-mono">
                    {event}
                  </Badge>
                </li>
              ))}
            </ul>
            <p className="mt-3 text-xs text-muted-foreground">Added {formatUtc(endpoint.createdAt)}.</p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <KeyRound className="size-4" aria-hidden /> Signing secret
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-3 text-sm">
            {endpoint.previousSecretExpiresAt ? (
              <p data-testid="rotation-overlap">
                Rotated: the previous secret still signs until{" "}
                <time dateTime={endpoint.previousSecretExpiresAt.toISOString()} className="font-medium">
                  {formatUtc(endpoint.previousSecretExpiresAt)}
                </time>
                , beside the new one.
              </p>
            ) : (
              <p className="text-muted-foreground">Shown once when it was created or last rotated; Countersign keeps it encrypted and never shows it again.</p>
            )}
            <RotateSecretButton id={endpoint.id} overlapHours={ROTATION_OVERLAP_HOURS} inOverlap={endpoint.previousSecretExpiresAt !== null} />
          </CardContent>
        </Card>
      </div>

      <section aria-labelledby="endpoint-deliveries-heading" className="space-y-3">
        <div className="space-y-1">
          <h2 id="endpoint-deliveries-heading" className="text-lg font-semibold tracking-tight">
            Delivery log
          </h2>
          <p className="text-sm text-muted-foreground">
            The latest 100 deliveries to this endpoint, newest first. Each is retried with backoff for about a day; &ldquo;Retry now&rdquo; sends a failed or
            retrying one {enabled ? "at once" : "as soon as you enable the endpoint"}.
          </p>
        </div>
        {deliveries.length === 0 ? (
          <EmptyState
            icon={<History className="size-8" aria-hidden />}
            title="Nothing sent yet"
            titleAs="h3"
            description="Send a test event to check that the receiver answers 2xx and verifies the signature."
          />
        ) : (
          <Card>
            <CardContent className="pt-6">
              <AutoRefresh active={deliveries.some((d) => d.status === "pending" && d.nextAttemptAt.getTime() - now.getTime() < 60_000)} />
              <DeliveriesTable deliveries={deliveries} now={now} showTarget={false} retry={enabled} caption="Deliveries to this endpoint, newest first" />
            </CardContent>
          </Card>
        )}
      </section>
    </div>
  );
}
