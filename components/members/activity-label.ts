/** A short sentence for an audit entry in a member's activity; unknown actions fall back to their code. */
const labels: Record<string, string> = {
  "organization.created": "Created the organization",
  "organization.settings_changed": "Changed organization settings",
  "member.invited": "Invited a member",
  "member.invite_revoked": "Revoked an invite",
  "member.joined": "Joined the organization",
  "member.role_changed": "Changed a member's role",
  "member.disabled": "Disabled a member",
  "member.enabled": "Enabled a member",
  "member.workspaces_changed": "Changed a member's workspaces",
  "workspace.created": "Created a workspace",
  "workspace.renamed": "Renamed a workspace",
  "workspace.archived": "Archived a workspace",
  "workspace.restored": "Restored a workspace",
  "workspace.member_added": "Added a member to a workspace",
  "workspace.member_removed": "Removed a member from a workspace",
  "review.decided": "Decided an item",
  "review.audited": "Audited an auto-approved item",
  "review.first_approval": "Gave the first of two approvals",
  "task_type.updated": "Changed a task type's policy",
  "task_type.mode_changed": "Changed a task type's mode",
  "api_key.created": "Created an API key",
  "api_key.revoked": "Revoked an API key",
  "webhook_secret.revealed": "Revealed the webhook signing secret",
  "webhook_secret.rotated": "Rotated the webhook signing secret",
  "webhook_delivery.retried": "Retried a webhook delivery",
};

export function activityLabel(action: string): string {
  return labels[action] ?? action;
}

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);

/** The entry's object in a few words: whom or what it was about, and the change when it records one. */
export function activityDetail(data: Record<string, unknown>): string | null {
  const subject = text(data.email) ?? text(data.name) ?? text(data.key) ?? text(data.workspace);
  const before = data.before as Record<string, unknown> | undefined;
  const after = data.after as Record<string, unknown> | undefined;
  let change: string | null = null;
  if (before && after) {
    const field = Object.keys(after).find((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (field) {
      const show = (v: unknown) => (Array.isArray(v) ? v.join(", ") || "none" : (text(v) ?? "none"));
      change = `${show(before[field])} → ${show(after[field])}`;
    }
  }
  return [subject, change].filter(Boolean).join(" · ") || null;
}
