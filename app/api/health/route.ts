// GET /api/health — liveness: a constant answer that touches nothing (also the benchmark's framework ceiling)
export function GET() {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
