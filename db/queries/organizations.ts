import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Executor } from "../client";
import { memberships, organizations, users, workspaces, workspaceMembers } from "../schema";
import { appendAudit } from "./audit";

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

async function emailTaken(db: Executor, email: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return Boolean(row);
}

/**
 * Sign-up: a new organization, its first admin, and a default workspace, in one transaction.
 * The caller hashes the password; this function never sees it in the clear.
 */
export async function createOrganizationWithAdmin(
  db: Executor,
  params: { organizationName: string; name: string; email: string; passwordHash: string },
): Promise<{ organizationId: string; userId: string }> {
  return db.transaction(async (tx) => {
    if (await emailTaken(tx, params.email)) {
      throw new AppError("conflict", "An account with this email already exists. Sign in instead.", {
        fieldErrors: { email: ["An account with this email already exists"] },
      });
    }
    const slug = `${slugify(params.organizationName)}-${randomBytes(3).toString("hex")}`;
    const [org] = await tx.insert(organizations).values({ name: params.organizationName, slug }).returning({ id: organizations.id });
    const [user] = await tx.insert(users).values({ email: params.email, name: params.name, passwordHash: params.passwordHash }).returning({ id: users.id });
    await tx.insert(memberships).values({ organizationId: org.id, userId: user.id, role: "admin" });
    const [workspace] = await tx
      .insert(workspaces)
      .values({ organizationId: org.id, name: "General", isDefault: true })
      .returning({ id: workspaces.id });
    await tx.insert(workspaceMembers).values({ organizationId: org.id, workspaceId: workspace.id, userId: user.id });
    await appendAudit(tx, {
      organizationId: org.id,
      actorUserId: user.id,
      action: "organization.created",
      targetType: "organization",
      targetId: org.id,
      data: { name: params.organizationName, admin: params.email },
    });
    return { organizationId: org.id, userId: user.id };
  });
}
