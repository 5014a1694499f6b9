"use client";

import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { revokeInviteAction } from "@/lib/actions/members";

type PendingInvite = { id: string; email: string; role: string; expiresAt: string; invitedByName: string | null };

function RevokeInvite({ id, email }: { id: string; email: string }) {
  const [state, action, pending] = useActionState(revokeInviteAction, null);
  return (
    <form action={action} className="text-right">
      <input type="hidden" name="inviteId" value={id} />
      <Button type="submit" size="sm" variant="ghost" disabled={pending} aria-label={`Revoke invite for ${email}`}>
        {pending ? "Revoking…" : "Revoke"}
      </Button>
      {state && !state.ok && (
        <p aria-live="polite" className="text-xs text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export function PendingInvites({ invites }: { invites: PendingInvite[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Pending invites</CardTitle>
        <CardDescription>Links that haven&apos;t been used yet. Each works once and expires after 7 days.</CardDescription>
      </CardHeader>
      <CardContent>
        {invites.length === 0 ? (
          <p className="text-sm text-muted-foreground">No pending invites.</p>
        ) : (
          <ul className="divide-y">
            {invites.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-4 py-2">
                <div>
                  <div className="text-sm font-medium">{i.email}</div>
                  <div className="text-xs text-muted-foreground">
                    <Badge variant="secondary" className="mr-2 capitalize">
                      {i.role}
                    </Badge>
                    expires {dateFormat.format(new Date(i.expiresAt))}
                    {i.invitedByName ? ` · invited by ${i.invitedByName}` : ""}
                  </div>
                </div>
                <RevokeInvite id={i.id} email={i.email} />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
