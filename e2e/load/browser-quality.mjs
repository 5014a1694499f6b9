// `npm run bench:browser [-- --runs 3 --port 3486 --timeout-minutes 40]` — issue 8, scenario 7:
// browser quality of the main pages with the demo data.
//
// Serves the app (`next start`, a scratch database on the machine's PostgreSQL, demo data seeded) and
// looks at /login signed out, /queue and one pending item (/queue/<id>) as the reviewer, /analytics as
// the manager, /admin, /admin/task-types and /admin/audit as the admin, each signed in over HTTP.
//   - Lighthouse 12 (performance, accessibility, best practices) with Debian's Chromium, desktop preset,
//     no throttling (`throttlingMethod: "provided"`: what this machine measured, not a simulated slow
//     phone), `--runs` times per page, interleaved; the session goes in as a Cookie header.
//   - axe (`@axe-core/playwright`, its default rules: WCAG 2.x A/AA and best practices) in Playwright
//     with the same Chromium, the session cookie in the context; console errors are recorded too.
// Verdict: no serious or critical axe violation on any page; Lighthouse accessibility and best
// practices ≥ 90 on every page in every run. Performance is reported, not judged (a shared, noisy
// machine). Nothing leaves 127.0.0.1. Exits non-zero only when the verdict fails or it could not run.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium } from "@playwright/test";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig } from "lighthouse";
import postgres from "postgres";
import { median, Processes, reportVerdict, runScenario, scratchDatabase, signIn, startSeededApp } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-browser.md");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const CATEGORIES = ["performance", "accessibility", "best-practices"];
// Lighthouse's desktop preset: 1350 × 940 at 1×; axe looks at the same viewport.
const VIEWPORT = { width: desktopConfig.settings.screenEmulation.width, height: desktopConfig.settings.screenEmulation.height };
// Lighthouse keeps cookies between runs unless told: a cookie a response set must not sign in (or out)
// the next page, whose session comes only in its Cookie header.
const LIGHTHOUSE_CONFIG = {
  ...desktopConfig,
  settings: { ...desktopConfig.settings, clearStorageTypes: ["file_systems", "shader_cache", "service_workers", "cache_storage", "cookies", "local_storage", "indexeddb"] },
};
/** A request that would leave the machine (data: and blob: URLs never do). */
const isOffHost = (url) => /^(https?|wss?):/.test(url) && new URL(url).hostname !== "127.0.0.1";
const IMPACTS = ["critical", "serious", "moderate", "minor"];
const versionOf = (pkg) => JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", pkg, "package.json"), "utf8")).version;

