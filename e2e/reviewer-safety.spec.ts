import type { APIRequestContext, Page } from "@playwright/test";
import type { Browser } from "@playwright/test";
import { agentAuth, demo, expect, signedInPage, test } from "./fixtures";
import { inviteAndJoin } from "./invite-member";

/**
 * Issue 16, "never drop or misrecord a reviewer's work" and "send back with instructions", in Chromium:
 * Approve while an edit is open, a decision attempted after the session ended, two-person outcomes,
 * a decided item opened again (and after Back), the header's live Queue badge, and Request changes
 * with the agent's revision. Each test submits its own uniquely named items at low priority.
 */

const uniqueTaskType = (label: string) => `e2e.${label}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function submit(request: APIRequestContext, body: Record<string, unknown>) {
  const res = await request.post("/api/v1/reviews", { headers: agentAuth, data: { priority: "low", ...body } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

type Decision = { outcome: string; instruction: string | null; action: Record<string, unknown>; reason: string | null; note: string | null; approvals: { outcome: string; reviewer: { email: string } | null }[]; reviewer: { email: string } | null };
async function review(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/v1/reviews/${id}`, { headers: agentAuth });
  expect(res.status()).toBe(200);
  return (await res.json()) as { status: string; decision: Decision | null };
}

/**
 * A reviewer of the default workspace of their own (signing out everywhere ends only their sessions),
 * signed in twice: `page` works the item, `elsewhere` ends the session.
 */
