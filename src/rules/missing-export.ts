import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "missing-export",
  summary: "TypeScript/JavaScript: `import { name } from \"m\"` where m does not export name (TS2305 / TS2724 / TS2459).",
  severity: "error",
  docs: {
    what:
      "A named import or re-export of a name the target module does not export, followed through `export { x } from`, `export { x }` of an import and `export *` chains, types and values alike, as tsc checks it. The did-you-mean uses tsc's own spelling-suggestion limits, so the suggestion is the one tsc prints. Modules whose exports are only known at run time (CommonJS, `export =`, ambient `declare module`) are never judged.",
    why: "tsc fails the type check. Under vitest the name reads as `undefined`: a module that calls, constructs, extends or dereferences it while it loads throws a TypeError, and every test file reaching it fails to load (snag says which); native Node ESM refuses to link the importer at all.",
    example: "import { fetchUser } from \"./user\";   // user.ts exports fetchUsers now",
    fix: "Import the name it was renamed to (snag shows tsc's suggestion), or export the name again from the module.",
  },
  fixes: ["rename-import", "compat-alias", "export-name"],
};
