"use client";

import { startTransition, useActionState } from "react";
import { LogOut } from "lucide-react";
import { AvatarInitials } from "@/components/ui/avatar-initials";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { ThemeToggle } from "@/components/ui/theme-toggle";
import { signOutAction } from "@/lib/actions/auth";

export function UserMenu({ user, organizationName }: { user: { name: string; email: string; role: string }; organizationName: string }) {
  const [, signOut, pending] = useActionState(signOutAction, null);
  return (
    <>
      <ThemeToggle />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="gap-2 px-2" aria-label={`Account menu for ${user.name}`}>
            <AvatarInitials name={user.name} />
            <span className="hidden text-sm sm:inline">{user.name}</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-64">
          <DropdownMenuLabel className="space-y-1 font-normal">
            <div className="font-medium">{user.name}</div>
            <div className="truncate text-xs text-muted-foreground">{user.email}</div>
            <div className="flex items-center gap-2 pt-1 text-xs text-muted-foreground">
              {organizationName}
              <Badge variant="secondary" className="capitalize">
                {user.role}
              </Badge>
            </div>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          {/* Dispatched from onSelect: the menu unmounts on select, so a form inside it could vanish before submitting.
              A session is a signed token, and ending it ends every session of the person (one version per person):
              the item says so rather than offer a "Sign out" that quietly does the same. */}
          <DropdownMenuItem disabled={pending} onSelect={() => startTransition(() => signOut(new FormData()))}>
            <LogOut className="size-4" aria-hidden />
            {pending ? "Signing out…" : "Sign out everywhere"}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
