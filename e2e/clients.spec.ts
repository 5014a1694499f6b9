import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "@playwright/test";
import { agentAuth, DEMO_API_KEY, demo, expect, signedInPage, test } from "./fixtures";

/**
 * The installable client, as an agent developer gets it: `npm run client:pack`, then the tarball and
 * the frameworks from the npm registry in a scratch project outside the repo. Each framework's example
 * (clients/examples, the files /docs/api shows) runs with a scripted model against this app; a reviewer
 * robot, signed in as the demo reviewer, decides each review in the queue as its title says (approve,
 * edit the amount to 30, or reject with a reason). The Python client's unittest suite runs against the
 * same app and robot.
 */

test.describe.configure({ mode: "serial" });

const run = `${Date.now().toString(36)}${process.pid}`;
// Majors pinned, so a framework's next breaking release is a deliberate upgrade, not a red CI run.
const FRAMEWORKS = ["ai@^7", "@openai/agents@^0.20", "@langchain/langgraph@^1", "@langchain/core@^1", "zod@^4"];

type Verb = "approve" | "edit" | "reject";
type Review = { id: string; title: string | null; status: string; action: Record<string, unknown> };

let scratch = "";
let robot: Robot;

const scratchImport = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(scratch, file)).href) as Promise<T>;

async function reviewsTitled(baseURL: string, title: string): Promise<Review[]> {
  const res = await fetch(`${baseURL}/api/v1/reviews?taskType=refund.issue&limit=100`, { headers: agentAuth });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: Review[] };
  return data.filter((r) => r.title === title);
}

/** Decides a review in the queue as the signed-in reviewer, the way a person does. */
async function decide(page: Page, review: Review, verb: Verb) {
  await page.goto(`/queue/${review.id}`);
  await expect(page.getByRole("heading", { level: 1, name: review.title ?? "" })).toBeVisible();
  await expect(page.getByTestId("claim-note")).toBeVisible();
  if (verb === "approve") {
    await page.getByRole("button", { name: /^Approve/ }).click();
    await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();
  } else if (verb === "edit") {
    await page.getByRole("button", { name: /^Edit/ }).click();
    await page.getByLabel("Amount", { exact: true }).fill("30");
    await page.keyboard.press("Enter");
    await page.getByTestId("confirm-edit").click();
    await expect(page.getByText("Edited and approved. The agent has been told.")).toBeVisible();
  } else {
    await page.getByRole("button", { name: /^Reject/ }).click();
    const dialog = page.getByRole("dialog", { name: "Reject this item" });
    await dialog.getByRole("radio", { name: "Not enough evidence to approve" }).check();
    await dialog.getByLabel("Note for the agent (optional)").fill("Attach a photo of the damage.");
    await dialog.getByTestId("confirm-reject").click();
    await expect(page.getByText("Rejected. The agent has been told.")).toBeVisible();
  }
}

type Robot = { decided: Map<string, Verb>; decideNow(review: Review, verb: Verb): Promise<void>; race<T>(work: Promise<T>): Promise<T>; stop(): Promise<void> };

