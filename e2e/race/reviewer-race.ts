// Issue 8, scenario 2: many reviewers race over one queue, each through the server actions a browser
// calls (`nextItemAction`, `decideAction`) with a real session, over HTTP to the running app. Shared by
// the CI spec (e2e/reviewer-race.spec.ts, a small race) and `npm run bench:race` (200 reviewers over
// 1,000 items). Set-up goes through the product too: an organization signed up by its action, a key
// made by its admin, the items submitted by an agent over the API. Only the reviewers' accounts are
// written straight to the database (a password hash copied from the admin: no invite round trips),
// and each reviewer reads an item's version there, as its page would show it.
//
// Besides working their own claims, reviewers make the races a browser can: a double-click (the same
// decision sent twice at once) and a decision on an item they don't hold (a stale tab). Checked after:
// every item decided exactly once — one success per item, one final decision row by the reviewer who
// was told it succeeded, one `review.decided` audit entry — nothing left pending, no 5xx or thrown
// action, and the daily rollups equal a recount (`scripts/db-rollups.ts`).
import { spawnSync } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { seededRandom } from "@/lib/data/seeded-random";
import { callAction, formCall, serverActions, type ServerAction } from "../hostile/actions";

export type RaceOptions = {
  /** The running app: one instance, or several sharing one database (reviewer i works on instance i mod n; set-up on the first). */
  bases: readonly string[];
  /** Its database (PostgreSQL). */
  databaseUrl: string;
  reviewers: number;
  items: number;
  /** Share of turns where a reviewer also tries an item it doesn't hold, and sends its decision twice. */
  stealShare?: number;
  doubleShare?: number;
  seed?: number;
  /** The app's folder (its build names the actions); the current one when left out. */
  repo?: string;
  log?: (line: string) => void;
};

export type RaceReport = {
  figures: string[];
  checks: [label: string, ok: boolean][];
  /** Wrong answers and differences, for a failure message. */
  problems: string[];
  /** Answers per kind of call: how many, how many succeeded, how many were refused as conflicts. */
  tallies: Record<Answer["kind"], { calls: number; ok: number; conflicts: number }>;
};

type Answer = { kind: "next" | "decide" | "double" | "stale"; status: number; ok: boolean | null; code: string | null; threw: boolean; ms: number };

const PASSWORD = "race-horse-battery-staple";
const TASK_TYPE = "race.check";
const reasons = ["incorrect", "insufficient_evidence", "duplicate"];


async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** Signs a user in by the credentials flow; answers the session cookie (`name=value`). */
async function sessionCookie(base: string, email: string): Promise<string> {
  const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = await fetch(new URL("/api/auth/csrf", base));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(new URL("/api/auth/callback/credentials", base), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password: PASSWORD, callbackUrl: `${base}/` }),
  });
  await res.arrayBuffer();
  const session = cookieOf(res).find((c) => /^(__Secure-)?authjs\.session-token=./.test(c));
  if (!session) throw new Error(`sign-in of ${email} answered ${res.status} ${res.headers.get("location") ?? ""} without a session`);
  return session;
}

