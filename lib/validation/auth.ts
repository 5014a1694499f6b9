import { z } from "zod";

export const roleValues = ["admin", "manager", "reviewer"] as const;
export const RoleInput = z.enum(roleValues, { error: "Choose admin, manager or reviewer" });

export const Email = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "That email address is too long")
  .pipe(z.email({ error: "Enter a valid email address" }))
  .transform((e) => e.toLowerCase());

/** Passwords are checked for length only; bytes past 200 buy nothing and cost hashing time. */
export const NewPassword = z
  .string({ error: "Choose a password" })
  .min(10, "Use at least 10 characters")
  .max(200, "Use at most 200 characters");

export const PersonName = z.string({ error: "Enter your name" }).trim().min(1, "Enter your name").max(100, "Use at most 100 characters");

/** Only same-site paths are allowed after sign-in; anything else goes home. */
export const NextPath = z
  .string()
  .optional()
  // Same-origin paths only: no scheme, no `//host`, and no backslash or control character a browser
  // would drop or turn into one.
  .transform((p) => (p && p.startsWith("/") && !p.startsWith("//") && !/[\\\u0000-\u001f\u007f]/.test(p) ? p : undefined));

export const SignInInput = z.object({
  email: Email,
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200, "Use at most 200 characters"),
  next: NextPath,
});

export const SignUpInput = z.object({
  organizationName: z.string({ error: "Name your organization" }).trim().min(2, "Use at least 2 characters").max(100, "Use at most 100 characters"),
  name: PersonName,
  email: Email,
  password: NewPassword,
});

export const InviteInput = z.object({
  email: Email,
  role: RoleInput,
});

export const AcceptInviteInput = z.object({
  token: z.string().min(20).max(200),
  name: PersonName,
  password: NewPassword,
});

export const ChangeRoleInput = z.object({
  userId: z.uuid({ error: "Unknown member" }),
  role: RoleInput,
});

export const SetMemberStatusInput = z.object({
  userId: z.uuid({ error: "Unknown member" }),
  status: z.enum(["active", "disabled"]),
});

export const RevokeInviteInput = z.object({
  inviteId: z.uuid({ error: "Unknown invite" }),
});

export type SignUp = z.infer<typeof SignUpInput>;
