/**
 * snag against the compiler and the runners on every TypeScript/JavaScript fixture:
 * - its missing-module and missing-export findings (every site) are exactly tsc's TS2307 /
 *   TS2305 / TS2724 / TS2459 diagnostics, computed live by the repository's own tsc (findings
 *   about what only the runner cannot load are the runner's, below);
 * - each test file loads under the repository's own vitest exactly when snag says it is
 *   collectable, and fails with snag's message;
 * - in the cycle fixtures, whose ES module evaluation order node and vitest share, every module
 *   node can run (JavaScript, or tsc's build output) loads exactly when snag says it imports.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { computeFixes } from "../src/fix/index.js";
import { planChanges } from "../src/fix/apply.js";
import { writeChanges } from "../src/fix/write.js";
import { scan } from "../src/pipeline/scan.js";
import { FIXTURES } from "./helpers/fixtures.js";
import { materialize, nodeRun, tscBuild, tscDiagnostics, vitestRun } from "./helpers/ts-oracle.js";
import { codeOf, IMPORT_CODES, projects, subpathOf } from "./helpers/ts-compare.js";

const SCRIPT_FIXTURES = readdirSync(FIXTURES).filter((n) => n.startsWith("ts-") || n.startsWith("mixed-"));

async function snagOn(dir: string) {
  const scanned = await scan(dir, { noEnv: true, jobs: 1 });
  return { scanned, result: check(scanned) };
}

describe("TypeScript/JavaScript: snag equals tsc and node", () => {
  it("has script fixtures to compare", () => {
    expect(SCRIPT_FIXTURES.length).toBeGreaterThanOrEqual(10);
  });

  for (const fixture of SCRIPT_FIXTURES) {
    describe(fixture, () => {
      it("reports exactly tsc's unresolved imports and missing exports", async () => {
        const dir = materialize(fixture);
        const tsc = projects(dir)
          .flatMap((p) => tscDiagnostics(dir, p))
          .filter((d) => IMPORT_CODES.has(d.code))
          .map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`);
        const { result } = await snagOn(dir);
        const mine = result.findings
          .filter((f) => f.language !== undefined && f.language !== "python" && (f.rule === "missing-module" || f.rule === "missing-export") && f.classification !== "runtime-only")
          .flatMap((f) => (f.sites ?? [{ file: f.file, line: f.line, column: f.column }]).map((s) => `${s.file}:${s.line}:${s.column} TS${codeOf(f.rule, f.message)}`));
        expect([...new Set(mine)].sort()).toEqual([...new Set(tsc)].sort());
      });

      it("says a test file fails to load exactly when vitest fails to load it", async () => {
        const dir = materialize(fixture);
        const { result } = await snagOn(dir);
        const mine = result.tests.filter((t) => t.language === "typescript" || t.language === "javascript");
        const real = vitestRun(dir);
        expect(real.length).toBeGreaterThan(0);
        expect(mine.map((t) => ({ file: t.file, loads: t.collectable }))).toEqual(real.map((r) => ({ file: r.file, loads: r.loaded })));
        for (const t of mine) {
          if (t.collectable) continue;
          const r = real.find((x) => x.file === t.file)!;
          // vitest prints the runtime error; for an unresolved package or an unexported subpath, the resolver's.
          if (t.cause!.rule !== "missing-module") expect(r.message, t.file).toContain(t.cause!.message);
          else expect([t.cause!.target, subpathOf(t.cause!.target)].some((s) => r.message.includes(s)), `${t.file}: ${r.message}`).toBe(true);
        }
      }, 180_000);

      if (fixture.includes("cycle")) it("says a module fails to load exactly when node fails to load it", async () => {
        const dir = materialize(fixture);
        const { result } = await snagOn(dir);
        const scripts = result.modules.filter((m) => m.language === "javascript" || m.language === "typescript");
        expect(scripts.length).toBeGreaterThan(0);
        // TypeScript runs through tsc's own output when the project builds to an outDir.
        const built = new Map<string, string>();
        for (const p of projects(dir)) {
          const config = JSON.parse(readFileSync(join(dir, p), "utf8")) as { compilerOptions?: { outDir?: string; rootDir?: string } };
          const outDir = config.compilerOptions?.outDir;
          if (!outDir) continue;
          expect(tscBuild(dir, p)).toEqual([]);
          const base = p.includes("/") ? p.slice(0, p.lastIndexOf("/") + 1) : "";
          const rootDir = config.compilerOptions?.rootDir ?? "src";
          for (const m of scripts) {
            if (m.language !== "typescript" || !m.file.startsWith(`${base}${rootDir}/`)) continue;
            built.set(m.file, `${base}${outDir}/${m.file.slice(base.length + rootDir.length + 1).replace(/\.([cm]?)tsx?$/, ".$1js")}`);
          }
        }
        let compared = 0;
        for (const m of scripts) {
          const entry = m.language === "javascript" ? m.file : built.get(m.file);
          if (!entry || !existsSync(join(dir, entry))) continue;
          const run = nodeRun(dir, entry);
          compared++;
          expect({ file: m.file, importable: m.importable }, `${entry}: ${run.errorName ?? ""} ${run.message ?? ""}`).toEqual({ file: m.file, importable: run.ok });
          if (!run.ok && m.cause) expect(run.errorName, m.file).toBe(m.cause.exception === "Error" ? "Error" : m.cause.exception);
        }
        expect(compared).toBeGreaterThan(0);
      });

      for (const safeOnly of [true, false]) {
      it(`every ${safeOnly ? "safe" : "preferred"} fix it applies is proven by tsc: the fixed diagnostics go, ${safeOnly ? "none appears" : "only type errors for a person to review appear, where it edited"}, a second run has nothing to do`, async () => {
        const dir = materialize(fixture);
        const diags = () => projects(dir).flatMap((p) => tscDiagnostics(dir, p)).map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}`);
        const before = diags();
        const { scanned, result } = await snagOn(dir);
        const scripts = { ...result, findings: result.findings.filter((f) => f.language === "typescript" || f.language === "javascript") };
        const outcome = computeFixes(scanned, scripts, { safeOnly });
        if (outcome.chosen.length === 0) return;
        expect(writeChanges(dir, outcome.plan.changes).refused).toEqual([]);
        const after = diags();
        // Fixes edit names and strings in place or append at the end: no diagnostic moves.
        const edited = new Set(outcome.chosen.flatMap(({ fix }) => (fix.safety === "review" ? fix.edits.map((e) => e.file) : [])));
        const fresh = after.filter((d) => !before.includes(d));
        // A reviewed rename may meet another signature: a type error (never an import error) where it edited.
        expect(fresh.filter((d) => !(edited.has(d.split(":")[0]!) && !/TS(2307|2305|2724|2459)$/.test(d))), "new tsc diagnostics").toEqual([]);
        for (const { remedy, fix } of outcome.chosen) {
          const finding = scripts.findings.find((f) => f.rule === remedy.rule && f.target === remedy.target && f.file === remedy.file && f.line === remedy.line)!;
          for (const s of finding.sites ?? [finding]) expect(after.filter((d) => d.startsWith(`${s.file}:${s.line}:${s.column} `)), fix.title).toEqual([]);
        }
        const again = await snagOn(dir);
        const left = { ...again.result, findings: again.result.findings.filter((f) => f.language === "typescript" || f.language === "javascript") };
        expect(computeFixes(again.scanned, left, { safeOnly }).plan.changes.map((c) => c.file)).toEqual([]);
      });
      }
    });
  }
});
