import { requirePageScope } from "@/lib/auth/session";

/**
 * The pages below stream behind `loading.tsx`, and a refusal thrown inside that boundary would arrive
 * after a 200 was sent; checking here, outside it, answers 403. Each page still checks for itself:
 * layouts don't re-run on client navigation.
 */
export default async function TaskTypesLayout({ children }: { children: React.ReactNode }) {
  await requirePageScope("taskTypes.manage");
  return children;
}
