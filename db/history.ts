import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { memberships, organizations, taskTypes, users, workspaces, workspaceMembers, type Mode } from "./schema";
import { rebuildRollups } from "./queries/rollups";

/**
 * A large synthetic history for benchmarks (`npm run db:generate-history`): a new organization with
 * `taskTypes` task types, a manager and `reviewers` reviewers, and `decisions` decided items spread over
 * the last `days` days — people's approvals, edits and rejections, and auto-approvals for the task types
 * in flag-on-exception — then both rollup tables rebuilt from them. Written by set-based SQL in batches,
 * so a million decisions take minutes, not hours. Benchmark data only.
 */
export type HistoryOptions = { decisions: number; taskTypes?: number; reviewers?: number; days?: number; batchSize?: number; passwordHash: string; now?: Date; onProgress?: (done: number) => void };

export type HistoryResult = { organizationId: string; managerEmail: string; taskTypeKeys: string[]; decisions: number; rollupRows: number };

const modeOf = (i: number): Mode => (i % 4 === 0 ? "flag_on_exception" : i % 4 === 1 ? "approve_before_action" : "review_after_draft");

export async function generateHistory(db: Db, o: HistoryOptions): Promise<HistoryResult> {
  const typeCount = o.taskTypes ?? 20;
  const reviewerCount = o.reviewers ?? 8;
  const days = o.days ?? 90;
  const batchSize = o.batchSize ?? 50_000;
  const now = o.now ?? new Date();
  const tag = randomBytes(3).toString("hex");
  const domain = `history-${tag}.test`;
  const managerEmail = `manager@${domain}`;

  const { organizationId, keys } = await db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name: `History ${tag}`, slug: `history-${tag}` }).returning({ id: organizations.id });
    const [ws] = await tx.insert(workspaces).values({ organizationId: org.id, name: "General", isDefault: true }).returning({ id: workspaces.id });
    const people = [
      { email: managerEmail, name: "History Manager", role: "manager" as const },
      ...Array.from({ length: reviewerCount }, (_, i) => ({ email: `reviewer-${i + 1}@${domain}`, name: `Reviewer ${i + 1}`, role: "reviewer" as const })),
    ];
    const inserted = await tx
      .insert(users)
      .values(people.map((p) => ({ email: p.email, name: p.name, passwordHash: o.passwordHash })))
      .returning({ id: users.id, email: users.email });
    const idOf = new Map(inserted.map((u) => [u.email, u.id]));
    await tx.insert(memberships).values(people.map((p) => ({ organizationId: org.id, userId: idOf.get(p.email)!, role: p.role })));
    await tx.insert(workspaceMembers).values(people.map((p) => ({ organizationId: org.id, workspaceId: ws.id, userId: idOf.get(p.email)! })));
    const since = new Date(now.getTime() - (days + 30) * 24 * 3600_000);
    const types = Array.from({ length: typeCount }, (_, i) => ({
      organizationId: org.id,
      key: `history.type-${String(i + 1).padStart(2, "0")}`,
      name: `History type ${i + 1}`,
      workspaceId: ws.id,
      mode: modeOf(i),
      modeSince: since,
      classified: true,
    }));
    await tx.insert(taskTypes).values(types);
    return { organizationId: org.id, keys: types.map((t) => t.key) };
  });

  for (let start = 0; start < o.decisions; start += batchSize) {
    const end = Math.min(o.decisions, start + batchSize) - 1;
    // Acceptance differs by task type (type n accepts about 90% + n × 0.45%), so the overview has spread.
    await db.execute(sql`
      with tt as (
        select id, workspace_id, mode, (row_number() over (order by key) - 1)::int as n from task_types where organization_id = ${organizationId}
      ), rv as (
        select array_agg(m.user_id order by u.email) as ids from memberships m join users u on u.id = m.user_id
        where m.organization_id = ${organizationId} and m.role = 'reviewer'
      ), src as materialized (
        select gen_random_uuid() as id, tt.id as task_type_id, tt.workspace_id, tt.mode, s.created_at, s.confidence,
          case
            when tt.mode = 'flag_on_exception' and s.confidence >= 0.8 and s.r1 < 0.85 then 'auto_approved'
            when s.r2 < 0.90 + tt.n * 0.0045 then 'approved'
            when s.r2 < 0.96 + tt.n * 0.0015 then 'edited'
            else 'rejected'
          end as outcome,
          rv.ids[1 + floor(s.r3 * array_length(rv.ids, 1))::int] as reviewer_id,
          (1500 + s.r3 * s.r1 * 120000)::int as time_on_item_ms,
          least(${now.toISOString()}::timestamptz, s.created_at + s.r2 * interval '6 hours') as decided_at
        from (
          select i, ${now.toISOString()}::timestamptz - random() * ${`${days} days`}::interval as created_at,
            round((0.5 + random() * 0.5)::numeric, 3)::float8 as confidence, random() as r1, random() as r2, random() as r3
          from generate_series(${start}::int, ${end}::int) i
        ) s
        join tt on tt.n = s.i % ${typeCount}
        cross join rv
      ), items as (
        insert into reviews (id, organization_id, workspace_id, task_type_id, status, mode, needs_human, blocking, routing_reasons, title, action,
          confidence, created_at, updated_at, decided_at, reviewed_at)
        select id, ${organizationId}, workspace_id, task_type_id, case when outcome = 'rejected' then 'rejected' else 'approved' end, mode,
          outcome <> 'auto_approved', outcome <> 'auto_approved', case when outcome = 'auto_approved' then '{}'::text[] else array['mode:' || mode] end,
          'Generated item', jsonb_build_object('n', 1), confidence, created_at, decided_at, decided_at,
          case when outcome = 'auto_approved' then null else decided_at end
        from src
      )
      insert into decisions (organization_id, review_id, outcome, final, action, reviewer_id, time_on_item_ms, action_hash, created_at)
      select ${organizationId}, id, outcome, true, jsonb_build_object('n', 1),
        case when outcome = 'auto_approved' then null else reviewer_id end,
        case when outcome = 'auto_approved' then null else time_on_item_ms end,
        encode(sha256(convert_to('{"n":1}', 'UTF8')), 'hex'), decided_at
      from src`);
    o.onProgress?.(end + 1);
  }
  const rollupRows = await rebuildRollups(db, organizationId);
  return { organizationId, managerEmail, taskTypeKeys: keys, decisions: o.decisions, rollupRows };
}