/** Watches the demo organization's pending refunds and decides this run's ones as their titles say. */
async function startRobot(browser: Browser, baseURL: string): Promise<Robot> {
  const page = await signedInPage(browser, demo.reviewer);
  const decided = new Map<string, Verb>();
  const pattern = new RegExp(`^Refund (approve|edit|reject)-${run}-`);
  let stopped = false;
  let busy = Promise.resolve();
  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  const decideNow = (review: Review, verb: Verb) => {
    decided.set(review.id, verb); // before deciding: the agent hears of the decision before the page confirms it
    const next = busy.then(() => decide(page, review, verb));
    busy = next.catch(() => {});
    return next;
  };
  const loop = (async () => {
    while (!stopped) {
      const res = await fetch(`${baseURL}/api/v1/reviews?status=pending&taskType=refund.issue&limit=100`, { headers: agentAuth });
      const { data } = (await res.json()) as { data: Review[] };
      for (const review of data) {
        const verb = pattern.exec(review.title ?? "")?.[1] as Verb | undefined;
        if (verb && !decided.has(review.id)) await decideNow(review, verb);
      }
      await new Promise((resolve) => setTimeout(resolve, 250)); // the next look at the queue
    }
  })().catch((e) => fail(e));
  return {
    decided,
    decideNow,
    race: (work) => Promise.race([work, failed]),
    async stop() {
      stopped = true;
      await loop;
      await page.context().close();
    },
  };
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const started = Date.now();
  const pack = spawnSync(process.execPath, ["scripts/client-pack.mjs"], { encoding: "utf8" });
  expect(pack.status, pack.stderr + pack.stdout).toBe(0);
  const tarball = pack.stdout.trim().split("\n").pop()!;
  scratch = mkdtempSync(path.join(os.tmpdir(), "countersign-clients-"));
  writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "countersign-clients-e2e", private: true, type: "module" }));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, ...FRAMEWORKS], { cwd: scratch, encoding: "utf8" });
  expect(install.status, install.stderr).toBe(0);
  for (const file of readdirSync("clients/examples")) copyFileSync(path.join("clients/examples", file), path.join(scratch, file));
  for (const file of ["scripted-models.mjs", "crash-mid-wait.mjs"]) copyFileSync(path.join("e2e/clients", file), path.join(scratch, file));
  console.log(`client packed and installed with ${FRAMEWORKS.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  // Read by the examples (and the scripts they run): this app, the demo organization's key, no tracing export.
  process.env.COUNTERSIGN_URL = baseURL;
  process.env.COUNTERSIGN_API_KEY = DEMO_API_KEY;
  process.env.OPENAI_AGENTS_DISABLE_TRACING = "1";
  robot = await startRobot(browser, baseURL!);
});

test.afterAll(async () => {
  await robot?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

type RefundArgs = { orderId: string; amount: number };
type Scripted = { model: unknown; seen: string[] };

/** Runs one example three times (approve, edit, reject) and checks what the tool and the model saw. */
async function approveEditReject(baseURL: string, label: string, runOnce: (orderId: string, issueRefund: (args: RefundArgs) => Promise<string>) => Promise<Scripted>) {
  for (const verb of ["approve", "edit", "reject"] as const) {
    const orderId = `${verb}-${run}-${label}`;
    const calls: RefundArgs[] = [];
    const issueRefund = async (args: RefundArgs) => {
      calls.push({ orderId: args.orderId, amount: args.amount });
      return `refunded ${args.amount} on ${args.orderId}`;
    };
    const { seen } = await robot.race(runOnce(orderId, issueRefund));
    const reviews = await reviewsTitled(baseURL, `Refund ${orderId}`);
    expect(reviews, `${label} ${verb}: exactly one review`).toHaveLength(1);
    expect(robot.decided.get(reviews[0].id)).toBe(verb);
    if (verb === "approve") {
      expect(calls).toEqual([{ orderId, amount: 35 }]);
      expect(seen.join("\n")).toContain(`refunded 35 on ${orderId}`);
    } else if (verb === "edit") {
      expect(calls).toEqual([{ orderId, amount: 30 }]);
      expect(seen.join("\n")).toContain(`refunded 30 on ${orderId}`);
    } else {
      expect(calls).toEqual([]);
      expect(seen.join("\n")).toContain("Attach a photo of the damage.");
      expect(seen.join("\n")).toContain("insufficient_evidence");
    }
  }
}

test("the package's type declarations serve a TypeScript consumer (Node ESM resolution, strict)", () => {
  writeFileSync(
    path.join(scratch, "consumer.ts"),
    [
      'import { createCountersignClient, requestApproval, type ApprovalResult, type Review } from "@countersign/client";',
      'import { countersignToolApproval, countersignTools } from "@countersign/client/ai-sdk";',
      'import { runWithCountersign } from "@countersign/client/openai-agents";',
      'import { approvalRequest, resumeWithApproval, type ApprovalResume } from "@countersign/client/langgraph";',
      'const client = createCountersignClient({ baseUrl: "http://127.0.0.1", apiKey: "cs_live_x" });',
      'export const pending: Promise<ApprovalResult> = requestApproval(client, { taskType: "refund.issue", action: { orderId: "A-1" } }, { callId: "c1" });',
      'export const outcome = (r: Review): string | undefined => r.decision?.outcome;',
      'export const payload = approvalRequest("issue_refund", { orderId: "A-1" }).countersign.taskType;',
      'export const resumed = (v: ApprovalResume) => (v.approved ? v.action : v.reason);',
      "export const all = [countersignTools, countersignToolApproval, runWithCountersign, resumeWithApproval];",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(scratch, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, types: [] }, files: ["consumer.ts"] }),
  );
  const tsc = spawnSync(process.execPath, [path.resolve("node_modules/typescript/bin/tsc"), "-p", scratch], { encoding: "utf8" });
  expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
});

test("Vercel AI SDK: the gated tool runs once with the approved or edited arguments; a rejection reaches the model", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const { refundAgent } = await scratchImport<{ refundAgent: (o: object) => Promise<unknown> }>("ai-sdk.mjs");
  const { aiSdkModel } = await scratchImport<{ aiSdkModel: (o: object) => Scripted }>("scripted-models.mjs");
  await approveEditReject(baseURL!, "ai", async (orderId, issueRefund) => {
    const scripted = aiSdkModel({ toolName: "issueRefund", args: { orderId, amount: 35 }, callId: `call-${orderId}` });
    await refundAgent({ model: scripted.model, issueRefund });
    return scripted;
  });
});

test("OpenAI Agents SDK: interruptions are decided in Countersign; an edit comes back as the approved call", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const { refundAgent } = await scratchImport<{ refundAgent: (o: object) => Promise<unknown> }>("openai-agents.mjs");
  const { agentsModel } = await scratchImport<{ agentsModel: (o: object) => Scripted }>("scripted-models.mjs");
  await approveEditReject(baseURL!, "agents", async (orderId, issueRefund) => {
    const scripted = agentsModel({ toolName: "issue_refund", args: { orderId, amount: 35 }, callId: `call-${orderId}` });
    await refundAgent({ model: scripted.model, issueRefund });
    return scripted;
  });
});

test("LangGraph.js: an interrupt becomes a review, and the thread resumes with the decision", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const { refundAgent } = await scratchImport<{ refundAgent: (o: object) => Promise<unknown> }>("langgraph.mjs");
  const { langGraphModel } = await scratchImport<{ langGraphModel: (o: object) => Scripted }>("scripted-models.mjs");
  await approveEditReject(baseURL!, "graph", async (orderId, issueRefund) => {
    const scripted = langGraphModel({ args: { orderId, amount: 35 } });
    await refundAgent({ model: scripted.model, issueRefund, threadId: `thread-${orderId}` });
    return scripted;
  });
});

test("a step killed mid-wait and run again answers the same review: never a second one", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const orderId = `hold-${run}-crash`; // not one the robot decides on its own
  const args = [path.join(scratch, "crash-mid-wait.mjs"), `crash-${run}`, orderId];
  const first = spawn(process.execPath, args, { cwd: scratch, stdio: "ignore" });
  const exited = new Promise((resolve) => first.on("exit", resolve));
  await expect.poll(async () => (await reviewsTitled(baseURL!, `Refund ${orderId}`)).length, { timeout: 30_000 }).toBe(1);
  const [review] = await reviewsTitled(baseURL!, `Refund ${orderId}`);
  expect(review.status).toBe("pending");
  expect(first.exitCode).toBeNull(); // still waiting for the decision
  first.kill("SIGKILL");
  await exited;

  const second = spawn(process.execPath, args, { cwd: scratch, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  second.stdout.on("data", (chunk) => (out += chunk));
  const done = new Promise<number | null>((resolve) => second.on("exit", resolve));
  await robot.decideNow(review, "approve");
  expect(await robot.race(done)).toBe(0);
  expect(JSON.parse(out)).toEqual({ approved: true, reviewId: review.id, action: { orderId, amount: 20 } });
  expect(await reviewsTitled(baseURL!, `Refund ${orderId}`)).toHaveLength(1);
});

test("Python: the stdlib client and @requires_approval, against this app", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const py = spawn("python3", ["-m", "unittest", "-v"], {
    cwd: "clients/python",
    env: { ...process.env, COUNTERSIGN_URL: baseURL, COUNTERSIGN_API_KEY: DEMO_API_KEY, COUNTERSIGN_TEST_RUN: run, COUNTERSIGN_REVIEWER: "robot" },
  });
  let out = "";
  py.stdout.on("data", (chunk) => (out += chunk));
  py.stderr.on("data", (chunk) => (out += chunk));
  const code = await robot.race(new Promise<number | null>((resolve) => py.on("exit", resolve)));
  expect(code, out).toBe(0);
  expect(out).toMatch(/Ran 9 tests/);
  expect(out).not.toContain("skipped");
  for (const verb of ["approve", "edit", "reject"]) expect([...robot.decided.values()].filter((v) => v === verb).length).toBeGreaterThanOrEqual(1);
});

test("the API reference's Integrations section shows the very files these tests run", async ({ page }) => {
  await page.goto("/docs/api#integrations");
  await expect(page.getByRole("heading", { level: 2, name: "Integrations" })).toBeVisible();
  for (const file of ["clients/examples/ai-sdk.mjs", "clients/examples/openai-agents.mjs", "clients/examples/langgraph.mjs", "clients/python/examples/refund_agent.py"]) {
    const block = page.getByRole("region", { name: "Integrations" }).getByLabel(file, { exact: true });
    expect(await block.textContent()).toBe(readFileSync(file, "utf8").trimEnd());
  }
});