export async function runReviewerRace(options: RaceOptions): Promise<RaceReport> {
  const { bases, reviewers, items } = options;
  const base = bases[0];
  const log = options.log ?? (() => {});
  const repo = options.repo ?? process.cwd();
  const random = seededRandom(options.seed ?? 20261125);
  const stealShare = options.stealShare ?? 0.1;
  const doubleShare = options.doubleShare ?? 0.1;
  const actions = serverActions(repo);
  const action = (name: string): ServerAction => {
    const found = actions.find((a) => a.name === name);
    if (!found) throw new Error(`no server action ${name} in the build`);
    return found;
  };
  const sql = postgres(options.databaseUrl, { max: 4, onnotice: () => {} });
  try {
    // ── set-up, through the product ──
    const suffix = `${Date.now().toString(36)}${Math.floor(random() * 1e6).toString(36)}`;
    const adminEmail = `race-admin-${suffix}@race.test`;
    const signUp = await callAction(base, action("signUpAction"), formCall([["organizationName", `Race ${suffix}`], ["name", "Race Admin"], ["email", adminEmail], ["password", PASSWORD]]));
    if (signUp.status >= 400) throw new Error(`sign-up answered ${signUp.status}: ${signUp.body.slice(0, 300)}`);
    const admin = await sessionCookie(base, adminEmail);
    const made = await callAction(base, action("createApiKeyAction"), formCall([["name", "race agent"], ["scopes", "reviews:write"], ["scopes", "reviews:read"]]), { cookie: admin });
    const key = (made.result as { ok?: boolean; data?: { key: string } } | undefined)?.data?.key;
    if (!key) throw new Error(`creating the agent's key answered ${made.status}: ${made.body.slice(0, 300)}`);
    const [{ organizationId }] = await sql<{ organizationId: string }[]>`
      select m.organization_id as "organizationId" from memberships m join users u on u.id = m.user_id where u.email = ${adminEmail}`;

    const submitted = Date.now();
    const ids = await inBatches(Array.from({ length: items }, (_, n) => n), 8, async (n) => {
      const res = await fetch(new URL("/api/v1/reviews", base), {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ taskType: TASK_TYPE, title: `Race item ${n}`, action: { n, tags: ["billing"] }, priority: ["low", "normal", "high", "urgent"][n % 4], confidence: 0.5 + (n % 50) / 100 }),
      });
      const body = (await res.json()) as { id: string; status: string };
      if (res.status !== 201 || body.status !== "pending") throw new Error(`submission ${n} answered ${res.status} ${JSON.stringify(body)}`);
      return body.id;
    });
    log(`${items} items submitted in ${((Date.now() - submitted) / 1000).toFixed(1)} s`);

    const emails = await sql<{ email: string }[]>`
      with src as (select password_hash from users where email = ${adminEmail}),
      nu as (
        insert into users (email, name, password_hash)
        select format('race-%s-%s@race.test', ${suffix}::text, n), format('Race Reviewer %s', n), src.password_hash from src, generate_series(1, ${reviewers}::int) n
        returning id, email
      ), m as (insert into memberships (organization_id, user_id, role) select ${organizationId}, nu.id, 'reviewer' from nu returning user_id),
      w as (insert into workspace_members (organization_id, workspace_id, user_id) select ${organizationId}, ws.id, m.user_id from m join workspaces ws on ws.organization_id = ${organizationId})
      select email from nu order by email`;
    const signingIn = Date.now();
    const baseOf = (i: number) => bases[i % bases.length];
    const cookies = await inBatches(emails, 4, (r, i) => sessionCookie(baseOf(i), r.email));
    log(`${reviewers} reviewers signed in in ${((Date.now() - signingIn) / 1000).toFixed(1)} s`);

    // ── the race ──
    const answers: Answer[] = [];
    /** reviewId → who was told their decision succeeded, and with what outcome. */
    const told = new Map<string, { email: string; outcome: string }[]>();
    /** Answers that should not have been: a 5xx, a thrown action, an internal error, a refusal other than a conflict. */
    const wrongAnswers: string[] = [];
    const versionOf = async (id: string) => (await sql<{ version: number }[]>`select version from reviews where id = ${id}`)[0].version;

    type Reviewer = { email: string; cookie: string; base: string };

    async function call(kind: Answer["kind"], act: ServerAction, who: Reviewer, fields: [string, string][]) {
      const started = Date.now();
      const a = await callAction(who.base, act, formCall(fields), { cookie: who.cookie });
      const result = a.result as { ok?: boolean; code?: string; data?: { id?: string | null; nextId?: string | null } } | undefined;
      const answer: Answer = { kind, status: a.status, ok: a.hasResult ? result?.ok === true : null, code: result?.code ?? null, threw: a.threw, ms: Date.now() - started };
      answers.push(answer);
      if (a.status >= 500 || a.threw || answer.code === "internal") wrongAnswers.push(`${kind} answered ${a.status}${a.threw ? " (threw)" : ""}: ${a.body.slice(0, 200)}`);
      return { answer, data: result?.data };
    }

    async function decide(kind: Answer["kind"], who: Reviewer, reviewId: string, version: number) {
      const roll = random();
      const outcome = roll < 0.75 ? "approved" : roll < 0.9 ? "rejected" : "edited";
      const fields: [string, string][] = [
        ["reviewId", reviewId],
        ["version", String(version)],
        ["outcome", outcome],
        ["timeOnItemMs", String(1000 + Math.floor(random() * 60_000))],
      ];
      if (outcome === "rejected") fields.push(["reason", reasons[Math.floor(random() * reasons.length)]]);
      if (outcome === "edited") fields.push(["action", JSON.stringify({ edited: true, by: who.email })]);
      const { answer, data } = await call(kind, action("decideAction"), who, fields);
      if (answer.ok) told.set(reviewId, [...(told.get(reviewId) ?? []), { email: who.email, outcome }]);
      else if (answer.ok === false && answer.code !== "conflict") wrongAnswers.push(`${kind} of ${reviewId} refused as ${answer.code}`);
      return data?.nextId ?? null;
    }

    /** Works what it holds until nothing is left for it; a decision also claims the reviewer's next item, even on a stale tab. */
    async function reviewer(who: Reviewer) {
      const held: string[] = [];
      const take = (id: string | null | undefined) => {
        if (id && !held.includes(id)) held.push(id);
      };
      const next = async () => take((await call("next", action("nextItemAction"), who, [])).data?.id);
      await next();
      for (let id = held.shift(); id; id = held.shift()) {
        if (random() < stealShare) {
          const other = ids[Math.floor(random() * ids.length)];
          if (other !== id) take(await decide("stale", who, other, await versionOf(other)));
        }
        const version = await versionOf(id);
        if (random() < doubleShare) {
          for (const nextId of await Promise.all([decide("double", who, id, version), decide("double", who, id, version)])) take(nextId);
        } else take(await decide("decide", who, id, version));
        if (!held.length) await next();
      }
    }

    const raced = Date.now();
    await Promise.all(emails.map((r, i) => reviewer({ email: r.email, cookie: cookies[i], base: baseOf(i) })));
    const seconds = (Date.now() - raced) / 1000;

    // ── what the database holds ──
    type Row = { id: string; status: string; finals: number; others: number; reviewer: string | null; outcome: string | null; audited: number };
    const rows: Row[] = await sql<Row[]>`
      select r.id, r.status,
        (select count(*)::int from decisions d where d.review_id = r.id and d.final) as finals,
        (select count(*)::int from decisions d where d.review_id = r.id and not d.final) as others,
        (select u.email from decisions d join users u on u.id = d.reviewer_id where d.review_id = r.id and d.final) as reviewer,
        (select d.outcome from decisions d where d.review_id = r.id and d.final) as outcome,
        (select count(*)::int from audit_log a where a.organization_id = r.organization_id and a.target_id = r.id::text and a.action = 'review.decided') as audited
      from reviews r where r.organization_id = ${organizationId}`;
    const problems = [...wrongAnswers];
    const wrong = (label: string, bad: Row[]) => {
      if (bad.length) problems.push(`${label}: ${bad.length} (e.g. ${bad.slice(0, 3).map((r) => r.id).join(", ")})`);
      return bad.length === 0;
    };
    const pending = rows.filter((r) => r.status === "pending");
    const notOnce = rows.filter((r) => r.finals !== 1 || r.others !== 0);
    const toldTwice = [...told.entries()].filter(([, t]) => t.length !== 1);
    const mismatched = rows.filter((r) => {
      const t = told.get(r.id);
      return !t || t.length !== 1 || t[0].email !== r.reviewer || t[0].outcome !== r.outcome || r.status !== (r.outcome === "rejected" ? "rejected" : "approved");
    });
    const auditOff = rows.filter((r) => r.audited !== 1);
    const recount = spawnSync(path.join(repo, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/db-rollups.ts", "--organization", organizationId], {
      cwd: repo,
      env: { ...process.env, DATABASE_URL: options.databaseUrl },
      encoding: "utf8",
    });
    if (recount.status !== 0) problems.push(`rollups vs recount (exit ${recount.status}): ${(recount.stdout + recount.stderr).trim().slice(0, 600)}`);

    const kinds = ["next", "decide", "double", "stale"] as const;
    const tallies = Object.fromEntries(
      kinds.map((kind) => {
        const of = answers.filter((a) => a.kind === kind);
        return [kind, { calls: of.length, ok: of.filter((a) => a.ok).length, conflicts: of.filter((a) => a.code === "conflict").length }];
      }),
    ) as RaceReport["tallies"];
    const tally = (kind: Answer["kind"]) => `${tallies[kind].calls} (ok ${tallies[kind].ok}, conflict ${tallies[kind].conflicts})`;
    const decideMs = answers
      .filter((a) => a.kind === "decide")
      .map((a) => a.ms)
      .sort((a, b) => a - b);
    const figures = [
      `${reviewers} reviewers${bases.length > 1 ? ` on ${bases.length} instances` : ""}, ${items} items, ${seconds.toFixed(1)} s of racing: ${(items / seconds).toFixed(1)} decisions/s`,
      `decide: ${tally("decide")}; double-clicks (two calls each): ${tally("double")}; stale tabs: ${tally("stale")}; next: ${tallies.next.calls}`,
      `decide answered in median ${decideMs[Math.floor(decideMs.length / 2)] ?? 0} ms, p95 ${decideMs[Math.floor(decideMs.length * 0.95)] ?? 0} ms (it also claims the next item)`,
      `statuses: ${[...new Set(answers.map((a) => a.status))].map((s) => `${s}×${answers.filter((a) => a.status === s).length}`).join(" ")}`,
    ];
    const checks: [string, boolean][] = [
      [`every item decided: none left pending (${pending.length})`, wrong("left pending", pending)],
      ["each item has exactly one final decision, and no other", wrong("decided other than once", notOnce)],
      [`each item's success was told to one reviewer only (${toldTwice.length} told twice)`, toldTwice.length === 0],
      ["the decision stored is the one its reviewer was told succeeded", wrong("stored decision differs from what was told", mismatched)],
      ["one review.decided audit entry per item", wrong("audit entries not one per item", auditOff)],
      [`no 5xx, no thrown action, no internal error, no refusal but a conflict (${wrongAnswers.length})`, wrongAnswers.length === 0],
      ["daily rollups equal a recount of reviews and decisions", recount.status === 0],
    ];
    return { figures, checks, problems, tallies };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
