/**
 * What a reviewer changed, shown before they confirm an edit: field-level for the action (a JSON
 * object), line-level for a draft. Pure, so the item page and its tests share it.
 */

export type FieldChange = { path: string; before: unknown; after: unknown };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Changed leaves, as dotted paths; arrays compare as whole values. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, prefix = ""): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: FieldChange[] = [];
  for (const key of keys) {
    const path = prefix ? `${prefix}.${key}` : key;
    const a = before[key];
    const b = after[key];
    if (isPlainObject(a) && isPlainObject(b)) out.push(...diffFields(a, b, path));
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b });
  }
  return out;
}

export type LineChange = { kind: "same" | "added" | "removed"; text: string };

/** Longest-common-subsequence line diff; past `maxLines` it reports a whole replacement rather than burn the CPU. */
export function diffLines(before: string, after: string, maxLines = 2000): LineChange[] {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length > maxLines || b.length > maxLines) {
    return [...a.map((text) => ({ kind: "removed" as const, text })), ...b.map((text) => ({ kind: "added" as const, text }))];
  }
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: "removed", text: a[i++] });
    else out.push({ kind: "added", text: b[j++] });
  }
  while (i < a.length) out.push({ kind: "removed", text: a[i++] });
  while (j < b.length) out.push({ kind: "added", text: b[j++] });
  return out;
}
