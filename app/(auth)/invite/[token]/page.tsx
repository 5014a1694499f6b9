import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { findInviteByToken } from "@/db/queries/members";
import { InviteAcceptForm } from "@/components/auth/invite-accept-form";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Join your team" };

const closed = {
  used: "This invite link has already been used. If that was you, sign in.",
  expired: "This invite link has expired. Ask your admin for a new one.",
  revoked: "This invite was withdrawn. Ask your admin for a new one.",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = token.length >= 20 && token.length <= 200 ? await findInviteByToken(getDb(), token) : null;
  if (!invite || invite.state !== "open") {
    return (
      <Card>
        <CardHeader>
          <CardTitle as="div">
            <h1>Invite link not valid</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <Alert variant="warning">
            <AlertTitle>We can&apos;t use this link</AlertTitle>
            <AlertDescription>{invite ? closed[invite.state as keyof typeof closed] : "This invite link isn't valid. Check that you copied all of it, or ask your admin for a new one."}</AlertDescription>
          </Alert>
          <Link href="/login" className={buttonVariants({ variant: "outline" })}>
            Go to sign in
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle as="div">
          <h1>Join {invite.organizationName}</h1>
        </CardTitle>
        <CardDescription>
          You&apos;ve been invited as <strong className="text-foreground">{invite.role}</strong>. Choose your name and a password to finish.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <InviteAcceptForm token={token} email={invite.email} />
      </CardContent>
    </Card>
  );
}
