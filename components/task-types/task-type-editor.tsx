"use client";

import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { toast } from "sonner";
import { ShieldAlert } from "lucide-react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { previewRoutingAction, saveTaskTypeAction } from "@/lib/actions/task-types";
import { floorLoosenings, floorsOf, unattendedRefusal } from "@/lib/task-types/changes";
import { dataClassOptions, MIN_JUSTIFICATION, modeOptions, type TaskTypePolicy } from "@/lib/validation/task-types";
import { ChangeSummary } from "./change-summary";
import { ExceptionRulesEditor, rowsOf, rulesOf, type RuleRow } from "./exception-rules-editor";
import { Field } from "./field";
import { dataClassHint, dataClassLabel, modeHint } from "./labels";
import { RoutingPreviewResult } from "./routing-preview";

export type RecentItem = { id: string; label: string };
export type ReadinessDefaults = { minDecisions: number; targetAcceptance: number; minDays: number };

const modeName: Record<string, string> = { approve_before_action: "Approve before action", review_after_draft: "Review after draft", flag_on_exception: "Flag on exception" };

type FormValues = {
  name: string;
  workspaceId: string;
  mode: TaskTypePolicy["mode"];
  /** Blank until an admin classifies the task type: its consequences are a choice, not a default. */
  reversible: "reversible" | "irreversible" | "";
  dataClass: TaskTypePolicy["dataClass"] | "";
  customerFacing: boolean;
  confidenceThreshold: string;
  amountLimit: string;
  amountCurrency: string;
  amountPath: string;
  amountCurrencyPath: string;
  auditSamplePercent: string;
  slaMinutes: string;
  defaultExpiryMinutes: string;
  minDecisions: string;
  targetAcceptancePercent: string;
  minDays: string;
  twoPerson: "off" | "always" | "above";
  twoPersonAmount: string;
};

const numberText = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(Number(v.toFixed(6))));

function valuesOf(p: TaskTypePolicy, classified: boolean): FormValues {
  const rule = p.twoPersonRule;
  return {
    name: p.name,
    workspaceId: p.workspaceId,
    mode: p.mode,
    reversible: !classified ? "" : p.reversible ? "reversible" : "irreversible",
    dataClass: classified ? p.dataClass : "",
    customerFacing: p.customerFacing,
    confidenceThreshold: p.confidenceThreshold.toFixed(2),
    amountLimit: p.amountLimit === null ? "" : p.amountLimit.toFixed(2),
    amountCurrency: p.amountCurrency ?? "",
    amountPath: p.amountPath ?? "",
    amountCurrencyPath: p.amountCurrencyPath ?? "",
    auditSamplePercent: numberText(p.auditSampleRate * 100),
    slaMinutes: String(p.slaMinutes),
    defaultExpiryMinutes: p.defaultExpirySeconds === null ? "" : numberText(p.defaultExpirySeconds / 60),
    minDecisions: numberText(p.readinessOverrides.minDecisions),
    targetAcceptancePercent: p.readinessOverrides.targetAcceptance === undefined ? "" : numberText(p.readinessOverrides.targetAcceptance * 100),
    minDays: numberText(p.readinessOverrides.minDays),
    twoPerson: rule && "always" in rule ? "always" : rule && "aboveAmount" in rule ? "above" : "off",
    twoPersonAmount: rule && "aboveAmount" in rule ? String(rule.aboveAmount) : "",
  };
}

/** Just the floor-related settings as typed, to warn about a loosening before the server refuses it. */
function floorDraft(saved: TaskTypePolicy, v: FormValues): TaskTypePolicy {
  const typed = v.amountLimit.trim() === "" ? null : Number(v.amountLimit.replace(/,/g, ""));
  // Half-typed numbers leave the saved limit in place until they parse.
  const limit = typed === null || Number.isFinite(typed) ? typed : saved.amountLimit;
  return {
    ...saved,
    mode: v.mode,
    reversible: v.reversible === "" ? saved.reversible : v.reversible === "reversible",
    dataClass: v.dataClass || saved.dataClass,
    amountLimit: limit,
    amountCurrency: limit === null ? null : v.amountCurrency.trim().toUpperCase() || null,
    amountPath: v.amountPath.trim() || null,
    amountCurrencyPath: v.amountCurrencyPath.trim() || null,
  };
}

