import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";

export type ControlProps = { id: string; "aria-describedby"?: string; "aria-invalid"?: true };

/** A labelled control whose hint and errors are linked with aria-describedby; the control is rendered by `children`. */
export function Field({ id, label, hint, errors, children }: { id: string; label: React.ReactNode; hint?: React.ReactNode; errors?: string[]; children: (control: ControlProps) => React.ReactNode }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined, "aria-invalid": errorId ? true : undefined })}
      {hint && (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {errorId && <FieldError id={errorId} messages={errors} />}
    </div>
  );
}
