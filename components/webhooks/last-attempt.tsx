import { relativeTime } from "@/lib/views/relative-time";
import { formatUtc } from "./endpoint-status";

/** The outcome of an endpoint's most recent attempt: the HTTP status, or why none came back. */
export function LastAttempt({ attempt, now }: { attempt: { at: Date; responseStatus: number | null; error: string | null } | null; now: Date }) {
  if (!attempt) return <span className="text-sm text-muted-foreground">No deliveries yet</span>;
  const ok = attempt.error === null && attempt.responseStatus !== null && attempt.responseStatus < 300;
  return (
    <div className="space-y-0.5 text-sm">
      <div className={ok ? "font-medium text-success" : "font-medium text-destructive"}>
        {ok ? `${attempt.responseStatus} OK` : attempt.responseStatus ? `HTTP ${attempt.responseStatus}` : "No response"}
      </div>
      {!ok && attempt.error && attempt.error !== `HTTP ${attempt.responseStatus}` && (
        <div className="max-w-[14rem] truncate text-xs text-destructive" title={attempt.error}>
          {attempt.error}
        </div>
      )}
      <div className="text-xs text-muted-foreground">
        <time dateTime={attempt.at.toISOString()} title={formatUtc(attempt.at)}>
          {relativeTime(attempt.at, now)}
        </time>
      </div>
    </div>
  );
}
