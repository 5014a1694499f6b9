import { Webhook } from "standardwebhooks";
import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";
import { startReceiver, type ReceivedWebhook } from "./webhook-receiver";

function verifies(secret: string, request: ReceivedWebhook): boolean {
  try {
    new Webhook(secret).verify(request.body, {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    });
    return true;
  } catch {
    return false;
  }
}

test("an admin adds an endpoint, sees its secret once, tests it, rotates it with an overlap, and removes it", async ({ page }) => {
  // Dev servers compile each page on first visit; the flow visits several.
  test.slow();
  await signUpOrganization(page, "endpoints");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await expect(page.getByText("No endpoints yet")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog");
  // Refused on the server: no event, then an address inside the network, then plain http elsewhere.
  await dialog.getByLabel("URL").fill("https://hooks.example.com/in");
  for (const name of ["review.decided", "review.expired"]) await dialog.getByLabel(name).uncheck();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText("Choose at least one event.")).toBeVisible();
  await dialog.getByLabel("URL").fill("https://169.254.169.254/latest/meta-data");
  await dialog.getByLabel("review.decided").check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText(/non-public address/)).toBeVisible();
  await expect(dialog.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  expect(await accessibilityViolations(page)).toEqual([]);
  await dialog.getByLabel("URL").fill("http://hooks.example.com/in");
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByText(/must use https/)).toBeVisible();

  const path = `/e2e-admin-webhooks-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const url = `http://127.0.0.1:3199${path}`;
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByLabel("Description (optional)").fill("E2E event bus");
  await dialog.getByLabel("task_type.mode_changed").check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  const secretField = dialog.getByTestId("endpoint-secret");
  await expect(secretField).toHaveValue(/^whsec_/);
  const firstSecret = await secretField.inputValue();
  await expect(dialog.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(dialog.getByText("Copy this secret now — it won't be shown again")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole("row").filter({ hasText: url });
  await expect(row).toContainText("E2E event bus");
  await expect(row).toContainText("review.decided");
  await expect(row).toContainText("task_type.mode_changed");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("No deliveries yet");
  // Never shown again: not in the page, not after a reload.
  await page.reload();
  expect(await page.content()).not.toContain(firstSecret.slice(6));

  await row.getByRole("link", { name: url }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\/[0-9a-f-]{36}$/);
  const endpointUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(url);
  await expect(page.getByText("Nothing sent yet")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  // The receiver answers 2xx only to a delivery signed with every secret it expects right now, so
  // "Delivered" in the log means the signature verified.
  // Within seconds on a built server; a dev server compiling on first use takes longer (test.slow() above).
  const delivery = { timeout: test.info().timeout / 6 };
  let expected = [firstSecret];
  const receiver = await startReceiver(path, (request) => (expected.every((secret) => verifies(secret, request)) ? 200 : 401));
  try {
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test event queued.")).toBeVisible();
    const log = page.getByRole("region", { name: "Deliveries table" });
    await expect(log.getByRole("row").filter({ has: page.getByText("Delivered", { exact: true }) })).toHaveCount(1, delivery);
    await expect(log).toContainText("200");
    await expect(log).toContainText("Test");
    expect(receiver.received).toHaveLength(1);
    expect(verifies(firstSecret, receiver.received[0])).toBe(true);
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: "review.decided", data: { test: true } });
    await expect(page.getByText("200 OK")).toBeVisible();

    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog");
    await expect(rotate).toContainText("24 hours the current secret keeps signing too");
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    await expect(rotate.getByTestId("endpoint-secret")).toHaveValue(/^whsec_/);
    const secondSecret = await rotate.getByTestId("endpoint-secret").inputValue();
    expect(secondSecret).not.toBe(firstSecret);
    expect(await accessibilityViolations(page)).toEqual([]);
    await rotate.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("rotation-overlap")).toContainText("the previous secret still signs until");

    // During the overlap each delivery verifies with either secret.
    expected = [firstSecret, secondSecret];
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(log.getByRole("row").filter({ has: page.getByText("Delivered", { exact: true }) })).toHaveCount(2, delivery);
    expect(receiver.received).toHaveLength(2);
    expect(String(receiver.received[1].headers["webhook-signature"]).split(" ")).toHaveLength(2);
  } finally {
    await receiver.close();
  }

  await page.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable endpoint" }).click();
  await expect(page.getByText("Disabled", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
  await page.getByRole("button", { name: "Enable" }).click();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeEnabled();

  await page.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog");
  await edit.getByLabel("Description (optional)").fill("E2E event bus (renamed)");
  await edit.getByLabel("review.expired").check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText("E2E event bus (renamed)")).toBeVisible();
  await expect(page.getByRole("list", { name: "Subscribed events" })).toContainText("review.expired");

  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks$/);
  await expect(page.getByText("No endpoints yet")).toBeVisible();
  const gone = await page.goto(endpointUrl);
  expect(gone?.status()).toBe(404);
});

test("managers and reviewers get the 403 page and their crafted calls are refused; another organization's admin gets 404", async ({ page, browser }) => {
  test.slow();
  await signUpOrganization(page, "endpointauthz");
  await page.goto("/admin/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog");
  // The allow-listed receiver address: accepted without DNS (nothing needs to listen, nothing is sent).
  const url = `http://127.0.0.1:3199/e2e-authz-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(dialog.getByTestId("endpoint-secret")).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("link", { name: url }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\/[0-9a-f-]{36}$/);
  const endpointPath = new URL(page.url()).pathname;

  // Capture the admin's real "rotate" request, to replay it as the others.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click(),
  ]);
  await expect(page.getByRole("dialog").getByTestId("endpoint-secret")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  const overlapBefore = await page.getByTestId("rotation-overlap").textContent();

  for (const email of [demo.manager, demo.reviewer]) {
    const other = await signedInPage(browser, email);
    for (const path of ["/admin/webhooks", endpointPath]) {
      const res = await other.goto(path);
      expect(res?.status(), `${email} ${path}`).toBe(403);
      await expect(other.getByText("You don't have access to this page")).toBeVisible();
      await expect(other.getByRole("button", { name: /Add endpoint|Rotate secret|Send test event/ })).toHaveCount(0);
    }
    const replay = await other.request.post(request.url(), {
      headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
      data: request.postDataBuffer() ?? undefined,
    });
    expect(replay.status()).toBeLessThan(500);
    const body = await replay.text();
    expect(body).toContain("forbidden");
    expect(body).not.toContain("whsec_");
    await other.context().close();
  }

  // Another organization's admin: the endpoint doesn't exist for them, and the replayed call finds nothing.
  const stranger = await browser.newPage();
  await signUpOrganization(stranger, "endpointstranger");
  const res = await stranger.goto(endpointPath);
  expect(res?.status()).toBe(404);
  const replay = await stranger.request.post(request.url(), {
    headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
    data: request.postDataBuffer() ?? undefined,
  });
  const body = await replay.text();
  expect(body).toContain("not_found");
  expect(body).not.toContain("whsec_");
  await stranger.context().close();

  // Nothing changed: the overlap note still names the same end.
  await page.reload();
  await expect(page.getByTestId("rotation-overlap")).toHaveText(overlapBefore ?? "");
});
