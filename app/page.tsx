import { redirect } from "next/navigation";
import { homePathFor } from "@/lib/security/permissions";
import { requirePageScope } from "@/lib/auth/session";

// "/" sends each role to the area it works in.
export default async function Home() {
  const scope = await requirePageScope();
  redirect(homePathFor(scope.role));
}