const { values: opt } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    port: { type: "string", default: "3486" },
    "timeout-minutes": { type: "string", default: "40" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const runs = Number(opt.runs);
const base = `http://127.0.0.1:${opt.port}`;
const processes = new Processes("browser");

/** The pages, who looks at each, and the h1 that proves the page (and not a redirect or a 404) was seen. */
function pagesOf(item) {
  return [
    { path: "/login", as: null, heading: "Sign in to Countersign" },
    { path: "/queue", as: "reviewer@acme.test", heading: "Queue" },
    { path: `/queue/${item.id}`, label: "/queue/<id>", as: "reviewer@acme.test", heading: item.title },
    { path: "/analytics", as: "manager@acme.test", heading: "Analytics" },
    { path: "/admin", as: "admin@acme.test", heading: "Admin" },
    { path: "/admin/task-types", as: "admin@acme.test", heading: "Task types" },
    { path: "/admin/audit", as: "admin@acme.test", heading: "Audit log" },
  ].map((p) => ({ label: p.path, ...p }));
}

/** One Lighthouse run of one page in the Chrome listening on `port`: scores 0–100, metrics, what went wrong. */
async function lighthouseRun(port, page, cookie) {
  const result = await lighthouse(
    `${base}${page.path}`,
    {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
      throttlingMethod: "provided",
      disableFullPageScreenshot: true,
      extraHeaders: cookie ? { Cookie: cookie } : undefined,
    },
    LIGHTHOUSE_CONFIG,
  );
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse gave no result for ${page.path}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${page.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const final = new URL(lhr.finalDisplayedUrl);
  if (final.pathname !== page.path) throw new Error(`Lighthouse asked for ${page.path} and was shown ${final.pathname} (is the session cookie refused?)`);
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100)]));
  // Scored audits that didn't fully pass (what costs points), and audits that could not run at all.
  const notPassed = CATEGORIES.filter((c) => c !== "performance").flatMap((c) =>
    lhr.categories[c].auditRefs.filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1).map((ref) => `${ref.id} (${c === "accessibility" ? "a11y" : "bp"})`),
  );
  const scored = new Set(CATEGORIES.flatMap((c) => lhr.categories[c].auditRefs.filter((ref) => ref.weight > 0).map((ref) => ref.id)));
  // "Required X gatherer encountered an error: Dependency "Y" failed with exception: <the cause>" → the cause.
  const errored = Object.values(lhr.audits)
    .filter((a) => a.scoreDisplayMode === "error")
    .map((a) => ({ id: a.id, scored: scored.has(a.id), message: (a.errorMessage ?? "error").replace(/^.*(?:exception|error): /, "") }));
  const offHost = (lhr.audits["network-requests"]?.details?.items ?? []).map((r) => r.url).filter(isOffHost);
  return {
    scores,
    lcp: lhr.audits["largest-contentful-paint"].numericValue,
    tbt: lhr.audits["total-blocking-time"].numericValue,
    cls: lhr.audits["cumulative-layout-shift"].numericValue,
    notPassed,
    errored,
    offHost,
    warnings: lhr.runWarnings ?? [],
  };
}

