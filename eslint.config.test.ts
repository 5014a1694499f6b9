import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The import layering (README, "Folders") is enforced by `no-restricted-imports` in eslint.config.mjs.
 * These lint snippets with the repository's own config, so a config change that stops the rule from
 * firing fails here rather than letting a cycle back in unnoticed.
 */
const root = import.meta.dirname;
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import layering", { timeout: 60_000 }, () => {
  it("refuses a side-effecting lib module in db/, values and types alike", async () => {
    const value = await restrictedImports("db/queries/x.ts", `import { announceQueueChange } from "@/lib/api/handler";\nexport const a = announceQueueChange;\n`);
    expect(value).toHaveLength(1);
    expect(value[0]).toMatch(/db\/ imports only pure lib\/ folders/);
    const type = await restrictedImports("db/queries/x.ts", `import type { ReviewEvent } from "@/lib/notifications/review-events";\nexport type A = ReviewEvent;\n`);
    expect(type).toHaveLength(1);
    expect(await restrictedImports("db/x.ts", `import { subscribeToReview } from "../lib/notifications/review-events";\nexport const a = subscribeToReview;\n`)).toHaveLength(1);
  });

  it("lets db/ import pure lib folders", async () => {
    expect(await restrictedImports("db/queries/x.ts", `import { AppError } from "@/lib/errors";\nimport { can } from "@/lib/security/permissions";\nexport const a = [AppError, can];\n`)).toEqual([]);
  });

  it("refuses db/ in components/", async () => {
    const found = await restrictedImports("components/x.tsx", `import { getDb } from "@/db/client";\nexport const a = getDb;\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/components\/ never imports db\//);
    expect(await restrictedImports("components/x.tsx", `import type { Scope } from "@/db/scope";\nexport type A = Scope;\n`)).toHaveLength(1);
    expect(await restrictedImports("components/x.tsx", `import { decideAction } from "@/lib/actions/queue";\nexport const a = decideAction;\n`)).toEqual([]);
  });

  it("keeps pure lib folders free of db/, Next and side-effecting lib", async () => {
    expect(await restrictedImports("lib/views/x.ts", `import type { TaskType } from "@/db/schema";\nexport type A = TaskType;\n`)).toHaveLength(1);
    expect(await restrictedImports("lib/policy/x.ts", `import { revalidatePath } from "next/cache";\nexport const a = revalidatePath;\n`)).toHaveLength(1);
    expect(await restrictedImports("lib/readiness/x.ts", `import { authorize } from "@/lib/api/handler";\nexport const a = authorize;\n`)).toHaveLength(1);
    expect(await restrictedImports("lib/api/x.ts", `import { getDb } from "@/db/client";\nexport const a = getDb;\n`)).toEqual([]);
  });

  it("classifies every folder of lib/ as pure or side-effecting, and checks each accordingly", async () => {
    const configUrl = pathToFileURL(path.join(root, "eslint.config.mjs")).href;
    const { pureLibFolders, sideEffectingLibFolders } = (await import(/* @vite-ignore */ configUrl)) as { pureLibFolders: string[]; sideEffectingLibFolders: string[] };
    const folders = readdirSync(path.join(root, "lib"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual([...pureLibFolders, ...sideEffectingLibFolders].sort());
    for (const folder of folders) {
      const pure = pureLibFolders.includes(folder);
      const dbFromLib = await restrictedImports(`lib/${folder}/x.ts`, `import { getDb } from "@/db/client";\nexport const a = getDb;\n`);
      const libFromDb = await restrictedImports("db/queries/x.ts", `import { a } from "@/lib/${folder}/x";\nexport const b = a;\n`);
      expect({ folder, dbFromLib: dbFromLib.length, libFromDb: libFromDb.length }).toEqual({ folder, dbFromLib: pure ? 1 : 0, libFromDb: pure ? 0 : 1 });
    }
  });
});
