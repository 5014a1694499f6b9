import { handleMcpPost, refuseMcpMethod } from "@/lib/mcp/http";

export const dynamic = "force-dynamic";

// POST /api/mcp — an MCP client calls Countersign's tools (Streamable HTTP, Bearer API key)
export const POST = handleMcpPost;

// GET, DELETE /api/mcp — no server-initiated streams or sessions in stateless mode: 405 (and for PUT, PATCH)
export { refuseMcpMethod as GET, refuseMcpMethod as DELETE, refuseMcpMethod as PUT, refuseMcpMethod as PATCH };
