import { z } from "zod";
import { RoleInput } from "./auth";

const UserId = z.uuid({ error: "Unknown member" });

/** Several members at once; duplicates collapse so a member is counted (and audited) once. */
export const BulkRoleChangeInput = z.object({
  userIds: z
    .array(UserId)
    .min(1, "Select at least one member")
    .max(500, "Select at most 500 members at a time")
    .transform((ids) => [...new Set(ids)]),
  role: RoleInput,
});

/** The complete set of open workspaces a member should belong to; archived ones are left as they are. */
export const SetMemberWorkspacesInput = z.object({
  userId: UserId,
  workspaceIds: z
    .array(z.uuid({ error: "Unknown workspace" }))
    .max(200, "Choose at most 200 workspaces")
    .transform((ids) => [...new Set(ids)]),
});
