import { SubNav } from "@/components/shell/sub-nav";

const sections = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/members", label: "Members" },
  { href: "/admin/workspaces", label: "Workspaces" },
  { href: "/admin/task-types", label: "Task types" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/settings", label: "Settings" },
];

// Navigation only; each admin page checks the role itself.
export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="space-y-6">
      <SubNav label="Admin sections" items={sections} />
      {children}
    </div>
  );
}
