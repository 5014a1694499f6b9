import { Badge } from "@/components/ui/badge";
import { relativeTime } from "@/lib/views/relative-time";
import { AUTO_DISABLE_AFTER_DAYS } from "@/lib/validation/webhooks";

export type EndpointStatusProps = {
  status: "active" | "disabled_by_admin" | "disabled_failing";
  disabledAt: Date | null;
  failingSince: Date | null;
  now: Date;
};

const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatUtc(date: Date): string {
  return `${dateTimeFormat.format(date)} UTC`;
}

function At({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)}>
      {relativeTime(date, now)}
    </time>
  );
}

/** The badge and one line of why: disabled by whom, or failing since when and until what. */
export function EndpointStatus({ status, disabledAt, failingSince, now }: EndpointStatusProps) {
  if (status === "disabled_by_admin") {
    return (
      <div className="space-y-1">
        <Badge variant="outline">Disabled</Badge>
        {disabledAt && (
          <div className="text-xs text-muted-foreground">
            by an admin <At date={disabledAt} now={now} />
          </div>
        )}
      </div>
    );
  }
  if (status === "disabled_failing") {
    return (
      <div className="space-y-1">
        <Badge variant="destructive">Disabled: failing</Badge>
        <div className="text-xs text-muted-foreground">
          {failingSince ? (
            <>
              failing since <At date={failingSince} now={now} />
            </>
          ) : (
            "after failing for days"
          )}
        </div>
      </div>
    );
  }
  if (failingSince) {
    const disableAt = new Date(failingSince.getTime() + AUTO_DISABLE_AFTER_DAYS * 86400_000);
    return (
      <div className="space-y-1">
        <Badge variant="warning">Failing</Badge>
        <div className="text-xs text-muted-foreground">
          since <At date={failingSince} now={now} />; disabled <At date={disableAt} now={now} /> unless a delivery succeeds
        </div>
      </div>
    );
  }
  return <Badge variant="success">Active</Badge>;
}
