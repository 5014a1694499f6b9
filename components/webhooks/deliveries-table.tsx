import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { relativeTime } from "@/lib/views/relative-time";
import { RetryDeliveryButton } from "./retry-delivery-button";

export type DeliveryListItem = {
  id: string;
  messageId: string;
  event: string;
  /** An admin's test event. */
  test?: boolean;
  url: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function Timestamp({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={`${dateTimeFormat.format(date)} UTC`}>
      {relativeTime(date, now)}
    </time>
  );
}

/** A pending row that has been tried already is retrying; one not yet tried is simply queued. */
function statusOf(d: DeliveryListItem): { label: string; variant: BadgeProps["variant"] } {
  if (d.status === "delivered") return { label: "Delivered", variant: "success" };
  if (d.status === "failed") return { label: "Failed", variant: "destructive" };
  return d.attempts > 0 ? { label: "Retrying", variant: "warning" } : { label: "Queued", variant: "outline" };
}

/** Worth retrying by hand: given up on, or waiting for a later backoff step. */
function retryable(d: DeliveryListItem): boolean {
  return d.status === "failed" || (d.status === "pending" && d.attempts > 0);
}

/**
 * `showTarget` is off in one endpoint's log (every row has its URL); `retry` adds "Retry now" to
 * failed and retrying rows.
 */
export function DeliveriesTable({
  deliveries,
  now,
  showTarget = true,
  retry = false,
  caption = "Recent webhook deliveries, newest first",
}: {
  deliveries: DeliveryListItem[];
  now: Date;
  showTarget?: boolean;
  retry?: boolean;
  caption?: string;
}) {
  return (
    // A focusable, labelled scroll region, so keyboard users can scroll a table wider than the screen.
    <div role="region" aria-label="Deliveries table" tabIndex={0} className="overflow-x-auto rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
      <Table containerClassName="overflow-visible">
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow>
            <TableHead>Event</TableHead>
            {showTarget && <TableHead>Target</TableHead>}
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Attempts</TableHead>
            <TableHead>Response</TableHead>
            <TableHead>Last error</TableHead>
            <TableHead>Created / delivered</TableHead>
            {retry && (
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {deliveries.map((d) => {
            const status = statusOf(d);
            return (
              <TableRow key={d.id} data-testid={`delivery-${d.messageId}`} className="align-top">
                <TableCell>
                  <div className="flex items-center gap-1.5">
                    <code className="font-mono text-xs font-medium">{d.event}</code>
                    {d.test && (
                      <Badge variant="secondary" title="A test event sent from the endpoint's page">
                        Test
                      </Badge>
                    )}
                  </div>
                  <div className="mt-0.5 max-w-[11rem] truncate font-mono text-[11px] text-muted-foreground" title={`webhook-id: ${d.messageId}`}>
                    {d.messageId}
                  </div>
                </TableCell>
                {showTarget && (
                  <TableCell>
                    <div className="max-w-[13rem] truncate font-mono text-xs" title={d.url}>
                      {d.url}
                    </div>
                  </TableCell>
                )}
                <TableCell>
                  <Badge variant={status.variant}>{status.label}</Badge>
                  {status.label === "Retrying" && (
                    <div className="mt-1 text-xs text-muted-foreground">
                      next try <Timestamp date={d.nextAttemptAt} now={now} />
                    </div>
                  )}
                </TableCell>
                <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
                <TableCell className="font-mono text-xs tabular-nums">{d.lastResponseStatus ?? <span className="text-muted-foreground">—</span>}</TableCell>
                <TableCell>
                  {d.lastError ? (
                    <div className="max-w-[12rem] truncate text-xs text-destructive" title={d.lastError}>
                      {d.lastError}
                    </div>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </TableCell>
                <TableCell className="text-sm whitespace-nowrap text-muted-foreground">
                  <div>
                    <Timestamp date={d.createdAt} now={now} />
                  </div>
                  {d.deliveredAt && (
                    <div className="text-xs">
                      delivered <Timestamp date={d.deliveredAt} now={now} />
                    </div>
                  )}
                </TableCell>
                {retry && <TableCell className="text-right">{retryable(d) && <RetryDeliveryButton id={d.id} label={`Retry ${d.event} ${d.messageId} now`} />}</TableCell>}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
