import type { Page } from "@playwright/test";
import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

/** Creates an API key through the admin page and answers it. */
async function createApiKey(page: Page): Promise<string> {
  await page.goto("/admin/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Task type agent");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = await dialog.getByTestId("new-api-key").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return key;
}

/** An agent submits an item for an unknown key, which registers it (unclassified, approve before action). */
async function submitItem(page: Page, key: string, taskType: string, body: Record<string, unknown> = {}) {
  const res = await page.request.post("/api/v1/reviews", {
    headers: { authorization: `Bearer ${key}` },
    data: { taskType, title: `First ${taskType}`, action: { orderId: "A-100", amount: 120 }, context: { customer: { tier: "gold" } }, confidence: 0.97, ...body },
  });
  expect(res.status()).toBe(201);
}

const suffix = () => Date.now().toString(36);

/** Axe reads a toast mid-animation (partly transparent) as low contrast; check the page once they are gone. */
async function pageViolations(page: Page): Promise<string[]> {
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0);
  return accessibilityViolations(page);
}

test("an admin classifies auto-registered task types: floors refused on the server, before/after on save, rules previewed", async ({ page }) => {
  test.slow();
  await signUpOrganization(page, "tasktypes");
  await page.goto("/admin/task-types");
  await expect(page.getByRole("heading", { level: 1, name: "Task types" })).toBeVisible();
  await expect(page.getByText("No task types yet")).toBeVisible();

  const apiKey = await createApiKey(page);
  const refund = `refund.send.${suffix()}`;
  const tagging = `ticket.tag.${suffix()}`;
  await submitItem(page, apiKey, refund);
  await submitItem(page, apiKey, tagging);

  await page.goto("/admin/task-types");
  await expect(page.getByTestId("unclassified-banner")).toContainText("2 task types are unclassified: they stay in approve-before-action until you classify them.");
  const refundRow = page.getByTestId(`task-type-${refund}`);
  await expect(refundRow.getByText("Unclassified")).toBeVisible();
  await expect(refundRow.getByText("Approve before action")).toBeVisible();
  await expect(refundRow.getByRole("cell").nth(5)).toHaveText("1");
  expect(await pageViolations(page)).toEqual([]);

  // Classify it as irreversible and try to let it run on exception: refused on the field, nothing saved.
  await refundRow.getByRole("link", { name: `Classify ${refund}` }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/task-types/${refund.replace(/\./g, "\\.")}$`));
  await expect(page.getByText("Registered automatically, not classified yet")).toBeVisible();
  expect(await pageViolations(page)).toEqual([]);
  await page.getByLabel("Name", { exact: true }).fill("Send a refund");
  await page.getByRole("radio", { name: /^Irreversible/ }).check();
  await page.getByLabel("Data class").selectOption("financial");
  await page.getByLabel("Mode", { exact: true }).selectOption("flag_on_exception");
  await expect(page.getByTestId("mode-floor-warning")).toBeVisible();
  await page.getByRole("button", { name: "Save changes" }).click();
  const modeError = page.locator("#field-mode-error");
  await expect(modeError).toHaveText(/can't run on exception when its actions are irreversible/);
  await expect(page.getByLabel("Mode", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("change-summary")).toHaveCount(0);

  // A stricter mode saves, with a before/after summary.
  await page.getByLabel("Mode", { exact: true }).selectOption("review_after_draft");
  await page.getByLabel("Amount limit").fill("500");
  await page.getByLabel("Currency", { exact: true }).fill("usd");
  await page.getByRole("button", { name: "Save changes" }).click();
  const summary = page.getByTestId("change-summary");
  await expect(summary).toContainText("Saved 7 changes");
  await expect(summary.getByRole("row", { name: /Classified\s+No\s+Yes/ })).toBeVisible();
  await expect(summary.getByRole("row", { name: /Mode\s+Approve before action\s+Review after draft/ })).toBeVisible();
  await expect(summary.getByRole("row", { name: /Reversible\s+Reversible\s+Irreversible/ })).toBeVisible();
  await expect(summary.getByRole("row", { name: /Amount limit\s+No limit\s+500.00/ })).toBeVisible();
  await expect(page.getByText("Registered automatically, not classified yet")).toHaveCount(0);
  expect(await pageViolations(page)).toEqual([]);

  // Saving again with nothing changed says so.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Nothing changed, so nothing was saved.")).toBeVisible();

  // Loosening a floor needs a justification, and the summary says it was loosened.
  await page.getByLabel("Amount limit").fill("");
  await expect(page.getByTestId("loosening-warning")).toContainText("Removes the 500.00 USD amount limit");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#field-justification-error")).toContainText("Explain why in at least 20 characters");
  await page.getByLabel("Justification").fill("Finance caps refunds in the payment provider itself now.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("change-summary")).toContainText("A floor was loosened");
  await expect(page.getByTestId("change-summary").getByRole("row", { name: /Amount limit\s+500.00\s+No limit/ })).toBeVisible();

  // The other one: an exception rule, tested against its item before saving.
  await page.goto(`/admin/task-types/${tagging}`);
  // Its consequences are a choice, not a default: nothing is preselected, and saving without them is refused.
  await expect(page.getByRole("radio", { name: /^Reversible/ })).not.toBeChecked();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#field-reversible-error")).toHaveText("Say whether its actions can be undone");
  await expect(page.locator("#field-dataClass-error")).toHaveText("Choose a data class");
  await page.getByRole("radio", { name: /^Reversible/ }).check();
  await page.getByLabel("Data class").selectOption("none");
  await page.getByLabel("Mode", { exact: true }).selectOption("flag_on_exception");
  await page.getByRole("button", { name: "Add rule" }).click();
  await page.getByLabel("Rule 1 name").fill("gold-tier");
  await page.getByLabel("Rule 1 field path").fill("context.customer.tier");
  await page.getByLabel("Rule 1 operator").selectOption("eq");
  await page.getByLabel("Rule 1 value").fill("gold");
  await page.getByRole("button", { name: "Test routing" }).click();
  const preview = page.getByTestId("routing-preview");
  await expect(preview).toContainText("Went to a person");
  await expect(preview).toContainText("Approve before action");
  await expect(preview).toContainText("Goes to a person first");
  await expect(preview).toContainText("Rule: gold-tier");
  await page.getByLabel("Rule 1 value").fill("silver");
  await page.getByRole("button", { name: "Test routing" }).click();
  await expect(preview).toContainText("Runs automatically");
  await expect(preview).not.toContainText("Rule: gold-tier");
  expect(await pageViolations(page)).toEqual([]);

  // A malformed rule is refused on its row.
  await page.getByLabel("Rule 1 field path").fill("customer.tier");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("rule-row-1")).toContainText('Start the path with "action." or "context."');
  await page.getByLabel("Rule 1 field path").fill("context.customer.tier");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("change-summary")).toContainText("Exception rules");

  await page.goto("/admin/task-types");
  await expect(page.getByTestId("unclassified-banner")).toHaveCount(0);
  await expect(page.getByTestId(`task-type-${tagging}`)).toContainText("1 exception rule");
  await expect(page.getByTestId(`task-type-${tagging}`).getByText("Flag on exception")).toBeVisible();
});

test("reviewers and managers get the 403 page, and a replayed save changes nothing for them or another organization's admin", async ({ page, browser }) => {
  test.slow();
  for (const email of [demo.reviewer, demo.manager]) {
    const other = await signedInPage(browser, email);
    for (const path of ["/admin/task-types", "/admin/task-types/ehr.note.write"]) {
      const res = await other.goto(path);
      expect(res?.status(), `${email} on ${path}`).toBe(403);
      await expect(other.getByText("You don't have access to this page")).toBeVisible();
    }
  }

  // Capture an admin's real save, then make another change so the captured one would be visible if replayed.
  await signUpOrganization(page, "tasktypereplay");
  const apiKey = await createApiKey(page);
  const key = `replayed.type.${suffix()}`;
  await submitItem(page, apiKey, key);
  await page.goto(`/admin/task-types/${key}`);
  await page.getByLabel("Name", { exact: true }).fill("Captured name");
  await page.getByRole("radio", { name: /^Reversible/ }).check();
  await page.getByLabel("Data class").selectOption("none");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    page.getByRole("button", { name: "Save changes" }).click(),
  ]);
  await expect(page.getByTestId("change-summary")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Current name");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("change-summary")).toContainText("Current name");

  for (const [email, refusal] of [
    [demo.reviewer, "forbidden"],
    [demo.manager, "forbidden"],
    [demo.admin, "not_found"],
  ] as const) {
    const other = await signedInPage(browser, email);
    const replay = await other.request.post(request.url(), {
      headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
      data: request.postDataBuffer() ?? undefined,
    });
    expect(replay.status(), email).toBeLessThan(500);
    expect(await replay.text(), email).toContain(`"code":"${refusal}"`);
  }
  await page.reload();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Current name");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Current name");
});
