import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { SignupForm } from "@/components/auth/signup-form";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { env } from "@/lib/config/env";

export const metadata: Metadata = { title: "Create an organization" };

export default async function SignupPage() {
  // Read at request time: the switch is an environment variable of the running server, not of the build.
  await connection();
  const enabled = env().SIGNUP_ENABLED;
  return (
    <Card>
      <CardHeader>
        <CardTitle as="div">
          <h1>Create your organization</h1>
        </CardTitle>
        <CardDescription>You&apos;ll be its first admin. Invite reviewers and managers once you&apos;re in.</CardDescription>
      </CardHeader>
      <CardContent>
        {enabled ? (
          <SignupForm />
        ) : (
          <Alert>
            <AlertTitle>Sign-up is switched off</AlertTitle>
            <AlertDescription>This server only admits people invited by an admin. Ask your admin for an invite link.</AlertDescription>
          </Alert>
        )}
      </CardContent>
      <CardFooter className="text-sm text-muted-foreground">
        Already have an account?&nbsp;
        <Link href="/login" className="font-medium text-primary underline-offset-4 hover:underline">
          Sign in
        </Link>
      </CardFooter>
    </Card>
  );
}
