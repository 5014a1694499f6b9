"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { ruleOps, type ExceptionRule, type RuleOp } from "@/lib/policy";
import type { FieldErrors } from "@/lib/errors";
import { ruleValueFromText, ruleValueToText } from "@/lib/validation/task-types";

/** One row as typed: the value stays text until it is sent (see `ruleValueFromText`). */
export type RuleRow = { uid: string; name: string; path: string; op: RuleOp; valueText: string };

const opLabel: Record<RuleOp, string> = {
  gt: "> greater than",
  gte: "≥ at least",
  lt: "< less than",
  lte: "≤ at most",
  eq: "= equals",
  neq: "≠ doesn't equal",
  in: "is one of",
  notIn: "is none of",
  exists: "is present / missing",
};

const valuePlaceholder: Record<RuleOp, string> = {
  gt: "1000",
  gte: "1000",
  lt: "0.5",
  lte: "0.5",
  eq: "gold",
  neq: "gold",
  in: "gold, platinum",
  notIn: "US, CA",
  exists: "",
};

let nextUid = 0;
export const newRuleUid = () => `rule-${++nextUid}`;

export function rowsOf(rules: ExceptionRule[]): RuleRow[] {
  return rules.map((r) => ({ uid: newRuleUid(), name: r.name, path: r.path, op: r.op, valueText: ruleValueToText(r.op, r.value) }));
}

/** What the form sends: each row with its value read by operator; the server validates it. */
export function rulesOf(rows: RuleRow[]): unknown[] {
  return rows.map((r) => {
    const value = ruleValueFromText(r.op, r.valueText);
    return value === undefined ? { name: r.name.trim(), path: r.path.trim(), op: r.op } : { name: r.name.trim(), path: r.path.trim(), op: r.op, value };
  });
}

export function ExceptionRulesEditor({ rows, onChange, errors }: { rows: RuleRow[]; onChange: (rows: RuleRow[]) => void; errors?: FieldErrors }) {
  const update = (uid: string, patch: Partial<RuleRow>) => onChange(rows.map((r) => (r.uid === uid ? { ...r, ...patch } : r)));
  const listError = errors?.exceptionRules;
  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
          No exception rules. In flag on exception, items still go to a person on low confidence or when the agent flags them.
        </p>
      ) : (
        <div className="space-y-2">
          <div aria-hidden className="hidden grid-cols-[minmax(0,10rem)_minmax(0,1fr)_minmax(0,12rem)_minmax(0,1fr)_2.25rem] gap-2 px-1 text-xs font-medium text-muted-foreground md:grid">
            <span>Name</span>
            <span>Field path</span>
            <span>Operator</span>
            <span>Value</span>
            <span />
          </div>
          {rows.map((row, i) => {
            const n = i + 1;
            const err = (field: string) => errors?.[`exceptionRules.${i}.${field}`] ?? (field === "name" ? errors?.[`exceptionRules.${i}`] : undefined);
            const rowErrors = ["name", "path", "op", "value"].flatMap((f) => err(f) ?? []);
            return (
              <fieldset key={row.uid} className="space-y-1 rounded-md border p-2 md:border-0 md:p-0" data-testid={`rule-row-${n}`}>
                <legend className="sr-only">Rule {n}</legend>
                <div className="grid grid-cols-1 gap-2 md:grid-cols-[minmax(0,10rem)_minmax(0,1fr)_minmax(0,12rem)_minmax(0,1fr)_2.25rem]">
                  <Input
                    aria-label={`Rule ${n} name`}
                    placeholder="large-order"
                    value={row.name}
                    aria-invalid={err("name") ? true : undefined}
                    aria-describedby={rowErrors.length ? `rule-${row.uid}-error` : undefined}
                    onChange={(e) => update(row.uid, { name: e.target.value })}
                  />
                  <Input
                    aria-label={`Rule ${n} field path`}
                    placeholder="action.amount"
                    className="font-mono"
                    value={row.path}
                    aria-invalid={err("path") ? true : undefined}
                    aria-describedby={rowErrors.length ? `rule-${row.uid}-error` : undefined}
                    onChange={(e) => update(row.uid, { path: e.target.value })}
                  />
                  <NativeSelect
                    aria-label={`Rule ${n} operator`}
                    value={row.op}
                    onChange={(e) => {
                      const op = e.target.value as RuleOp;
                      update(row.uid, { op, valueText: op === "exists" ? "true" : row.op === "exists" ? "" : row.valueText });
                    }}
                  >
                    {ruleOps.map((op) => (
                      <option key={op} value={op}>
                        {opLabel[op]}
                      </option>
                    ))}
                  </NativeSelect>
                  {row.op === "exists" ? (
                    <NativeSelect aria-label={`Rule ${n} value`} value={row.valueText === "false" ? "false" : "true"} onChange={(e) => update(row.uid, { valueText: e.target.value })}>
                      <option value="true">present</option>
                      <option value="false">missing</option>
                    </NativeSelect>
                  ) : (
                    <Input
                      aria-label={`Rule ${n} value`}
                      placeholder={valuePlaceholder[row.op]}
                      value={row.valueText}
                      aria-invalid={err("value") ? true : undefined}
                      aria-describedby={rowErrors.length ? `rule-${row.uid}-error` : undefined}
                      onChange={(e) => update(row.uid, { valueText: e.target.value })}
                    />
                  )}
                  <Button type="button" variant="ghost" size="icon" aria-label={`Remove rule ${n}`} onClick={() => onChange(rows.filter((r) => r.uid !== row.uid))}>
                    <Trash2 aria-hidden />
                  </Button>
                </div>
                {rowErrors.length > 0 && <FieldError id={`rule-${row.uid}-error`} messages={rowErrors} className="px-1 text-xs" />}
              </fieldset>
            );
          })}
        </div>
      )}
      {listError && <FieldError id="exception-rules-error" messages={listError} />}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => onChange([...rows, { uid: newRuleUid(), name: "", path: "action.", op: "gt", valueText: "" }])}>
          <Plus aria-hidden /> Add rule
        </Button>
        <p className="text-xs text-muted-foreground">
          Paths start with <code className="font-mono">action.</code> or <code className="font-mono">context.</code>; lists are comma-separated; quote a value to keep it text (<code className="font-mono">&quot;12&quot;</code>).
        </p>
      </div>
    </div>
  );
}
