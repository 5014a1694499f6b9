import { signOut } from "@/lib/auth";

// GET /signed-out?reason= — ends a session the server refused (disabled or removed member) and explains why on /login.
export async function GET(request: Request) {
  const reason = new URL(request.url).searchParams.get("reason") === "disabled" ? "disabled" : "removed";
  await signOut({ redirectTo: `/login?reason=${reason}` });
}
