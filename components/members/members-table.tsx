"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { AvatarInitials } from "@/components/ui/avatar-initials";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { changeMemberRolesAction } from "@/lib/actions/members";
import { MemberRoleForm, MemberStatusForm } from "./member-actions";

type Role = "admin" | "manager" | "reviewer";
export type MemberListRow = { userId: string; name: string; email: string; role: Role; status: "active" | "disabled"; workspaces: string[]; joinedAt: string; isYou: boolean };

const roleLabel: Record<Role, string> = { admin: "Admin", manager: "Manager", reviewer: "Reviewer" };
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** The member list, with checkboxes for changing several members' role at once. */
export function MembersTable({ members }: { members: MemberListRow[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [role, setRole] = useState<Role>("reviewer");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const selectAll = useRef<HTMLInputElement>(null);

  // Members removed by a refresh drop out of the selection.
  const chosen = members.filter((m) => selected.has(m.userId));
  const allChosen = chosen.length === members.length && members.length > 0;
  const partly = chosen.length > 0 && !allChosen;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = partly;
  }, [partly]);

  const toggle = (userId: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(userId);
      else next.delete(userId);
      return next;
    });

  const apply = () =>
    startTransition(async () => {
      const form = new FormData();
      for (const m of chosen) form.append("userIds", m.userId);
      form.set("role", role);
      const result = await changeMemberRolesAction(null, form);
      if (!result.ok) return setError(result.message);
      setConfirming(false);
      setSelected(new Set());
      toast.success(result.message ?? "Roles changed.");
      router.refresh();
    });

  return (
    <div className="space-y-4">
      <div className="flex flex-col gap-3 rounded-lg border bg-muted/40 p-3 sm:flex-row sm:items-center sm:justify-between" data-testid="bulk-role-bar">
        <p className="text-sm" aria-live="polite">
          {chosen.length === 0 ? <span className="text-muted-foreground">Select members to change their role together.</span> : <strong>{chosen.length} selected</strong>}
        </p>
        <div className="flex items-center gap-2">
          <Label htmlFor="bulk-role" className="whitespace-nowrap">
            Set role to
          </Label>
          <NativeSelect id="bulk-role" value={role} onChange={(e) => setRole(e.target.value as Role)} wrapperClassName="w-36">
            <option value="reviewer">Reviewer</option>
            <option value="manager">Manager</option>
            <option value="admin">Admin</option>
          </NativeSelect>
          <Dialog open={confirming} onOpenChange={(o) => (setConfirming(o), setError(null))}>
            <DialogTrigger asChild>
              <Button disabled={chosen.length === 0}>Change role</Button>
            </DialogTrigger>
            <ConfirmContent chosen={chosen} role={role} error={error} pending={pending} onConfirm={apply} />
          </Dialog>
        </div>
      </div>
      <Table>
        <caption className="sr-only">Members of your organization</caption>
        <TableHeader>
          <TableRow>
            <TableHead className="w-10">
              <input
                ref={selectAll}
                type="checkbox"
                aria-label="Select all members"
                checked={allChosen}
                onChange={(e) => setSelected(e.target.checked ? new Set(members.map((m) => m.userId)) : new Set())}
                className="size-4 cursor-pointer accent-primary align-middle"
              />
            </TableHead>
            <TableHead>Member</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Workspaces</TableHead>
            <TableHead>Joined</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((m) => (
            <TableRow key={m.userId} data-testid={`member-${m.email}`} data-state={selected.has(m.userId) ? "selected" : undefined}>
              <TableCell>
                <input
                  type="checkbox"
                  aria-label={`Select ${m.name}`}
                  checked={selected.has(m.userId)}
                  onChange={(e) => toggle(m.userId, e.target.checked)}
                  className="size-4 cursor-pointer accent-primary align-middle"
                />
              </TableCell>
              <TableCell>
                <div className="flex items-center gap-3">
                  <AvatarInitials name={m.name} />
                  <div>
                    <div className="font-medium">
                      <Link href={`/admin/members/${m.userId}`} className="hover:underline">
                        {m.name}
                      </Link>
                      {m.isYou && <span className="ml-2 text-xs text-muted-foreground">(you)</span>}
                    </div>
                    <div className="text-xs text-muted-foreground">{m.email}</div>
                  </div>
                </div>
              </TableCell>
              <TableCell>
                <MemberRoleForm userId={m.userId} name={m.name} role={m.role} />
              </TableCell>
              <TableCell>{m.status === "active" ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Disabled</Badge>}</TableCell>
              <TableCell className="text-sm text-muted-foreground">
                {m.role !== "reviewer" ? (
                  <span title="Managers and admins see every workspace">All{m.workspaces.length ? ` (member of ${m.workspaces.join(", ")})` : ""}</span>
                ) : m.workspaces.length ? (
                  m.workspaces.join(", ")
                ) : (
                  <span className="text-warning">None — sees no items</span>
                )}
              </TableCell>
              <TableCell className="text-sm text-muted-foreground">{dateFormat.format(new Date(m.joinedAt))}</TableCell>
              <TableCell className="text-right">
                <MemberStatusForm userId={m.userId} name={m.name} status={m.status} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function ConfirmContent({ chosen, role, error, pending, onConfirm }: { chosen: MemberListRow[]; role: Role; error: string | null; pending: boolean; onConfirm: () => void }) {
  return (
    <DialogContent>
      <DialogHeader>
        <DialogTitle>
          Make {chosen.length === 1 ? chosen[0]?.name : `${chosen.length} members`} {role === "admin" ? "admins" : `${role}s`}?
        </DialogTitle>
        <DialogDescription>
          {role === "reviewer"
            ? "Reviewers see only the workspaces they are members of, and lose analytics and admin."
            : role === "manager"
              ? "Managers see every workspace and analytics, but not admin."
              : "Admins manage people, policies, keys and webhooks."}{" "}
          Each change applies on the member&apos;s next request and is recorded in the audit log.
        </DialogDescription>
      </DialogHeader>
      <ul className="max-h-48 space-y-1 overflow-y-auto text-sm">
        {chosen.map((m) => (
          <li key={m.userId} className="flex justify-between gap-4">
            <span>{m.name}</span>
            <span className="text-muted-foreground">
              {roleLabel[m.role]} → {roleLabel[role]}
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <Button onClick={onConfirm} disabled={pending}>
          {pending && <Spinner className="size-4" />}
          {pending ? "Changing…" : "Change roles"}
        </Button>
      </DialogFooter>
    </DialogContent>
  );
}
