"use server";

import { revalidatePath } from "next/cache";
import { updateOrganizationSettings } from "@/db/queries/organizations";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { OrganizationSettingsForm } from "@/lib/validation/settings";

export type SettingsSaved = { changed: { path: string; before: unknown; after: unknown }[] };

/** Saves the organization settings form; the audit entry with its before/after is written with the change. */
export const saveOrganizationSettingsAction = scopedAction("settings.manage", OrganizationSettingsForm, async (input, { db, scope }) => {
  const changed = await updateOrganizationSettings(db, scope, input);
  if (changed.length === 0) return ok<SettingsSaved>({ changed }, "Nothing changed: these are already the settings.");
  revalidatePath("/admin/settings");
  revalidatePath("/analytics", "layout");
  return ok<SettingsSaved>({ changed }, `Saved ${changed.length} change${changed.length === 1 ? "" : "s"}. The audit log has the before and after.`);
});
