// Issue 8, scenario 2 at CI's scale: 20 reviewers race over 100 items through the server actions, over
// HTTP with real sessions (e2e/race/reviewer-race.ts; `npm run bench:race` runs 200 over 1,000). Needs
// the e2e server's PostgreSQL database, to add the reviewers and read what was stored.
import { expect, test } from "@playwright/test";
import { e2eDatabaseUrl } from "./hostile/db";
import { runReviewerRace } from "./race/reviewer-race";

test("20 reviewers race over 100 items: each decided exactly once, as its reviewer was told, and the rollups equal a recount", async () => {
  const databaseUrl = e2eDatabaseUrl();
  test.skip(!databaseUrl, "needs the e2e server's PostgreSQL database (TEST_DATABASE_URL)");
  test.setTimeout(300_000);
  const report = await runReviewerRace({ bases: [test.info().project.use.baseURL!], databaseUrl: databaseUrl!, reviewers: 20, items: 100, stealShare: 0.25, doubleShare: 0.25 });
  console.log(["reviewer race:", ...report.figures.map((f) => `  ${f}`)].join("\n"));
  expect(report.problems, "what went wrong").toEqual([]);
  expect(report.checks.filter(([, ok]) => !ok).map(([label]) => label), "failed checks").toEqual([]);
  // The races happened: at most one call of each double-click succeeded, the others were refused as
  // conflicts, as were stale tabs deciding items others held.
  const { double, stale } = report.tallies;
  expect(double.calls, "double-clicks made").toBeGreaterThan(0);
  expect(double.ok, "double-click calls that succeeded").toBeLessThanOrEqual(double.calls / 2);
  expect(double.ok + double.conflicts, "double-click calls answered").toBe(double.calls);
  expect(stale.conflicts, "stale tabs refused").toBeGreaterThan(0);
});
