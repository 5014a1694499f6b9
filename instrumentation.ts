export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` may load this module to collect page data; the database is for the running server.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/config/env");
  const settings = env();
  const port = process.env.PORT ?? "3000";
  const { startBackgroundWork } = await import("@/lib/jobs/worker");
  if (settings.DATABASE_URL) {
    startBackgroundWork();
    console.log(`Countersign on PostgreSQL — http://localhost:${port} (run \`npm run db:migrate\` and \`npm run db:seed\` once).`);
    return;
  }
  const { bootstrapEmbedded } = await import("./db/bootstrap");
  const { seeded } = await bootstrapEmbedded();
  startBackgroundWork();
  console.log(
    [
      "",
      `Countersign is ready at http://localhost:${port}`,
      `  Embedded database: ${settings.PGLITE_DIR}${seeded ? " (created and seeded with the demo organization)" : ""}`,
      "  Demo logins (password: countersign) — demo data only:",
      "    admin@acme.test      → Admin",
      "    manager@acme.test    → Analytics",
      "    reviewer@acme.test   → Queue",
      `  Agent API: http://localhost:${port}/docs/api (demo key in the README)`,
      "",
    ].join("\n"),
  );
}
