import { endpointOr404 } from "./endpoint";

/** Looks the endpoint up before the loading state streams, so an unknown id answers with a 404 status. */
export default async function WebhookEndpointLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  await endpointOr404((await params).id);
  return children;
}
