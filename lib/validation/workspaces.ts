import { z } from "zod";

/** Trimmed, inner runs of whitespace collapsed, so "Clinical " and "Clinical" are one name. */
export const WorkspaceName = z
  .string({ error: "Name the workspace" })
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(2, "Use at least 2 characters")
      .max(60, "Use at most 60 characters")
      .regex(/^[^\p{Cc}\p{Cf}]*$/u, "Use letters, digits, spaces and punctuation only"),
  );

const WorkspaceId = z.uuid({ error: "Unknown workspace" });
const UserId = z.uuid({ error: "Unknown member" });

export const CreateWorkspaceInput = z.object({ name: WorkspaceName });

export const RenameWorkspaceInput = z.object({ workspaceId: WorkspaceId, name: WorkspaceName });

export const ArchiveWorkspaceInput = z.object({
  workspaceId: WorkspaceId,
  archived: z.enum(["true", "false"], { error: "Choose archive or restore" }).transform((v) => v === "true"),
});

export const WorkspaceMemberInput = z.object({ workspaceId: WorkspaceId, userId: UserId });
