"use client";

import { useActionState, useEffect } from "react";
import Link from "next/link";
import { toast } from "sonner";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { FieldError } from "@/components/ui/field-error";
import { echoed } from "@/lib/errors/action-result";
import { saveOrganizationSettingsAction } from "@/lib/actions/settings";
import { LEASE_MINUTES, READINESS_BOUNDS } from "@/lib/validation/settings";

export type SettingsFormValues = {
  autoRegisterTaskTypes: boolean;
  leaseMinutes: number;
  readinessDefaults: { minDecisions: number; targetAcceptance: number; minDays: number; stepDownWindowDays: number };
  excludeFlaggedApprovals: boolean;
};

const percent = (share: number) => String(Math.round(share * 10_000) / 100);
const show = (v: unknown) => (typeof v === "number" && v > 0 && v < 1 ? `${percent(v)}%` : typeof v === "boolean" ? (v ? "on" : "off") : String(v));
const label: Record<string, string> = {
  autoRegisterTaskTypes: "Auto-register unknown task types",
  leaseMinutes: "Lease length",
  "readinessDefaults.minDecisions": "Minimum decisions",
  "readinessDefaults.targetAcceptance": "Target acceptance",
  "readinessDefaults.minDays": "Minimum days",
  "readinessDefaults.stepDownWindowDays": "Step-down window",
  excludeFlaggedApprovals: "Leave rubber-stamped approvals out of acceptance",
};

function Section({ title, description, children }: { title: string; description: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="grid gap-4 border-b py-6 first:pt-0 last:border-b-0 md:grid-cols-[minmax(0,18rem)_minmax(0,1fr)] md:gap-8">
      <div className="space-y-1">
        <h2 className="text-base font-semibold">{title}</h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      <div className="space-y-4">{children}</div>
    </div>
  );
}

