import Link from "next/link";
import { TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { AUTO_DISABLE_AFTER_DAYS } from "@/lib/validation/webhooks";

/**
 * Tells the admins (on the admin overview and the webhooks page) which endpoints the worker disabled
 * for failing; it stays until each is enabled again or deleted.
 */
export function FailingEndpointsAlert({ endpoints }: { endpoints: { id: string; url: string; description: string; disabledAt: Date }[] }) {
  if (endpoints.length === 0) return null;
  const one = endpoints.length === 1;
  return (
    <Alert variant="destructive" data-testid="endpoints-disabled-failing">
      <TriangleAlert aria-hidden />
      <AlertTitle>
        {one ? "A webhook endpoint was disabled" : `${endpoints.length} webhook endpoints were disabled`} after failing for {AUTO_DISABLE_AFTER_DAYS} days
      </AlertTitle>
      <AlertDescription>
        <p>Nothing is sent to {one ? "it" : "them"} until you fix the receiver and enable {one ? "it" : "them"} again; events in between are not sent.</p>
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {endpoints.map((e) => (
            <li key={e.id}>
              <Link href={`/admin/webhooks/${e.id}`} className="font-mono text-xs break-all underline underline-offset-4">
                {e.url}
              </Link>
              {e.description && <span> — {e.description}</span>} (disabled {e.disabledAt.toISOString().slice(0, 10)})
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
