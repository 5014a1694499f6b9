import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { editableSettingsOf, organizationSettings } from "@/db/queries/organizations";
import { AutoStepDownSetting } from "@/components/analytics/auto-step-down";
import { SettingsForm } from "@/components/settings/settings-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { throttleLimits } from "@/lib/auth";
import { requirePageScope } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { humanDuration } from "@/lib/errors";

export const metadata: Metadata = { title: "Settings" };

function EnvName({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{children}</code>;
}

export default async function SettingsPage() {
  const scope = await requirePageScope("settings.manage");
  const stored = await organizationSettings(getDb(), scope);
  const values = editableSettingsOf(stored);
  const signupEnabled = env().SIGNUP_ENABLED;
  const limits = throttleLimits();
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description={`How ${scope.organizationName} works. Every change is recorded in the audit log with its before and after.`} />
      <Card>
        <CardHeader>
          <CardTitle as="h2">Organization</CardTitle>
          <CardDescription>Settings for this organization only.</CardDescription>
        </CardHeader>
        <CardContent>
          <SettingsForm values={values} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Automatic step-down</CardTitle>
          <CardDescription>Autonomy is earned and can be lost: this lets Countersign take it back without waiting for an admin. Saved and recorded at once.</CardDescription>
        </CardHeader>
        <CardContent>
          <AutoStepDownSetting enabled={stored.autoStepDown === true} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Installation</CardTitle>
          <CardDescription>Set for the whole Countersign installation by its operator, through environment variables; shown here read-only.</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="divide-y text-sm">
            <div className="grid gap-2 py-4 first:pt-0 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)] md:gap-8">
              <dt className="font-medium">Sign-up</dt>
              <dd className="space-y-1">
                <Badge variant={signupEnabled ? "success" : "secondary"}>{signupEnabled ? "Open" : "Closed"}</Badge>
                <p className="text-muted-foreground">
                  Whether anyone may create a new organization at /signup. Signing up makes a new organization, so this belongs to the installation, not to one
                  organization; people join yours by invitation either way. <EnvName>SIGNUP_ENABLED</EnvName>
                </p>
              </dd>
            </div>
            <div className="grid gap-2 py-4 last:pb-0 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)] md:gap-8">
              <dt className="font-medium">Sign-in throttling</dt>
              <dd className="space-y-1">
                <p>
                  After <span className="font-medium tabular-nums">{limits.maxPerAccount}</span> failed sign-ins for one account within {humanDuration(limits.windowSeconds)}, each
                  further attempt waits 1 second, then 2, 4 … up to {humanDuration(limits.maxDelaySeconds)}: the account&apos;s owner is slowed, never locked out. After{" "}
                  <span className="font-medium tabular-nums">{limits.maxPerAddress}</span> failures from one client address in that time, the address waits until the oldest
                  ages out.
                </p>
                <p className="text-muted-foreground">
                  Slows password guessing. The same for every organization: a limit that differed by organization would make sign-in answer differently for registered and
                  unknown emails, telling a guesser which addresses have accounts. <EnvName>LOGIN_THROTTLE_MAX_PER_ACCOUNT</EnvName>{" "}
                  <EnvName>LOGIN_THROTTLE_MAX_DELAY_SECONDS</EnvName> <EnvName>LOGIN_THROTTLE_MAX_PER_ADDRESS</EnvName> <EnvName>LOGIN_THROTTLE_WINDOW_SECONDS</EnvName>
                </p>
              </dd>
            </div>
          </dl>
        </CardContent>
      </Card>
    </div>
  );
}
