/**
 * Roles are per organization and nested: admin ⊇ manager ⊇ reviewer. Every page, action and route
 * asks `can(role, capability)` with a role read from the database in that request.
 */
export type Role = "admin" | "manager" | "reviewer";

const rank: Record<Role, number> = { reviewer: 1, manager: 2, admin: 3 };

/** The least role that holds each capability. */
export const capabilities = {
  "queue.work": "reviewer",
  "reviews.decide": "reviewer",
  "workspaces.seeAll": "manager",
  "analytics.view": "manager",
  "admin.view": "admin",
  "members.manage": "admin",
  "workspaces.manage": "admin",
  "taskTypes.manage": "admin",
  "apiKeys.manage": "admin",
  "webhooks.manage": "admin",
  "settings.manage": "admin",
  "audit.view": "admin",
} as const satisfies Record<string, Role>;

export type Capability = keyof typeof capabilities;

export function can(role: Role, capability: Capability): boolean {
  return rank[role] >= rank[capabilities[capability]];
}

/** Where each role lands after signing in: the area it works in. */
export function homePathFor(role: Role): string {
  if (role === "admin") return "/admin";
  if (role === "manager") return "/analytics";
  return "/queue";
}

export type NavItem = { href: string; label: string; capability: Capability };

export const navItems: readonly NavItem[] = [
  { href: "/queue", label: "Queue", capability: "queue.work" },
  { href: "/analytics", label: "Analytics", capability: "analytics.view" },
  { href: "/admin", label: "Admin", capability: "admin.view" },
];

export function navFor(role: Role): NavItem[] {
  return navItems.filter((item) => can(role, item.capability));
}
