import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { homePathFor } from "@/lib/security/permissions";
import { currentScope } from "@/lib/auth/session";
import { env } from "@/lib/config/env";

export const metadata: Metadata = { title: "Sign in" };

const notices: Record<string, { tone: "warning" | "default"; text: string }> = {
  disabled: { tone: "warning", text: "Your access to this organization has been disabled, so you were signed out. Ask an admin if this is a mistake." },
  removed: { tone: "warning", text: "Your account no longer belongs to an organization, so you were signed out." },
  ended: { tone: "default", text: "Your session has ended (you signed out elsewhere, or an admin changed your access). Sign in again." },
  "decision-kept": { tone: "warning", text: "Your session ended before your decision was saved, so nothing was decided. Sign in again: you'll return to the item with what you entered." },
  "signed-out": { tone: "default", text: "You have signed out on every device." },
  // The same words whether the email was new or already had an account: sign-up tells nobody which.
  "signed-up": { tone: "default", text: "Sign in with the email and password you just chose. If that email already had an account, nothing new was created: use that account's password." },
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ reason?: string; next?: string; callbackUrl?: string }> }) {
  const params = await searchParams;
  const lookup = await currentScope();
  if (lookup?.ok) redirect(homePathFor(lookup.scope.role));
  const notice = params.reason ? notices[params.reason] : undefined;
  // The proxy sends signed-out visitors here with an absolute callbackUrl; keep only its path.
  let next = params.next;
  if (!next && params.callbackUrl) {
    try {
      const url = new URL(params.callbackUrl, "http://localhost");
      next = url.pathname + url.search;
    } catch {
      next = undefined;
    }
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle as="div">
          <h1>Sign in to Countersign</h1>
        </CardTitle>
        <CardDescription>Review what your AI agents propose before it happens.</CardDescription>
      </CardHeader>
      <CardContent>
        <LoginForm next={next} notice={notice} />
      </CardContent>
      {env().SIGNUP_ENABLED && (
        <CardFooter className="text-sm text-muted-foreground">
          New to Countersign?&nbsp;
          <Link href="/signup" className="font-medium text-primary underline-offset-4 hover:underline">
            Create an organization
          </Link>
        </CardFooter>
      )}
    </Card>
  );
}
