import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const Flag = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" }).optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  // Keys the audit log's hash chain; kept outside the database so that writing the table can't re-forge it.
  AUDIT_HMAC_KEY: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  SIGNUP_ENABLED: Flag.default(true),
  // Failed sign-ins an account may have before each further attempt waits 1 s, 2 s, 4 s … up to the max delay.
  LOGIN_THROTTLE_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_THROTTLE_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).default(60),
  LOGIN_THROTTLE_MAX_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  SIGNUP_MAX_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  // How many reverse proxies in front of the app append to X-Forwarded-For; 0: the client is the TCP peer.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  // Comma-separated `host:port` webhook targets exempt from the private-address refusal (local development).
  WEBHOOK_ALLOWLIST: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((entries) => entries.every((e) => /^(\[[0-9a-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(e)), "must be comma-separated host:port entries, e.g. localhost:4000,[::1]:4000"),
});

export type Env = z.infer<typeof EnvSchema> & { AUTH_SECRET: string; AUDIT_HMAC_KEY: string };

function fail(issues: z.core.$ZodIssue[]): never {
  const lines = issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
  throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
}

/**
 * The embedded demo (no DATABASE_URL) must start with zero configuration, so it keeps generated
 * secrets beside its data (`auth-secret`, `audit-hmac-key`). A PostgreSQL deployment must bring its own.
 */
function embeddedSecret(dataDir: string, name: string): string {
  const file = path.join(path.dirname(path.resolve(/*turbopackIgnore: true*/ dataDir)), name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) fail(parsed.error.issues);
  const e = parsed.data;
  const secret = (name: "AUTH_SECRET" | "AUDIT_HMAC_KEY", file: string): string => {
    const given = e[name];
    if (given) return given;
    if (e.DATABASE_URL && e.NODE_ENV === "production") {
      fail([{ code: "custom", path: [name], message: "is required when DATABASE_URL is set in production", input: undefined }]);
    }
    return embeddedSecret(e.PGLITE_DIR, file);
  };
  cached = { ...e, AUTH_SECRET: secret("AUTH_SECRET", "auth-secret"), AUDIT_HMAC_KEY: secret("AUDIT_HMAC_KEY", "audit-hmac-key") };
  return cached;
}
