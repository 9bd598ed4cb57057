/**
 * Packages from a TypeScript project's point of view: what the nearest package.json declares, and
 * what the runner can load that tsc cannot (and the reverse). The runner's verdict is checked
 * against the real vitest; the declared set against the manifest as npm reads it.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { vitestRun } from "./helpers/ts-oracle.js";

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "snag-ts-pkg-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", types: [] } });
const pkg = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, version: "1.0.0", type: "module", ...extra });

describe("packages a TypeScript module imports", () => {
  it("warns about an installed package the nearest package.json does not declare, and not about declared ones", async () => {
    const dir = repo({
      "package.json": pkg("app", { dependencies: { declared: "1.0.0" }, devDependencies: { "@types/typed": "1.0.0" } }),
      "tsconfig.json": TSCONFIG,
      "node_modules/declared/package.json": pkg("declared", { exports: "./index.js" }),
      "node_modules/declared/index.js": "export const d = 1;\n",
      "node_modules/hoisted/package.json": pkg("hoisted", { exports: "./index.js" }),
      "node_modules/hoisted/index.js": "export const h = 1;\n",
      "src/use.ts": 'import { d } from "declared";\nimport { h } from "hoisted";\nexport const x = [d, h];\n',
      "src/use.test.ts": 'import { x } from "./use";\nif (x.length !== 2) throw new Error("broken");\n',
    });
    const result = check(await scan(dir, { noEnv: true, jobs: 1 }));
    const undeclared = result.findings.filter((f) => f.rule === "undeclared-dependency");
    expect(undeclared.map((f) => [f.target, f.file, f.line, f.severity])).toEqual([["hoisted", "src/use.ts", 2, "warning"]]);
    // An undeclared package still loads: the test file is collectable, as vitest agrees.
    expect(result.tests.map((t) => [t.file, t.collectable])).toEqual([["src/use.test.ts", true]]);
    expect(vitestRun(dir).map((r) => [r.file, r.loaded])).toEqual([["src/use.test.ts", true]]);
  }, 120_000);

  it("judges a package that only offers types as a run-time failure, as vitest does", async () => {
    const dir = repo({
      "package.json": pkg("app", { dependencies: { typesonly: "1.0.0" } }),
      "tsconfig.json": TSCONFIG,
      "node_modules/typesonly/package.json": pkg("typesonly", { exports: { ".": { types: "./index.d.ts" } } }),
      "node_modules/typesonly/index.d.ts": "export declare const t: number;\n",
      "src/a.ts": 'import { t } from "typesonly";\nexport const y = t;\n',
      "src/a.test.ts": 'import { y } from "./a";\nif (y === undefined) throw new Error("unreachable");\n',
    });
    const result = check(await scan(dir, { noEnv: true, jobs: 1 }));
    const f = result.findings.find((x) => x.rule === "missing-module");
    expect(f).toMatchObject({ target: "typesonly", classification: "runtime-only", file: "src/a.ts", line: 1 });
    const real = vitestRun(dir);
    expect(result.tests.map((t) => [t.file, t.collectable])).toEqual(real.map((r) => [r.file, r.loaded]));
    expect(real[0]!.loaded).toBe(false);
  }, 120_000);

  it("counts the test files that load a heavy package, as loading them under vitest does", async () => {
    // The package leaves a mark when it is loaded: the runner's own account of who pays for it.
    const heavy = (name: string) => ({
      [`node_modules/${name}/package.json`]: pkg(name, { exports: "./index.js" }),
      [`node_modules/${name}/index.js`]: `import { writeFileSync } from "node:fs";\nwriteFileSync(new URL("./loaded", import.meta.url), "");\nexport const launch = () => 1;\n`,
    });
    const dir = repo({
      "package.json": pkg("app", { dependencies: { puppeteer: "1.0.0", playwright: "1.0.0", typescript: "1.0.0" } }),
      "tsconfig.json": TSCONFIG,
      ...heavy("puppeteer"),
      ...heavy("playwright"),
      ...heavy("typescript"),
      "src/browser.ts": 'import { launch } from "puppeteer";\nexport const open = () => launch();\n',
      "src/lazy.ts": 'export async function open() {\n  const { launch } = await import("playwright");\n  return launch();\n}\n',
      "src/types-only.ts": 'import type { launch } from "typescript";\nexport type L = typeof launch;\n',
      "src/a.test.ts": 'import { open } from "./browser";\nimport { open as later } from "./lazy";\nimport type { L } from "./types-only";\nexport const x: [unknown, unknown, L | undefined] = [open, later, undefined];\n',
      "src/b.test.ts": 'import { open } from "./browser";\nexport const y = open;\n',
    });
    const result = check(await scan(dir, { noEnv: true, jobs: 1 }));
    const found = result.findings.filter((f) => f.rule === "heavy-import").map((f) => [f.target, f.file, f.blastRadius.tests]);
    expect(found).toEqual([["puppeteer", "src/browser.ts", 2]]);
    expect(vitestRun(dir).every((r) => r.loaded)).toBe(true);
    const loaded = ["puppeteer", "playwright", "typescript"].filter((n) => existsSync(join(dir, "node_modules", n, "loaded")));
    expect(loaded).toEqual(found.map((f) => f[0]));
  }, 120_000);

  it("goes on through a broken tsconfig.json and package.json, a binary script and a syntax error, saying each", async () => {
    const dir = repo({
      "tsconfig.json": '{ "compilerOptions": { "paths": ',
      "package.json": '{ "name": "x", ',
      "src/a.ts": 'import { b } from "./b";\nexport const x = b;\n',
      "src/b.ts": "export const b = 1;\n",
      "src/bin.ts": "\u0000\u0001binary",
      "src/syn.ts": "export const = ;\n",
    });
    const scanned = await scan(dir, { noEnv: true, jobs: 1 });
    const result = check(scanned);
    expect(scanned.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ["config-error", "."],
      ["config-error", "package.json"],
      ["binary-file", "src/bin.ts"],
      ["parse-error", "src/syn.ts"],
    ]);
    expect(scanned.diagnostics[0]!.message).toMatch(/tsconfig\.json/);
    // tsc reads a broken package.json as empty and resolves './b'; the runner refuses to load through it.
    const imports = result.findings.filter((f) => f.rule === "missing-module");
    expect(imports.map((f) => [f.target, f.classification])).toEqual([["./b", "runtime-only"]]);
    expect(result.findings.filter((f) => f.rule === "syntax-error").map((f) => f.file)).toEqual(["src/bin.ts", "src/syn.ts"]);
  }, 120_000);
});
