import { describe, expect, it } from "vitest";
import { CreateWebhookEndpointInput, SetWebhookEndpointEnabledInput, UpdateWebhookEndpointInput } from "./webhooks";

describe("CreateWebhookEndpointInput", () => {
  it("keeps each event once, in the form's order, and trims the text", () => {
    const parsed = CreateWebhookEndpointInput.parse({
      url: "  https://hooks.example.com/in ",
      description: " Ops bus ",
      events: ["task_type.mode_changed", "review.created", "review.created"],
    });
    expect(parsed).toEqual({ url: "https://hooks.example.com/in", description: "Ops bus", events: ["review.created", "task_type.mode_changed"] });
  });

  it.each([
    [{ url: "https://hooks.example.com/in", events: [] }, "events", "Choose at least one event."],
    [{ url: "https://hooks.example.com/in" }, "events", "Choose at least one event."],
    [{ url: "https://hooks.example.com/in", events: ["review.deleted"] }, "events.0", "Unknown event."],
    [{ url: "", events: ["review.created"] }, "url", "Enter the endpoint's URL."],
    [{ url: "hooks.example.com/in", events: ["review.created"] }, "url", "Enter a full URL starting with https://."],
    [{ url: "ftp://hooks.example.com/in", events: ["review.created"] }, "url", "Enter a full URL starting with https://."],
    [{ url: "https://hooks.example.com/in", description: "x".repeat(201), events: ["review.created"] }, "description", "Keep the description under 200 characters."],
  ])("refuses %j with a message on %s", (input, path, message) => {
    const result = CreateWebhookEndpointInput.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join(".") === path);
    expect(issue?.message).toBe(message);
  });
});

describe("UpdateWebhookEndpointInput and SetWebhookEndpointEnabledInput", () => {
  it("need a uuid, and take enabled only as true or false", () => {
    expect(UpdateWebhookEndpointInput.safeParse({ id: "nope", events: ["review.created"] }).success).toBe(false);
    const id = "6f1c7a43-2b7e-4c55-9d4a-0d2f8f1b7a10";
    expect(SetWebhookEndpointEnabledInput.parse({ id, enabled: "false" })).toEqual({ id, enabled: false });
    expect(SetWebhookEndpointEnabledInput.safeParse({ id, enabled: "yes" }).success).toBe(false);
  });
});
