import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { EndpointStatus, type EndpointStatusProps } from "./endpoint-status";
import { LastAttempt } from "./last-attempt";

export type EndpointListItem = Omit<EndpointStatusProps, "now"> & {
  id: string;
  url: string;
  description: string;
  events: string[];
  lastAttempt: { at: Date; responseStatus: number | null; error: string | null } | null;
};

export function EndpointsTable({ endpoints, now }: { endpoints: EndpointListItem[]; now: Date }) {
  return (
    <div role="region" aria-label="Endpoints table" tabIndex={0} className="overflow-x-auto rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
      <Table containerClassName="overflow-visible">
        <caption className="sr-only">Webhook endpoints of this organization</caption>
        <TableHeader>
          <TableRow>
            <TableHead>Endpoint</TableHead>
            <TableHead>Events</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Last delivery</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {endpoints.map((e) => (
            <TableRow key={e.id} data-testid={`endpoint-${e.id}`} className="align-top">
              <TableCell className="max-w-[22rem]">
                <Link href={`/admin/webhooks/${e.id}`} className="block truncate font-mono text-xs font-medium text-primary hover:underline" title={e.url}>
                  {e.url}
                </Link>
                <div className="mt-0.5 truncate text-sm text-muted-foreground">{e.description || <span className="italic">No description</span>}</div>
              </TableCell>
              <TableCell>
                <div className="flex max-w-[20rem] flex-wrap gap-1">
                  {e.events.map((event) => (
                    <Badge key={event} variant="outline" className="font-mono">
                      {event}
                    </Badge>
                  ))}
                </div>
              </TableCell>
              <TableCell>
                <EndpointStatus status={e.status} disabledAt={e.disabledAt} failingSince={e.failingSince} now={now} />
              </TableCell>
              <TableCell>
                <LastAttempt attempt={e.lastAttempt} now={now} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