/** axe on one page in a fresh context (signed in by the session cookie), with the console's errors. */
async function axeRun(browser, page, cookie) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    if (cookie) {
      const [name, ...value] = cookie.split("=");
      await context.addCookies([{ name, value: value.join("="), domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
    }
    const tab = await context.newPage();
    const consoleErrors = [];
    const offHost = [];
    tab.on("request", (r) => isOffHost(r.url()) && offHost.push(r.url()));
    tab.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    tab.on("pageerror", (e) => consoleErrors.push(e.message));
    const res = await tab.goto(`${base}${page.path}`, { waitUntil: "load", timeout: 60_000 });
    if (res?.status() !== 200 || new URL(tab.url()).pathname !== page.path) throw new Error(`${page.path} answered ${res?.status()} at ${tab.url()}`);
    const h1 = tab.getByRole("heading", { level: 1 });
    await h1.first().waitFor({ timeout: 30_000 });
    const heading = (await h1.first().textContent())?.trim();
    if (heading !== page.heading) throw new Error(`${page.path} shows "${heading}", not "${page.heading}"`);
    // Toasts fade in and out: caught mid-animation their text fails contrast (as in e2e/fixtures.ts).
    const results = await new AxeBuilder({ page: tab }).exclude("[data-sonner-toaster]").analyze();
    return {
      violations: results.violations.map((v) => ({ id: v.id, impact: v.impact ?? "minor", nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })),
      // With why axe couldn't decide (its message keys, e.g. bgOverlap: something lies over the text).
      incomplete: results.incomplete.map((v) => {
        const why = [...new Set(v.nodes.flatMap((n) => [...n.any, ...n.all, ...n.none].map((c) => c.data?.messageKey).filter(Boolean)))];
        return `${v.id} (${v.nodes.length}${why.length ? `: ${why.join(", ")}` : ""})`;
      }),
      consoleErrors,
      offHost,
    };
  } finally {
    await context.close();
  }
}

const range = (xs, f = (x) => String(x)) => {
  const m = median(xs);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return f(lo) === f(hi) ? f(m) : `${f(m)} (${f(lo)}–${f(hi)})`;
};
const ms = (x) => `${Math.round(x)} ms`;

async function main() {
  const started = Date.now();
  const scratch = await scratchDatabase(opt["pg-url"], `countersign_browser_${process.pid}`);
  const env = {
    ...process.env,
    DATABASE_URL: scratch.url,
    AUTH_SECRET: "browser-secret-not-for-production-0123456789abcdef",
    AUDIT_HMAC_KEY: "browser-audit-key-not-for-production-0123456789abcdef",
    NODE_ENV: "production",
  };
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  let chrome;
  let browser;
  let sampler;
  let watchdog;
  let stopping;
  // Idempotent: the finally, a signal and the watchdog may all get here.
  const cleanup = () =>
    (stopping ??= (async () => {
      clearTimeout(watchdog);
      sampler?.peak();
      await browser?.close().catch(() => {});
      await Promise.resolve(chrome?.kill()).catch(() => {});
      await processes.stopAll();
      await sql.end({ timeout: 2 }).catch(() => {});
      await scratch.drop();
    })());
  /** Whatever was launched after the run was given up is closed at once. */
  const stillRunning = async () => {
    if (!stopping) return;
    await browser?.close().catch(() => {});
    await Promise.resolve(chrome?.kill()).catch(() => {});
    await processes.stopAll();
    throw new Error("stopped");
  };
  // Ctrl-C or a kill still stops the app and Chromium and drops the database.
  const onSignal = (signal) => cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const timedOut = new Promise((_, reject) => {
      watchdog = setTimeout(() => reject(new Error(`gave up after ${opt["timeout-minutes"]} minutes`)), Number(opt["timeout-minutes"]) * 60_000);
    });
    await Promise.race([timedOut, measure()]);
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  async function measure() {
    const built = fs.existsSync(path.join(REPO, ".next/BUILD_ID"));
    const [server] = await startSeededApp(processes, REPO, env, [opt.port]);
    const appStart = { built: !built, seconds: (Date.now() - started) / 1000 };
    sampler = server.memory;
    await stillRunning();

    // The first item the reviewer's queue would hand out; opening it claims it, and later runs renew the claim.
    const [item] = await sql`select r.id, r.title from reviews r
      join organizations o on o.id = r.organization_id and o.slug = 'acme'
      join workspace_members m on m.workspace_id = r.workspace_id
      join users u on u.id = m.user_id and u.email = 'reviewer@acme.test'
      where r.status = 'pending' and r.needs_human and r.reviewed_at is null and r.claimed_by is null and r.title is not null
      order by r.priority_rank desc, r.created_at, r.id limit 1`;
    if (!item) throw new Error("the demo data has no pending item for reviewer@acme.test");
    const pages = pagesOf(item);
    const cookies = {};
    for (const email of new Set(pages.map((p) => p.as).filter(Boolean))) cookies[email] = await signIn(base, email, "countersign");
    const cookieOf = (page) => (page.as ? cookies[page.as] : null);

    // Each page once before measuring: the first request of a route loads its code, which is not what a visitor waits for.
    for (const page of pages) {
      const res = await fetch(`${base}${page.path}`, { redirect: "manual", headers: cookieOf(page) ? { cookie: cookieOf(page) } : {} });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`warm-up: ${page.path} answered ${res.status} ${res.headers.get("location") ?? ""}`);
    }

    console.log(`axe on ${pages.length} pages…`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS.filter((f) => !f.startsWith("--headless")) });
    await stillRunning();
    const chromiumVersion = browser.version();
    const axe = new Map();
    for (const page of pages) axe.set(page.label, await axeRun(browser, page, cookieOf(page)));
    await browser.close();
    browser = undefined;

    console.log(`Lighthouse, ${runs} runs of ${pages.length} pages…`);
    chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, handleSIGINT: false, logLevel: "silent" });
    await stillRunning();
    const lh = new Map(pages.map((p) => [p.label, []]));
    // Rounds over all pages rather than one page three times, so a busy moment of the machine spreads out.
    for (let run = 1; run <= runs; run++) {
      for (const page of pages) {
        const t = Date.now();
        const r = await lighthouseRun(chrome.port, page, cookieOf(page));
        lh.get(page.label).push(r);
        console.log(`  run ${run} ${page.label}: ${CATEGORIES.map((c) => `${c} ${r.scores[c] ?? "error"}`).join(", ")} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
    }
    await Promise.resolve(chrome.kill());
    chrome = undefined;
    const memory = sampler.peak();

    report(pages, lh, axe, memory, chromiumVersion, appStart, (Date.now() - started) / 1000);
  }
}

function report(pages, lh, axe, memory, chromiumVersion, appStart, seconds) {
  const score = (rs, c) => {
    const xs = rs.map((r) => r.scores[c]);
    return xs.some((x) => x === null) ? `error in ${xs.filter((x) => x === null).length} run(s)` : range(xs);
  };
  const lhTable = [
    "| page | as | performance | accessibility | best practices | LCP | TBT | CLS |",
    "|---|---|---|---|---|---|---|---|",
    ...pages.map((p) => {
      const rs = lh.get(p.label);
      return `| ${p.label} | ${p.as?.split("@")[0] ?? "signed out"} | ${CATEGORIES.map((c) => score(rs, c)).join(" | ")} | ${range(rs.map((r) => r.lcp), ms)} | ${range(rs.map((r) => r.tbt), ms)} | ${range(rs.map((r) => r.cls), (x) => x.toFixed(3))} |`;
    }),
  ].join("\n");
  const axeTable = [
    "| page | critical | serious | moderate | minor | rules violated (elements) |",
    "|---|---|---|---|---|---|",
    ...pages.map((p) => {
      const vs = axe.get(p.label).violations;
      const count = (impact) => vs.filter((v) => v.impact === impact).length;
      return `| ${p.label} | ${IMPACTS.map(count).join(" | ")} | ${vs.map((v) => `${v.id} (${v.impact}, ${v.nodes})`).join(", ") || "none"} |`;
    }),
  ].join("\n");

  const unique = (xs) => [...new Set(xs)];
  const notPassed = pages.map((p) => [p.label, unique(lh.get(p.label).flatMap((r) => r.notPassed))]).filter(([, xs]) => xs.length);
  // Errored audits grouped by cause: which audits, on which pages, in how many of the runs.
  const causes = new Map();
  for (const p of pages) {
    for (const r of lh.get(p.label)) {
      for (const e of r.errored) {
        const c = causes.get(e.message) ?? { audits: new Map(), pages: new Set(), runs: 0 };
        c.audits.set(e.id, e.scored);
        c.pages.add(p.label);
        causes.set(e.message, c);
      }
      for (const message of new Set(r.errored.map((e) => e.message))) causes.get(message).runs += 1;
    }
  }
  const totalRuns = pages.length * runs;
  const errored = [...causes].map(([message, c]) => {
    const audits = [...c.audits].map(([id, isScored]) => `${id}${isScored ? " (scored)" : ""}`).join(", ");
    const where = c.pages.size === pages.length ? "every page" : [...c.pages].join(", ");
    return `${audits} on ${where} in ${c.runs} of ${totalRuns} runs: "${message}"${[...c.audits.values()].some(Boolean) ? "" : " (diagnostics only, no score depends on them)"}`;
  });
  const offHost = unique(pages.flatMap((p) => [...lh.get(p.label).flatMap((r) => r.offHost), ...axe.get(p.label).offHost]));
  const incomplete = pages.map((p) => [p.label, axe.get(p.label).incomplete]).filter(([, xs]) => xs.length);
  const warnings = unique(pages.flatMap((p) => lh.get(p.label).flatMap((r) => r.warnings)));
  const consoleErrors = pages.map((p) => [p.label, unique(axe.get(p.label).consoleErrors)]).filter(([, xs]) => xs.length);
  const details = unique(pages.flatMap((p) => axe.get(p.label).violations.map((v) => `${v.id} (${v.impact}): ${v.help}, e.g. \`${v.targets[0]}\``)));

  const worst = (c) => pages.map((p) => [p.label, Math.min(...lh.get(p.label).map((r) => r.scores[c] ?? -1))]);
  const below = (c) => worst(c).filter(([, s]) => s < 90);
  const grave = pages.filter((p) => axe.get(p.label).violations.some((v) => v.impact === "critical" || v.impact === "serious"));
  const lowest = (c) => Math.min(...worst(c).map(([, s]) => s));
  const checks = [
    [`axe: no serious or critical violation on any page${grave.length ? ` (found on ${grave.map((p) => p.label).join(", ")})` : ""}`, grave.length === 0],
    [`Lighthouse accessibility ≥ 90 on every page in every run (lowest ${lowest("accessibility")}${below("accessibility").length ? `; below on ${below("accessibility").map(([l, s]) => `${l} ${s}`).join(", ")}` : ""})`, below("accessibility").length === 0],
    [`Lighthouse best practices ≥ 90 on every page in every run (lowest ${lowest("best-practices")}${below("best-practices").length ? `; below on ${below("best-practices").map(([l, s]) => `${l} ${s}`).join(", ")}` : ""})`, below("best-practices").length === 0],
  ];

  reportVerdict(REPORT, REPO, {
    title: "Browser quality: Lighthouse and axe on the main pages",
    setup: [
      `\`next start\` on a scratch database seeded with the demo data; Debian's Chromium ${chromiumVersion} (headless). Pages: /login signed out, /queue and the first pending item (opening it claims it) as reviewer@acme.test, /analytics as manager@acme.test, /admin, /admin/task-types and /admin/audit as admin@acme.test, each warmed up by one request first.`,
      "",
      `Lighthouse ${versionOf("lighthouse")}, desktop preset (1350 × 940), no throttling (\`throttlingMethod: "provided"\`: the timings are what this machine measured, with the app and Chromium sharing it, not a simulated slow network), ${runs} runs per page in rounds; each cell is the median with min–max when the runs differ. Performance is reported, not judged.`,
      "",
      lhTable,
      "",
      `axe-core 4.13 (\`@axe-core/playwright\`, default rules: WCAG 2.0–2.2 A/AA and best practices; toasts excluded as in the e2e suite), one pass per page; the count is of rules violated, elements in parentheses.`,
      "",
      axeTable,
    ].join("\n"),
    figures: [
      `Lighthouse audits that cost accessibility or best-practices points: ${notPassed.map(([l, xs]) => `${l}: ${xs.join(", ")}`).join("; ") || "none"}`,
      `Lighthouse audits that could not run: ${errored.join("; ") || "none"}`,
      `Lighthouse run warnings: ${warnings.join("; ") || "none"}`,
      `Requests to anywhere but 127.0.0.1 (Lighthouse's network records and Playwright's): ${offHost.join(", ") || "none"}`,
      ...(details.length ? [`axe rules violated: ${details.join("; ")}`] : []),
      `axe could not decide (incomplete, for a person to check), rule (elements): ${incomplete.map(([l, xs]) => `${l}: ${xs.join(", ")}`).join("; ") || "none"}`,
      `Console errors while axe looked: ${consoleErrors.map(([l, xs]) => `${l}: ${xs.join(" | ")}`).join("; ") || "none"}`,
      memory ? `Peak memory of the app: ${memory.hwmMiB.toFixed(0)} MiB VmHWM (${memory.label}); the process tree peaked at ${memory.treePeakMiB.toFixed(0)} MiB RSS` : "Peak memory of the app: not sampled",
      `The whole run took ${(seconds / 60).toFixed(1)} minutes, of which ${Math.round(appStart.seconds)} s starting the app (${appStart.built ? "with a build, as there was none" : "an existing build"}, migrate, seed).`,
    ],
    checks,
  });
}

await runScenario(processes, main);
