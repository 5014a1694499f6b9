import type { Metadata } from "next";
import Link from "next/link";
import { Send, Webhook } from "lucide-react";
import { getDb } from "@/db/client";
import { listEndpointsDisabledForFailing, listWebhookEndpoints } from "@/db/queries/webhook-endpoints";
import { listDeliveries } from "@/db/queries/webhooks";
import { AddEndpointDialog } from "@/components/webhooks/add-endpoint-dialog";
import { AutoRefresh } from "@/components/webhooks/auto-refresh";
import { DeliveriesTable } from "@/components/webhooks/deliveries-table";
import { EndpointsTable } from "@/components/webhooks/endpoints-table";
import { FailingEndpointsAlert } from "@/components/webhooks/failing-endpoints-alert";
import { SigningSecretPanel } from "@/components/webhooks/signing-secret-panel";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Webhooks" };

const code = "rounded bg-muted px-1 py-0.5 font-mono text-xs whitespace-nowrap";

const headers = [
  { name: "webhook-id", meaning: "the message id; the same on every retry, so handle each id once" },
  { name: "webhook-timestamp", meaning: "Unix seconds when the attempt was sent; refuse anything more than 5 minutes from your clock" },
  { name: "webhook-signature", meaning: "v1,<base64 HMAC-SHA256 of id.timestamp.body>, keyed with the secret; during an endpoint's secret rotation, two signatures separated by a space" },
];

export default async function WebhooksPage() {
  const scope = await requirePageScope("webhooks.manage");
  const db = getDb();
  // The log first: endpoints' "last delivery" is then never older than it (see the endpoint page).
  const deliveries = await listDeliveries(db, scope, { limit: 50 });
  const [endpoints, disabledForFailing] = await Promise.all([listWebhookEndpoints(db, scope), listEndpointsDisabledForFailing(db, scope)]);
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Webhooks"
        description={
          <>
            Countersign tells your systems what happens by webhook. Organization endpoints receive the events they subscribe to; an agent&apos;s item with a{" "}
            <code className="font-mono text-xs">callbackUrl</code> also posts there when it is decided, expires or is cancelled.
          </>
        }
        actions={<AddEndpointDialog />}
      />
      <FailingEndpointsAlert endpoints={disabledForFailing} />

      <section aria-labelledby="endpoints-heading" className="space-y-3">
        <div className="space-y-1">
          <h2 id="endpoints-heading" className="text-lg font-semibold tracking-tight">
            Endpoints
          </h2>
          <p className="text-sm text-muted-foreground">
            Each endpoint has its own signing secret, shown once when you add it. Open one to send a test event, rotate its secret or see its deliveries.
          </p>
        </div>
        {endpoints.length === 0 ? (
          <EmptyState
            icon={<Send className="size-8" aria-hidden />}
            title="No endpoints yet"
            titleAs="h3"
            description="Add an endpoint to hear about every item, not only those whose agent gave a callback URL: new items, decisions, expiries and mode changes."
          />
        ) : (
          <Card>
            <CardContent className="pt-6">
              <EndpointsTable endpoints={endpoints} now={now} />
            </CardContent>
          </Card>
        )}
      </section>

      <Card>
        <CardHeader>
          <CardTitle>Signing secret for item callbacks</CardTitle>
          <CardDescription>
            Every webhook sent to an item&apos;s <code className={code}>callbackUrl</code> is signed per{" "}
            <a href="https://www.standardwebhooks.com" className="font-medium text-primary hover:underline">
              Standard Webhooks
            </a>{" "}
            with this organization&apos;s <code className={code}>whsec_…</code> secret. Give it to your agents so they can tell a real delivery from a forged one.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-5">
          <div className="space-y-2 text-sm">
            <p>
              Each delivery carries three headers (deliveries to an endpoint too, signed with that endpoint&apos;s own secret). A receiver verifies the signature over the
              raw body before parsing it, with any Standard Webhooks library:
            </p>
            <dl className="grid gap-x-4 gap-y-1.5 sm:grid-cols-[max-content_1fr]">
              {headers.map((h) => (
                <div key={h.name} className="contents">
                  <dt>
                    <code className={code}>{h.name}</code>
                  </dt>
                  <dd className="text-muted-foreground">{h.meaning}</dd>
                </div>
              ))}
            </dl>
            <p className="text-muted-foreground">
              Code for a receiver, in TypeScript and by hand:{" "}
              <Link href="/docs/api#webhooks" className="font-medium text-primary hover:underline">
                verifying webhooks
              </Link>
              .
            </p>
          </div>
          <SigningSecretPanel />
        </CardContent>
      </Card>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <div className="space-y-1">
          <h2 id="deliveries-heading" className="text-lg font-semibold tracking-tight">
            Recent deliveries
          </h2>
          <p className="text-sm text-muted-foreground">
            The latest 50 to any target, newest first. A failed attempt is retried with backoff for about a day before the delivery is marked failed; &ldquo;Retry
            now&rdquo; sends it again at once.
          </p>
        </div>
        {deliveries.length === 0 ? (
          <EmptyState
            icon={<Webhook className="size-8" aria-hidden />}
            title="No deliveries yet"
            titleAs="h3"
            description="Deliveries appear here when agents' items are decided, expire or are cancelled, and when events reach your endpoints."
          />
        ) : (
          <Card>
            <CardContent className="pt-6">
              <AutoRefresh active={deliveries.some((d) => d.status === "pending" && d.nextAttemptAt.getTime() - now.getTime() < 60_000)} />
              <DeliveriesTable deliveries={deliveries} now={now} retry />
            </CardContent>
          </Card>
        )}
      </section>
    </div>
  );
}
