/**
 * Which imports a transpiler drops, against TypeScript's own transpileModule (the per-file view
 * esbuild and vitest share): for every TypeScript fixture file and a set of hard cases, the
 * static imports snag keeps for run time are exactly those left in tsc's output.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { extractScriptFacts } from "../src/parse/typescript/extract.js";
import { erasedImports } from "../src/parse/typescript/erasure.js";
import { FIXTURES } from "./helpers/fixtures.js";

const CASES: Record<string, string> = {
  "type positions only": 'import { A, B } from "./a";\nlet x: A;\nfunction f(b: B): A { return b as unknown as A; }\n',
  "typeof in a type": 'import { A } from "./a";\nlet x: typeof A;\n',
  "value and type": 'import { A } from "./a";\nconst y: A = new A();\n',
  "re-exported binding": 'import { A } from "./a";\nexport { A };\n',
  "inline type specifiers": 'import { type A, type B } from "./a";\nlet x: A | B;\n',
  "inline type plus a value": 'import { type A, b } from "./a";\nlet x: A = b;\n',
  "import type": 'import type { A } from "./a";\nlet x: A;\n',
  "side effect": 'import "./setup";\n',
  "namespace used in a type": 'import * as ns from "./a";\nlet x: ns.T;\n',
  "namespace used as a value": 'import * as ns from "./a";\nns.run();\n',
  "default used in a generic": 'import D from "./a";\nconst m = new Map<string, D>();\n',
  "shadowed inside a function still reads the import elsewhere": 'import { a } from "./a";\nfunction f(a: number) { return a; }\nexport const y = a;\n',
  "only shadowed": 'import { a } from "./a";\nfunction f() { const a = 1; return a; }\n',
  "shadowed by a parameter": 'import { a } from "./a";\nexport const f = (a: number) => a;\n',
  "shadowed in a block": 'import { a } from "./a";\nif (Math.random()) { let a = 2; console.log(a); }\n',
  "shadowed in a catch clause": 'import { e } from "./a";\ntry { f(); } catch (e) { console.log(e); }\n',
  "shadowed in a for loop": 'import { i } from "./a";\nfor (let i = 0; i < 2; i++) console.log(i);\n',
  "shadowed by a destructured parameter": 'import { a } from "./a";\nexport function f({ a }: { a: number }) { return a; }\n',
  "decorator": 'import { Dec } from "./a";\n@Dec\nclass C {}\nexport { C };\n',
  "implements clause": 'import { I } from "./a";\nexport class C implements I {}\n',
  "extends in an interface": 'import { I } from "./a";\nexport interface J extends I {}\n',
  "string and comment mentions": 'import { a } from "./a";\n// a is not used\nconst s = "a";\n',
  "property key": 'import { a } from "./a";\nconst o = { a: 1 };\n',
  "shorthand property": 'import { a } from "./a";\nconst o = { a };\n',
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Specifiers of the static imports tsc leaves in its JavaScript output. */
function keptByTsc(text: string, file: string): string[] {
  const js = ts.transpileModule(text, { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, jsx: ts.JsxEmit.Preserve } }).outputText;
  return [...js.matchAll(/^import\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]!);
}

function keptBySnag(text: string, file: string): string[] {
  const facts = extractScriptFacts(text, file, "typescript");
  const erased = erasedImports(facts);
  return facts.imports.filter((imp, i) => imp.kind === "import" && !erased.has(i)).map((imp) => imp.specifier);
}

describe("type erasure equals TypeScript's transpileModule", () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, () => {
      expect(keptBySnag(text, "case.ts")).toEqual(keptByTsc(text, "case.ts"));
    });
  }
  it("on every TypeScript fixture file", () => {
    const files = tsFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(keptBySnag(text, file), file).toEqual(keptByTsc(text, file));
    }
  });
});
