import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { getDb } from "@/db/client";
import { listApiKeys } from "@/db/queries/api-keys";
import { CreateApiKeyDialog } from "@/components/api-keys/create-api-key-dialog";
import { RevokeApiKeyButton } from "@/components/api-keys/revoke-api-key-button";
import { scopeDescription } from "@/components/api-keys/scopes";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";
import { relativeTime } from "@/lib/views/relative-time";

export const metadata: Metadata = { title: "API keys" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function Timestamp({ date, relative, now }: { date: Date; relative?: boolean; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={`${dateTimeFormat.format(date)} UTC`}>
      {relative ? relativeTime(date, now) : dateFormat.format(date)}
    </time>
  );
}

export default async function ApiKeysPage() {
  const scope = await requirePageScope("apiKeys.manage");
  const keys = await listApiKeys(getDb(), scope);
  const now = new Date();
  return (
    <div className="space-y-6">
      <PageHeader
        title="API keys"
        description={
          <>
            Agents authenticate with a key sent as <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key acts for the whole organization within
            its scopes; revoke it the moment it may have leaked.
          </>
        }
        actions={<CreateApiKeyDialog />}
      />
      {keys.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="size-8" aria-hidden />}
          title="No API keys yet"
          description="Create a key for each agent that submits work for review. Each key is shown once, when you create it."
        />
      ) : (
        <Card>
          <CardContent className="pt-6">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Scopes</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Last used</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.map((k) => (
                  <TableRow key={k.id} data-testid={`api-key-${k.prefix}`}>
                    <TableCell className={k.revokedAt ? "font-medium text-muted-foreground" : "font-medium"}>{k.name}</TableCell>
                    <TableCell>
                      <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{k.prefix}…</code>
                    </TableCell>
                    <TableCell>
                      <div className="flex flex-wrap gap-1">
                        {k.scopes.map((s) => (
                          <Badge key={s} variant="outline" className="font-mono" title={scopeDescription(s)}>
                            {s}
                          </Badge>
                        ))}
                      </div>
                    </TableCell>
                    <TableCell className="text-sm text-muted-foreground">
                      <Timestamp date={k.createdAt} now={now} />
                      <div className="text-xs">{k.createdByName ? `by ${k.createdByName}` : "by a former member"}</div>
                    </TableCell>
                    <TableCell className="text-sm text-muted-foreground">{k.lastUsedAt ? <Timestamp date={k.lastUsedAt} relative now={now} /> : "never"}</TableCell>
                    <TableCell>
                      {k.revokedAt ? (
                        <div>
                          <Badge variant="destructive">Revoked</Badge>
                          <div className="mt-1 text-xs text-muted-foreground">
                            <Timestamp date={k.revokedAt} now={now} />
                          </div>
                        </div>
                      ) : (
                        <Badge variant="success">Active</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">{!k.revokedAt && <RevokeApiKeyButton id={k.id} name={k.name} prefix={k.prefix} />}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <p className="text-sm text-muted-foreground">
        What an agent can send and what it gets back:{" "}
        <Link href="/docs/api" className="font-medium text-primary hover:underline">
          API reference
        </Link>
        . Last use is recorded to the minute.
      </p>
    </div>
  );
}
