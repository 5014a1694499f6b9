/** Words for a task type's consequence profile, shared by the list and the editor. */
export const dataClassLabel: Record<string, string> = { none: "No personal data", pii: "PII", phi: "PHI", financial: "Financial" };

export const dataClassHint: Record<string, string> = {
  none: "Touches no personal data.",
  pii: "Reads or writes personal data (names, contact details).",
  phi: "Writes protected health information: a person always approves first.",
  financial: "Moves money or touches financial records.",
};

export const modeHint: Record<string, string> = {
  approve_before_action: "Nothing runs until a person approves it. The agent waits.",
  review_after_draft: "The AI drafts; a person reviews and may edit before it is sent or filed.",
  flag_on_exception: "Runs on its own; goes to a person on low confidence, a matching rule or the agent's flag. A sample of the rest is audited.",
};

/** "4 h", "90 min", "2 days". */
export function minutesText(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export const percentText = (share: number) => `${Number((share * 100).toFixed(2))}%`;
