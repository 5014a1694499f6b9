import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { getDb } from "@/db/client";
import { MAX_BODY_BYTES } from "@/lib/api/body";
import { authenticate, errorResponse } from "@/lib/api/handler";
import { createMcpServer } from "./server";

const MCP_PATH = "/api/mcp";

function withRequestId(response: Response, requestId: string): Response {
  response.headers.set("x-request-id", requestId);
  return response;
}

/**
 * The Bearer key first: an unknown or revoked key is a 401 problem before anything MCP runs. Tool
 * calls then authorize again for their own scope and count against the key's rate limit.
 */
async function refusal(request: Request, requestId: string): Promise<Response | null> {
  try {
    await authenticate(getDb(), request);
    return null;
  } catch (e) {
    const response = errorResponse(e, requestId, MCP_PATH);
    if (response.status === 401) response.headers.set("www-authenticate", 'Bearer realm="countersign"');
    return response;
  }
}

/**
 * Streamable HTTP, stateless: a fresh server and transport per request, answered as JSON, so any
 * instance answers any request and nothing lives in one process's memory between requests.
 */
export async function handleMcpPost(request: Request): Promise<Response> {
  const requestId = crypto.randomUUID();
  const refused = await refusal(request, requestId);
  if (refused) return withRequestId(refused, requestId);
  const server = createMcpServer({ db: getDb(), request, requestId });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_BODY_BYTES });
  try {
    await server.connect(transport);
    return withRequestId(await transport.handleRequest(request), requestId);
  } catch (e) {
    return withRequestId(errorResponse(e, requestId, MCP_PATH), requestId);
  } finally {
    await server.close().catch(() => {});
  }
}

/**
 * GET (a stream of server-initiated messages) and DELETE (ending a session) mean nothing without
 * sessions: 405, as the transport spec allows, after the same key check.
 */
export async function refuseMcpMethod(request: Request): Promise<Response> {
  const requestId = crypto.randomUUID();
  const refused = await refusal(request, requestId);
  if (refused) return withRequestId(refused, requestId);
  const response = new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this MCP server is stateless; POST JSON-RPC messages." }, id: null }), {
    status: 405,
    headers: { "content-type": "application/json", allow: "POST", "cache-control": "no-store" },
  });
  return withRequestId(response, requestId);
}