/** The organization's editable settings in one form: one save, one audit entry with what changed. */
export function SettingsForm({ values }: { values: SettingsFormValues }) {
  const [state, action, pending] = useActionState(saveOrganizationSettingsAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  useEffect(() => {
    if (state?.ok) toast.success(state.message ?? "Saved.");
  }, [state]);
  // After a failed save, offer back what was typed; otherwise the saved values.
  const value = (name: string, saved: string | number) => echoed(state, name) ?? String(saved);
  const autoRegister = state && !state.ok && state.values ? state.values.autoRegisterTaskTypes === "on" : values.autoRegisterTaskTypes;
  const excludeFlagged = state && !state.ok && state.values ? state.values.excludeFlaggedApprovals === "on" : values.excludeFlaggedApprovals;
  return (
    <form action={action} noValidate className="space-y-2" aria-describedby="settings-status">
      <div id="settings-status" data-testid="settings-status">
        <FormStatus state={state} />
        {state?.ok && state.data.changed.length > 0 ? (
          <ul className="mt-2 space-y-0.5 text-sm" aria-label="Saved changes" data-testid="saved-changes">
            {state.data.changed.map((c) => (
              <li key={c.path}>
                <span className="font-medium">{label[c.path] ?? c.path}</span>: <span className="text-muted-foreground line-through">{show(c.before)}</span> → {show(c.after)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      <Section title="New task types" description="What happens when an agent submits an item for a task type key this organization hasn't seen.">
        <div className="space-y-1.5">
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" name="autoRegisterTaskTypes" value="on" defaultChecked={autoRegister} key={String(autoRegister)} className="mt-0.5 size-4 accent-primary" aria-describedby="auto-register-hint" />
            <span>
              <span className="font-medium">Auto-register unknown task types</span>
              <span id="auto-register-hint" className="block text-muted-foreground">
                On: the item is accepted and its task type registered strict (approve before action, unclassified) in the default workspace. Off: the API refuses it with 422.
              </span>
            </span>
          </label>
          <FieldError id="auto-register-error" messages={errors?.autoRegisterTaskTypes} />
        </div>
      </Section>

      <Section title="Reviewing" description="How long a reviewer holds an item they opened before someone else can take it; it renews while the item stays open.">
        <div className="max-w-xs">
          <TextField
            name="leaseMinutes"
            label="Lease length (minutes)"
            type="number"
            inputMode="numeric"
            min={LEASE_MINUTES.min}
            max={LEASE_MINUTES.max}
            step={1}
            required
            defaultValue={value("leaseMinutes", values.leaseMinutes)}
            hint={`${LEASE_MINUTES.min} to ${LEASE_MINUTES.max} minutes. Applies to the next claim; current leases keep their time.`}
            errors={errors?.leaseMinutes}
          />
        </div>
      </Section>

      <Section
        title="Readiness defaults"
        description={
          <>
            The bar a task type must clear, in its current mode, before Countersign recommends letting it run on exception. A task type&apos;s own overrides win;{" "}
            <Link href="/analytics" className="underline underline-offset-4">
              Analytics
            </Link>{" "}
            judges by these.
          </>
        }
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            name="minDecisions"
            label="Minimum decisions"
            type="number"
            inputMode="numeric"
            min={READINESS_BOUNDS.minDecisions.min}
            max={READINESS_BOUNDS.minDecisions.max}
            step={1}
            required
            defaultValue={value("minDecisions", values.readinessDefaults.minDecisions)}
            hint="Human decisions since the mode began (product default 500)."
            errors={errors?.minDecisions}
          />
          <TextField
            name="targetAcceptance"
            label="Target acceptance (%)"
            type="number"
            inputMode="decimal"
            min={READINESS_BOUNDS.targetPercent.min}
            max={READINESS_BOUNDS.targetPercent.max}
            step={0.1}
            required
            defaultValue={value("targetAcceptance", percent(values.readinessDefaults.targetAcceptance))}
            hint="Approved unchanged ÷ decided (default 98%). The 95% lower bound must reach 2 points below it."
            errors={errors?.targetAcceptance}
          />
          <TextField
            name="minDays"
            label="Minimum days"
            type="number"
            inputMode="numeric"
            min={READINESS_BOUNDS.minDays.min}
            max={READINESS_BOUNDS.minDays.max}
            step={1}
            required
            defaultValue={value("minDays", values.readinessDefaults.minDays)}
            hint="Whole days of production data in the mode (default 28)."
            errors={errors?.minDays}
          />
          <TextField
            name="stepDownWindowDays"
            label="Step-down window (days)"
            type="number"
            inputMode="numeric"
            min={READINESS_BOUNDS.stepDownWindowDays.min}
            max={READINESS_BOUNDS.stepDownWindowDays.max}
            step={1}
            required
            defaultValue={value("stepDownWindowDays", values.readinessDefaults.stepDownWindowDays)}
            hint="A task type on exception is judged on its escalated and audited decisions of the last 7–28 days (default 14; at least 30 needed)."
            errors={errors?.stepDownWindowDays}
          />
        </div>
        <div className="space-y-1.5">
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              name="excludeFlaggedApprovals"
              value="on"
              defaultChecked={excludeFlagged}
              key={String(excludeFlagged)}
              className="mt-0.5 size-4 accent-primary"
              aria-describedby="exclude-flagged-hint"
            />
            <span>
              <span className="font-medium">Leave rubber-stamped approvals out of acceptance</span>
              <span id="exclude-flagged-hint" className="block text-muted-foreground">
                Approvals by a reviewer flagged on a task type (at least half of at least 20 approvals under 5 s) don&apos;t count toward its readiness.
              </span>
            </span>
          </label>
        </div>
      </Section>

      <div className="flex flex-wrap items-center gap-3 pt-2">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save changes
        </SubmitButton>
        <p className="text-sm text-muted-foreground">Saved changes are recorded in the audit log with their before and after.</p>
      </div>
    </form>
  );
}