export function TaskTypeEditor({
  taskTypeKey,
  version,
  classified,
  saved,
  workspaces,
  recentItems,
  readinessDefaults,
}: {
  taskTypeKey: string;
  version: string;
  classified: boolean;
  saved: TaskTypePolicy;
  workspaces: { id: string; name: string; archived: boolean }[];
  recentItems: RecentItem[];
  readinessDefaults: ReadinessDefaults;
}) {
  const [values, setValues] = useState<FormValues>(() => valuesOf(saved, classified));
  // A justification belongs to one version: once saved, the next loosening needs its own.
  const [justification, setJustification] = useState({ text: "", version });
  const justificationText = justification.version === version ? justification.text : "";
  const [rules, setRules] = useState<RuleRow[]>(() => rowsOf(saved.exceptionRules));
  const [previewId, setPreviewId] = useState(recentItems[0]?.id ?? "");
  const [saveState, save, saving] = useActionState(saveTaskTypeAction, null);
  const [previewState, preview, previewing] = useActionState(previewRoutingAction, null);
  const [lastRun, setLastRun] = useState<"save" | "preview" | null>(null);
  const [, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const active = lastRun === "preview" ? previewState : saveState;
  const errors = active && !active.ok ? active.fieldErrors : undefined;
  const err = (name: string) => errors?.[name];

  const draft = floorDraft(saved, values);
  const loosenings = floorLoosenings(saved, draft);
  const floorWarning = unattendedRefusal(draft);
  const floors = floorsOf(draft);
  const showJustification = loosenings.length > 0 || Boolean(err("justification"));

  useEffect(() => {
    if (!saveState) return;
    if (!saveState.ok) toast.error(saveState.message);
    else if (saveState.data.changed) {
      toast.success(saveState.message ?? "Saved.");
      summaryRef.current?.focus();
      summaryRef.current?.scrollIntoView({ block: "start", behavior: "smooth" });
    } else toast.info(saveState.message ?? "Nothing changed.");
  }, [saveState]);

  const submit = (which: "save" | "preview") => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    if (which === "preview") data.set("previewReviewId", previewId);
    startTransition(() => {
      setLastRun(which);
      (which === "save" ? save : preview)(data);
    });
  };

  const summary = saveState?.ok && saveState.data.changed ? saveState.data : null;
  const busy = saving || previewing;

  return (
    <form
      ref={formRef}
      noValidate
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        submit("save");
      }}
    >
      <input type="hidden" name="key" value={taskTypeKey} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="exceptionRules" value={JSON.stringify(rulesOf(rules))} />
      {err("version") && <FormStatus state={{ ok: false, message: err("version")![0] }} />}
      {summary && <ChangeSummary ref={summaryRef} changes={summary.changes} floorLoosened={summary.floorLoosened} workspaceNames={summary.workspaceNames} />}

      <Card>
        <CardHeader>
          <CardTitle>Name and workspace</CardTitle>
          <CardDescription>Reviewers see this task type&apos;s items in its workspace&apos;s queue.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <Field id="field-name" label="Name" errors={err("name")}>
            {(c) => <Input {...c} name="name" value={values.name} maxLength={100} onChange={(e) => set("name", e.target.value)} />}
          </Field>
          <Field id="field-workspace" label="Workspace" errors={err("workspaceId")}>
            {(c) => (
              <NativeSelect {...c} name="workspaceId" value={values.workspaceId} onChange={(e) => set("workspaceId", e.target.value)}>
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id} disabled={w.archived && w.id !== saved.workspaceId}>
                    {w.name}
                    {w.archived ? " (archived)" : ""}
                  </option>
                ))}
              </NativeSelect>
            )}
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Consequences</CardTitle>
          <CardDescription>What an action of this type can break. Irreversible actions and PHI writes always wait for a person, whatever the mode.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <fieldset className="space-y-2" aria-describedby={err("reversible") ? "field-reversible-error" : undefined}>
            <legend className="text-sm font-medium">Can its actions be undone?</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {(["reversible", "irreversible"] as const).map((option) => (
                <label key={option} className="flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5">
                  <input type="radio" name="reversible" value={option} checked={values.reversible === option} onChange={() => set("reversible", option)} className="mt-0.5 accent-primary" />
                  <span>
                    <span className="font-medium">{option === "reversible" ? "Reversible" : "Irreversible"}</span>
                    <span className="block text-muted-foreground">{option === "reversible" ? "A mistake can be undone (a tag, a reschedule)." : "Can't be undone (money sent, a record filed): a person always approves first."}</span>
                  </span>
                </label>
              ))}
            </div>
            <FieldError id="field-reversible-error" messages={err("reversible")} />
          </fieldset>
          <div className="grid gap-4 md:grid-cols-2">
            <Field id="field-dataClass" label="Data class" hint={values.dataClass ? dataClassHint[values.dataClass] : "What data its actions touch."} errors={err("dataClass")}>
              {(c) => (
                <NativeSelect {...c} name="dataClass" value={values.dataClass} onChange={(e) => set("dataClass", e.target.value as FormValues["dataClass"])}>
                  {values.dataClass === "" && (
                    <option value="" disabled>
                      Choose…
                    </option>
                  )}
                  {dataClassOptions.map((d) => (
                    <option key={d} value={d}>
                      {dataClassLabel[d]}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
            <div className="space-y-1.5">
              <span className="text-sm font-medium">Audience</span>
              <label className="flex h-9 items-center gap-2 text-sm">
                <input type="checkbox" name="customerFacing" checked={values.customerFacing} onChange={(e) => set("customerFacing", e.target.checked)} className="size-4 accent-primary" />
                Customer-facing (a customer sees the result)
              </label>
            </div>
          </div>
          <p className="text-sm text-muted-foreground" data-testid="floors">
            Floors: {floors.length === 0 ? "none" : floors.join(", ")}.
          </p>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Mode and thresholds</CardTitle>
          <CardDescription>How much this task type may do without a person. Analytics recommends when it has earned more.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <div className="md:col-span-3">
            <Field id="field-mode" label="Mode" hint={floorWarning ? undefined : modeHint[values.mode]} errors={err("mode")}>
              {(c) => (
                <NativeSelect {...c} name="mode" value={values.mode} onChange={(e) => set("mode", e.target.value as FormValues["mode"])}>
                  {modeOptions.map((m) => (
                    <option key={m} value={m}>
                      {modeName[m]}
                    </option>
                  ))}
                </NativeSelect>
              )}
            </Field>
            {floorWarning && !err("mode") && (
              <p className="mt-1.5 flex items-center gap-1.5 text-xs font-medium text-warning" data-testid="mode-floor-warning">
                <ShieldAlert className="size-3.5" aria-hidden /> With an irreversible or PHI floor this mode will be refused on save.
              </p>
            )}
          </div>
          <Field id="field-confidenceThreshold" label="Confidence threshold" hint="In flag on exception, items below it go to a person (0–1)." errors={err("confidenceThreshold")}>
            {(c) => <Input {...c} name="confidenceThreshold" inputMode="decimal" value={values.confidenceThreshold} onChange={(e) => set("confidenceThreshold", e.target.value)} />}
          </Field>
          <Field id="field-auditSamplePercent" label="Audit sample rate (%)" hint="Share of automatic approvals a person reviews afterwards." errors={err("auditSamplePercent")}>
            {(c) => <Input {...c} name="auditSamplePercent" inputMode="decimal" value={values.auditSamplePercent} onChange={(e) => set("auditSamplePercent", e.target.value)} />}
          </Field>
          <Field id="field-slaMinutes" label="SLA (minutes)" hint="How soon a person should decide an item." errors={err("slaMinutes")}>
            {(c) => <Input {...c} name="slaMinutes" inputMode="numeric" value={values.slaMinutes} onChange={(e) => set("slaMinutes", e.target.value)} />}
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Amounts, approvals and expiry</CardTitle>
          <CardDescription>Items over the amount limit always go to a person, in every mode.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <div className="grid gap-4 md:grid-cols-3">
            <Field id="field-amountLimit" label="Amount limit" hint="Leave blank for no limit." errors={err("amountLimit")}>
              {(c) => <Input {...c} name="amountLimit" inputMode="decimal" placeholder="No limit" value={values.amountLimit} onChange={(e) => set("amountLimit", e.target.value)} />}
            </Field>
            <Field id="field-amountCurrency" label="Currency" hint="ISO 4217, e.g. USD." errors={err("amountCurrency")}>
              {(c) => <Input {...c} name="amountCurrency" maxLength={3} className="uppercase" placeholder="USD" value={values.amountCurrency} onChange={(e) => set("amountCurrency", e.target.value)} />}
            </Field>
            <Field
              id="field-amountPath"
              label="Amount in the action"
              hint="Where each item's amount lives, e.g. action.amount. Blank: the top-level amount. Items without a readable amount go to a person."
              errors={err("amountPath")}
            >
              {(c) => <Input {...c} name="amountPath" className="font-mono" placeholder="Top-level amount" value={values.amountPath} onChange={(e) => set("amountPath", e.target.value)} />}
            </Field>
            <Field id="field-amountCurrencyPath" label="Its currency in the action" hint="e.g. action.currency. Blank: the currency above." errors={err("amountCurrencyPath")}>
              {(c) => <Input {...c} name="amountCurrencyPath" className="font-mono" placeholder="The currency above" value={values.amountCurrencyPath} onChange={(e) => set("amountCurrencyPath", e.target.value)} />}
            </Field>
            <Field id="field-defaultExpiryMinutes" label="Default expiry (minutes)" hint="Undecided items expire (never approved by silence). Blank: never." errors={err("defaultExpiryMinutes")}>
              {(c) => <Input {...c} name="defaultExpiryMinutes" inputMode="decimal" placeholder="Never" value={values.defaultExpiryMinutes} onChange={(e) => set("defaultExpiryMinutes", e.target.value)} />}
            </Field>
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Two-person approval</legend>
            <p className="text-xs text-muted-foreground">Two different reviewers must approve; a rejection by either ends it.</p>
            <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
              {(
                [
                  ["off", "Off"],
                  ["always", "Always"],
                  ["above", "Above an amount"],
                ] as const
              ).map(([option, label]) => (
                <label key={option} className="flex items-center gap-2">
                  <input type="radio" name="twoPerson" value={option} checked={values.twoPerson === option} onChange={() => set("twoPerson", option)} className="accent-primary" />
                  {label}
                </label>
              ))}
            </div>
            {values.twoPerson === "above" && (
              <div className="max-w-xs">
                <Field id="field-twoPersonAmount" label="Two people approve above" hint={values.amountCurrency ? `In ${values.amountCurrency.toUpperCase()}.` : "In the item's currency."} errors={err("twoPersonAmount")}>
                  {(c) => <Input {...c} name="twoPersonAmount" inputMode="decimal" value={values.twoPersonAmount} onChange={(e) => set("twoPersonAmount", e.target.value)} />}
                </Field>
              </div>
            )}
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Readiness overrides</CardTitle>
          <CardDescription>What this task type must show before Analytics recommends flag on exception. Blank uses the organization&apos;s default.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <Field id="field-minDecisions" label="Human decisions" hint={`Default ${readinessDefaults.minDecisions}.`} errors={err("minDecisions")}>
            {(c) => <Input {...c} name="minDecisions" inputMode="numeric" placeholder={`${readinessDefaults.minDecisions} (default)`} value={values.minDecisions} onChange={(e) => set("minDecisions", e.target.value)} />}
          </Field>
          <Field id="field-targetAcceptancePercent" label="Target acceptance (%)" hint={`Default ${readinessDefaults.targetAcceptance * 100}%.`} errors={err("targetAcceptancePercent")}>
            {(c) => (
              <Input {...c} name="targetAcceptancePercent" inputMode="decimal" placeholder={`${readinessDefaults.targetAcceptance * 100} (default)`} value={values.targetAcceptancePercent} onChange={(e) => set("targetAcceptancePercent", e.target.value)} />
            )}
          </Field>
          <Field id="field-minDays" label="Days of data" hint={`Default ${readinessDefaults.minDays}.`} errors={err("minDays")}>
            {(c) => <Input {...c} name="minDays" inputMode="numeric" placeholder={`${readinessDefaults.minDays} (default)`} value={values.minDays} onChange={(e) => set("minDays", e.target.value)} />}
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Exception rules</CardTitle>
          <CardDescription>In flag on exception, an item whose action or context matches a rule goes to a person.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-6">
          <ExceptionRulesEditor rows={rules} onChange={setRules} errors={errors} />
          <section aria-labelledby="preview-heading" className="space-y-3 border-t pt-4">
            <div>
              <h3 id="preview-heading" className="text-sm font-semibold">
                Test against a recent item
              </h3>
              <p className="text-xs text-muted-foreground">Routes a recent item under the policy as edited on this page, before you save. Nothing is written.</p>
            </div>
            {recentItems.length === 0 ? (
              <p className="text-sm text-muted-foreground">No items yet: once an agent submits one, you can test this policy against it.</p>
            ) : (
              <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
                <div className="min-w-0 flex-1">
                  <Field id="field-previewReviewId" label="Recent item" errors={lastRun === "preview" ? err("previewReviewId") : undefined}>
                    {(c) => (
                      <NativeSelect {...c} value={previewId} onChange={(e) => setPreviewId(e.target.value)}>
                        {recentItems.map((item) => (
                          <option key={item.id} value={item.id}>
                            {item.label}
                          </option>
                        ))}
                      </NativeSelect>
                    )}
                  </Field>
                </div>
                <Button type="button" variant="outline" disabled={busy} onClick={() => submit("preview")}>
                  {previewing && <Spinner className="size-4" />}
                  {previewing ? "Routing…" : "Test routing"}
                </Button>
              </div>
            )}
            {lastRun === "preview" && previewState && !previewState.ok && <FormStatus state={previewState} />}
            {previewState?.ok && (
              <RoutingPreviewResult
                preview={previewState.data}
                threshold={Number(values.confidenceThreshold)}
                limit={draft.amountLimit}
                currency={draft.amountCurrency}
              />
            )}
          </section>
        </CardContent>
      </Card>

      {showJustification && (
        <Alert variant="warning" data-testid="loosening-warning">
          <ShieldAlert aria-hidden />
          <AlertTitle>This save loosens a floor</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {loosenings.map((l) => (
                <li key={l.field}>{l.message}.</li>
              ))}
            </ul>
            <p>Items that used to wait for a person may no longer. Say why; the audit log highlights this change with your words.</p>
          </AlertDescription>
        </Alert>
      )}
      {showJustification && (
        <div className="space-y-1.5">
          <Label htmlFor="field-justification">Justification</Label>
          <Textarea
            id="field-justification"
            name="justification"
            value={justificationText}
            maxLength={2000}
            placeholder="e.g. Legal confirmed the notes are de-identified before the agent sees them (ticket SEC-142)."
            aria-invalid={err("justification") ? true : undefined}
            aria-describedby={["field-justification-hint", err("justification") ? "field-justification-error" : ""].filter(Boolean).join(" ")}
            onChange={(e) => setJustification({ text: e.target.value, version })}
          />
          <p id="field-justification-hint" className="text-xs text-muted-foreground">
            At least {MIN_JUSTIFICATION} characters ({justificationText.trim().length} so far).
          </p>
          <FieldError id="field-justification-error" messages={err("justification")} />
        </div>
      )}

      {lastRun === "save" && saveState && !saveState.ok && <FormStatus state={saveState} />}
      <div className="flex flex-wrap items-center gap-3 border-t pt-4">
        <SubmitButton pending={saving} pendingLabel="Saving…" disabled={busy}>
          Save changes
        </SubmitButton>
        <Button asChild variant="ghost">
          <Link href="/admin/task-types">Back to task types</Link>
        </Button>
        <p className="text-xs text-muted-foreground">Saving marks the task type classified. Every change is recorded in the audit log.</p>
      </div>
    </form>
  );
}