async function reviewerWithTwoSessions(browser: Browser, name: string) {
  const admin = await signedInPage(browser, demo.admin);
  const invitee = await inviteAndJoin(admin, browser, "reviewer", name);
  const page = await signedInPage(browser, invitee.email, invitee.password);
  const signOutElsewhere = async () => {
    await invitee.page.getByRole("button", { name: /Account menu/ }).click();
    await invitee.page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await expect(invitee.page).toHaveURL(/\/login\?reason=signed-out$/);
  };
  const signInAgain = async () => {
    await page.getByLabel("Email").fill(invitee.email);
    await page.getByLabel("Password").fill(invitee.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  return { page, signOutElsewhere, signInAgain };
}

async function openHeld(page: Page, id: string, title: string) {
  await page.goto(`/queue/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("claim-note")).toBeVisible();
}

test("while an edit is open, Approve and `a` never approve the original", async ({ browser, request }) => {
  const taskType = uniqueTaskType("editapprove");
  const title = "Refund while editing";
  const id = await submit(request, { taskType, title, action: { orderId: "EA-1", amount: 80 } });
  const page = await signedInPage(browser, demo.reviewer);
  await openHeld(page, id, title);

  await page.getByTestId("edit").click();
  const amount = page.getByLabel("amount");
  await amount.fill("40");
  // The sidebar Approve is off, and says why.
  await expect(page.getByTestId("approve")).toBeDisabled();
  await expect(page.getByTestId("approve-disabled-reason")).toContainText("Approve is off while you edit");
  await expect(page.getByTestId("approve")).toHaveAttribute("aria-describedby", "approve-while-editing");
  await page.getByTestId("approve").click({ force: true });
  // `a` outside the form's fields does nothing either.
  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("a");
  await expect(page.getByTestId("claim-note")).toBeVisible();
  expect((await review(request, id)).status).toBe("pending");

  // Only the editor's confirm approves, with the diff shown first.
  await page.getByTestId("review-changes").click();
  await expect(page.getByTestId("change-list")).toContainText("40");
  await page.getByTestId("confirm-edit").click();
  await expect(page.getByText("Edited and approved. The agent has been told.")).toBeVisible();
  expect(await review(request, id)).toMatchObject({ status: "approved", decision: { outcome: "edited", action: { orderId: "EA-1", amount: 40 } } });
});

// TODO(issue 16): the kept draft holds the reason but an empty note (sessionStorage shows `note: ""` at
// the sign-in page), and the page holds a second, hidden copy of the reject dialog; open until found.
test("a reject note typed after the session ended survives signing in again, and nothing was decided", async ({ browser, request }) => {
  const taskType = uniqueTaskType("expired");
  const title = "Reject after sign-out";
  const id = await submit(request, { taskType, title, action: { orderId: "SE-1", amount: 55 } });
  const { page, signOutElsewhere, signInAgain } = await reviewerWithTwoSessions(browser, "Sam Session");
  await openHeld(page, id, title);

  await page.getByTestId("reject").click();
  await page.getByRole("radio", { name: "Not enough evidence to approve" }).check();
  await page.getByRole("textbox", { name: "Note for the agent (optional)" }).fill("Attach the carrier's scan of the parcel.");
  // The session ends while the note is being written (signed out on another device).
  await signOutElsewhere();
  await page.getByRole("button", { name: "Reject item" }).click();

  await page.waitForURL((u) => u.pathname === "/login");
  expect(new URL(page.url()).searchParams.get("next")).toBe(`/queue/${id}`);
  await expect(page.getByText("Your session ended before your decision was saved, so nothing was decided.")).toBeVisible();
  expect((await review(request, id)).status).toBe("pending");

  await signInAgain();
  await page.waitForURL((u) => u.pathname === `/queue/${id}`);

  // Back on the item, the reject form is open again with what was typed, and says nothing was decided.
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("draft-restored-notice")).toContainText("Nothing was decided yet");
  await expect(dialog.getByRole("radio", { name: "Not enough evidence to approve" })).toBeChecked();
  await expect(dialog.getByRole("textbox", { name: "Note for the agent (optional)" })).toHaveValue("Attach the carrier's scan of the parcel.");
  expect((await review(request, id)).status).toBe("pending");

  await dialog.getByRole("button", { name: "Reject item" }).click();
  await expect(page.getByText("Rejected. The agent has been told.")).toBeVisible();
  expect(await review(request, id)).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "insufficient_evidence", note: "Attach the carrier's scan of the parcel." } });
});

test("an approval pressed after the session ended sends the reviewer to sign in and back, with nothing decided", async ({ browser, request }) => {
  const taskType = uniqueTaskType("expireda");
  const title = "Approve after sign-out";
  const id = await submit(request, { taskType, title, action: { orderId: "SE-2", amount: 5 } });
  const { page, signOutElsewhere, signInAgain } = await reviewerWithTwoSessions(browser, "Ada Again");
  await openHeld(page, id, title);
  await signOutElsewhere();
  // Pressed again until the hydrated page listens for it.
  await expect(async () => {
    await page.keyboard.press("a");
    await expect(page).toHaveURL(/\/login\?/, { timeout: 2000 });
  }).toPass();
  expect(new URL(page.url()).searchParams.get("next")).toBe(`/queue/${id}`);
  await signInAgain();
  await page.waitForURL((u) => u.pathname === `/queue/${id}`);
  await expect(page.getByTestId("draft-restored")).toContainText("Nothing was decided yet");
  await expect(page.getByTestId("approve")).toBeEnabled();
  expect((await review(request, id)).status).toBe("pending");
});

test("a second approver who only approves an edit is recorded as approving; the item's outcome is edited", async ({ browser, request }) => {
  const title = `Two-person edit ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const id = await submit(request, { taskType: "refund.issue", title, action: { orderId: "TPE-1", amount: 600 }, amount: { value: 600, currency: "USD" } });

  const reviewer = await signedInPage(browser, demo.reviewer);
  await openHeld(reviewer, id, title);
  await reviewer.getByTestId("edit").click();
  await reviewer.getByLabel("amount").fill("300");
  await reviewer.getByTestId("review-changes").click();
  await reviewer.getByTestId("confirm-edit").click();
  await expect(reviewer.getByText("Edited and approved: 1 of 2 approvals.")).toBeVisible();

  const manager = await signedInPage(browser, demo.manager);
  await openHeld(manager, id, title);
  await manager.getByTestId("approve").click();
  // The manager approved what the reviewer edited: their own part is an approval.
  await expect(manager.getByText("Approved. The agent has been told.")).toBeVisible();

  expect(await review(request, id)).toMatchObject({
    status: "approved",
    decision: { outcome: "edited", action: { orderId: "TPE-1", amount: 300 }, reviewer: { email: demo.manager }, approvals: [{ outcome: "edited", reviewer: { email: demo.reviewer } }] },
  });
  // My decisions: the manager approved, the reviewer edited.
  await manager.goto("/queue/mine");
  const managerRow = manager.getByRole("row").filter({ hasText: title });
  await expect(managerRow).toContainText("Approved");
  await expect(managerRow).not.toContainText("Edited");
  await manager.goto("/queue/mine?outcome=edited");
  await expect(manager.getByRole("row").filter({ hasText: title })).toHaveCount(0);
  await reviewer.goto("/queue/mine");
  await expect(reviewer.getByRole("row").filter({ hasText: title })).toContainText("Edited, first approval");
});

test("a decided item opens read-only with who decided what and when, also after Back", async ({ browser, request }) => {
  const taskType = uniqueTaskType("decided");
  const title = "Decided then revisited";
  const id = await submit(request, { taskType, title, action: { orderId: "DB-1", amount: 20 } });
  const page = await signedInPage(browser, demo.reviewer);
  // Open it from the queue, so Back returns to the item page as the client router cached it.
  await page.goto(`/queue?taskType=${taskType}`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByTestId("claim-note")).toBeVisible();
  await expect(page.getByTestId("sla")).toContainText("Due in");
  await page.getByTestId("approve").click();
  await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();
  await page.waitForURL((u) => !u.pathname.endsWith(id));

  await page.goBack();
  await page.waitForURL((u) => u.pathname.endsWith(id));
  await expect(page.getByTestId("decided-panel")).toBeVisible();
  await expect(page.getByTestId("decided-line")).toContainText("Approved by");
  await expect(page.getByTestId("claim-note")).toHaveCount(0);
  await expect(page.getByTestId("approve")).toHaveCount(0);
  await expect(page.getByTestId("sla")).not.toContainText("Due in");

  // Opened afresh, the server's record: who, what and when.
  await page.goto(`/queue/${id}`);
  await expect(page.getByTestId("decided-line")).toContainText("Approved by Riley Reviewer on");
  await expect(page.getByTestId("approve")).toHaveCount(0);
  await expect(page.getByTestId("reject")).toHaveCount(0);
  await expect(page.getByTestId("sla")).toHaveText("Decided within its SLA");
});

test("the header's Queue badge follows the live stream on a page that doesn't reload", async ({ browser, request }) => {
  const page = await signedInPage(browser, demo.reviewer);
  const fresh = await signedInPage(browser, demo.reviewer);
  await page.goto("/queue/mine");
  const countOf = async (p: Page) => parseInt((await p.getByRole("navigation", { name: "Main" }).getByTestId("nav-count").textContent()) ?? "", 10);
  const before = await countOf(page);
  expect(before).not.toBeNaN();
  const taskType = uniqueTaskType("badge");
  for (let i = 0; i < 3; i++) await submit(request, { taskType, title: `Badge ${i}`, action: { i } });
  // The page was not reloaded: the badge still matches what a fresh render counts.
  await expect(async () => {
    await fresh.goto("/queue/mine");
    const now = await countOf(fresh);
    expect(await countOf(page)).toBe(now);
    expect(now).not.toBe(before);
  }).toPass();
});

test("Request changes sends the item back with an instruction, and the revision shows it with the diff", async ({ browser, request }) => {
  const taskType = uniqueTaskType("changes");
  const title = "Refund to send back";
  const id = await submit(request, { taskType, title, action: { orderId: "RC-1", amount: 120 } });
  const page = await signedInPage(browser, demo.reviewer);
  await openHeld(page, id, title);

  await page.getByTestId("request-changes").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("confirm-request-changes").click();
  await expect(dialog.getByText("Tell the agent what to change.")).toBeVisible();
  expect((await review(request, id)).status).toBe("pending");
  await dialog.getByRole("textbox", { name: "Instruction to the agent (required)" }).fill("Refund 100: the order total, without the shipping fee");
  await dialog.getByTestId("confirm-request-changes").click();
  await expect(page.getByText("Sent back with your instruction. The agent has been told.")).toBeVisible();
  expect(await review(request, id)).toMatchObject({
    status: "rejected",
    decision: { outcome: "changes_requested", instruction: "Refund 100: the order total, without the shipping fee", reviewer: { email: demo.reviewer } },
  });

  // The agent follows the instruction; the reviewer sees it beside what changed.
  const revision = await submit(request, { taskType, title: "Refund, revised", action: { orderId: "RC-1", amount: 100 }, revisionOf: id });
  await page.goto(`/queue/${revision}`);
  await expect(page.getByTestId("revision-instruction")).toContainText("sent back to the agent with this instruction");
  await expect(page.getByTestId("revision-instruction")).toContainText("Refund 100: the order total, without the shipping fee");
  const diff = page.getByTestId("change-list");
  await expect(diff).toContainText("120");
  await expect(diff).toContainText("100");

  // The original, opened again, says what was decided.
  await page.goto(`/queue/${id}`);
  await expect(page.getByTestId("decided-line")).toContainText("Sent back with changes requested by Riley Reviewer");
});
