/**
 * Patterns met when snag was first run on real packages it had never seen (zod, @trpc/server,
 * @tanstack/query-core, @tanstack/router-core, @tanstack/react-query, effect), each reduced to a
 * few files. For every one, snag's import findings equal tsc's, site for site, computed live;
 * where snag knowingly says less than tsc (an ambient module's own exports, `export =` members),
 * it must never say more.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { codeOf, IMPORT_CODES } from "./helpers/ts-compare.js";
import { tscDiagnostics } from "./helpers/ts-oracle.js";

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: false, noEmit: true, skipLibCheck: true, types: [], module: "esnext", moduleResolution: "bundler", target: "es2022", lib: ["es2023", "dom"] },
  include: ["src"],
});

interface Case {
  files: Record<string, string>;
  /** snag knowingly reports a subset of tsc here (and says why in the README's known limits). */
  subset?: boolean;
  /** What tsc reports, so the case cannot silently become trivial. */
  tscCount: number;
}

const CASES: Record<string, Case> = {
  "@ts-ignore and @ts-expect-error silence the next line (zod's tests)": {
    files: { "src/a.ts": '// @ts-ignore\nimport { x } from "not-installed-pkg";\n// @ts-expect-error\n\nimport { y } from "./does-not-exist";\nimport { z } from "./also-missing";\nconsole.log(x, y, z);\n' },
    tscCount: 1,
  },
  "@ts-nocheck turns every check off": {
    files: { "src/a.ts": '// @ts-nocheck\nimport { x } from "./nowhere";\nexport const a = x;\n', "src/b.ts": 'import { q } from "./nowhere";\nexport const b = q;\n' },
    tscCount: 1,
  },
  "Node builtins need @types/node, which types: [] leaves out (trpc, zod)": {
    files: { "src/a.ts": 'import { readFileSync } from "node:fs";\nimport * as http from "http";\nimport type { Readable } from "node:stream/web";\nexport const f = (p: string) => readFileSync(p, "utf8") + String(http);\nexport type R = Readable;\n' },
    tscCount: 3,
  },
  "declare module in a module augments; it does not declare (router-core)": {
    files: {
      "src/aug.ts": 'import type { Thing } from "not-installed-pkg";\n\ndeclare module "not-installed-pkg" {\n  interface Thing { extra?: string }\n}\nexport type T = Thing;\n',
      "src/use.ts": 'import { makeThing } from "not-installed-pkg";\nexport const t = makeThing();\n',
    },
    tscCount: 2,
  },
  "a tsconfig whose extends is missing still resolves (effect's ai-docs)": {
    files: {
      "tsconfig.json": JSON.stringify({ extends: "./tsconfig.base.json", compilerOptions: { noEmit: true, types: [], module: "esnext", moduleResolution: "bundler" }, include: ["src"] }),
      "src/a.ts": 'import { b } from "./b";\nimport { c } from "./c";\nexport const a = [b, c];\n',
      "src/b.ts": "export const b = 1;\n",
    },
    tscCount: 1,
  },
  "variance annotations tree-sitter cannot parse (effect)": {
    files: { "src/lib.ts": "export interface Box<in out T> { value: T }\nexport const later = 1;\n", "src/use.ts": 'import { later, notThere } from "./lib";\nimport { gone } from "./gone";\nexport const u = [later, notThere, gone];\n' },
    subset: true,
    tscCount: 2,
  },
  "generic call signature on its own line (effect)": {
    files: { "src/lib.ts": "export type Dual = {\n  (n: number): string\n  <A>(a: A): A\n};\nexport const later = 1;\n", "src/use.ts": 'import { later } from "./lib";\nimport { gone } from "./gone";\nexport const u = [later, gone];\n' },
    tscCount: 1,
  },
  "tagged template with type arguments (effect)": {
    files: { "src/lib.ts": 'declare const sql: <T>(s: TemplateStringsArray) => T;\nexport const rows = sql<{ id: number }>`SELECT 1`;\nexport const later = 1;\n', "src/use.ts": 'import { later } from "./lib";\nexport const u = [later];\n' },
    tscCount: 0,
  },
  "ambient modules in a .d.ts, exact and wildcard (vite-env.d.ts)": {
    files: {
      "src/env.d.ts": 'declare module "virtual:config" { export const v: number }\ndeclare module "*.svg" { const s: string; export default s }\n',
      "src/a.ts": 'import { v, w } from "virtual:config";\nimport logo from "./logo.svg";\nimport other from "./other.png";\nexport const x = [v, w, logo, other];\n',
    },
    subset: true,
    tscCount: 2,
  },
  "wildcard declare module in a script .ts": {
    files: { "src/env.ts": 'declare module "*.svg" { const s: string; export default s }\ndeclare module "virtual:*" { const s: string; export default s }\n', "src/a.ts": 'import logo from "./logo.svg";\nimport cfg from "virtual:cfg";\nexport const x = [logo, cfg];\n' },
    tscCount: 0,
  },
  "export = members are not judged": {
    files: { "src/b.ts": "declare const v: { a: number };\nexport = v;\n", "src/a.ts": 'import { a, zz } from "./b";\nexport const x = [a, zz];\n' },
    subset: true,
    tscCount: 1,
  },
  "a default export turns TS2305 into TS2614": {
    files: { "src/b.ts": "const q = 1;\nexport default q;\nexport const a = 2;\n", "src/a.ts": 'import q, { a, R } from "./b";\nexport const x = [q, a, R];\n' },
    tscCount: 1,
  },
  "node16/nodenext ES modules name the file they import (TS2835, TS2834)": {
    files: {
      "package.json": '{ "name": "esm", "private": true, "type": "module" }\n',
      "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "nodenext", types: [] }, include: ["src"] }),
      "src/math.ts": "export const two = 2;\n",
      "src/dir/index.ts": "export const d = 1;\n",
      "src/legacy.cts": 'import m = require("./math");\nexport const x = m;\n',
      "src/a.ts": 'import { two } from "./math";\nimport { d } from "./dir";\nimport { two as again } from "./math.js";\nexport const y = [two, d, again, import("./math")];\n',
    },
    tscCount: 3,
  },
  "a local exported under another name is TS2460": {
    files: { "src/b.ts": "const inner = 1;\nexport { inner as outer };\n", "src/a.ts": 'import { inner } from "./b";\nexport const x = inner;\n' },
    tscCount: 1,
  },
  "TS2459 for a local that is not exported, imports included": {
    files: { "src/c.ts": "export const c = 1;\n", "src/b.ts": 'import { c } from "./c";\nconst own = c;\nexport const b = own;\n', "src/a.ts": 'import { own, c } from "./b";\nexport const x = [own, c];\n' },
    tscCount: 2,
  },
};

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "snag-ts-unseen-"));
  const all = { "package.json": '{ "name": "unseen", "private": true, "type": "module" }\n', "tsconfig.json": TSCONFIG, ...files };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe("patterns from packages snag had never seen, against tsc", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const dir = repo(c.files);
      const tsc = tscDiagnostics(dir)
        .filter((d) => IMPORT_CODES.has(d.code))
        .map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`)
        .sort();
      expect(tsc.length, tsc.join("\n")).toBe(c.tscCount);
      const result = check(await scan(dir, { noEnv: true, jobs: 1 }));
      const mine = result.findings
        .filter((f) => (f.rule === "missing-module" || f.rule === "missing-export") && f.classification !== "runtime-only")
        .flatMap((f) => (f.sites ?? [f]).map((s) => `${s.file}:${s.line}:${s.column} TS${codeOf(f.rule, f.message)}`))
        .sort();
      if (c.subset) expect(mine.filter((m) => !tsc.includes(m))).toEqual([]);
      else expect(mine).toEqual(tsc);
      // A file tsc parses is never a syntax error.
      expect(result.findings.filter((f) => f.rule === "syntax-error")).toEqual([]);
    });
  }
});
