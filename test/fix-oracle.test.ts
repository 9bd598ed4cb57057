/**
 * `snag fix --apply`, proven by the interpreter: for every fixture with failures, the preferred fixes
 * are written to a copy, and then real CPython and real pytest must agree that
 * - every module that imported before still imports, every test file that collected still collects;
 * - every module and test file a fixed finding blocked now imports / collects (or, for
 *   `pytest.importorskip`, is skipped), unless it now stops at a different, unfixed finding;
 * - snag's own predictions on the fixed copy still match the interpreter;
 * - a second `snag fix` finds nothing to do.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, type CheckResult } from "../src/analyze/check.js";
import { planChanges } from "../src/fix/apply.js";
import { loadDocument, type Document } from "../src/fix/document.js";
import { computeFixes, type Fix } from "../src/fix/index.js";
import { writeChanges } from "../src/fix/write.js";
import { scan } from "../src/pipeline/scan.js";
import { copyFixture, FIXTURES } from "./helpers/fixtures.js";
import { collectTruth, compareWithInterpreter, hasPython, importTruth, pythonView } from "./helpers/oracle.js";

const FIX_FIXTURES = readdirSync(FIXTURES).filter((name) => name !== "local-venv" && hasPython(join(FIXTURES, name)));

interface Truth {
  modules: Map<string, boolean>;
  /** test file → "ok" | "skipped" | "failed" */
  tests: Map<string, string>;
}

async function truthOf(root: string): Promise<{ truth: Truth; checked: CheckResult; mismatches: string[] }> {
  const scanned = await scan(root);
  const checked = pythonView(check(scanned));
  const imports = importTruth(scanned, checked.modules.map((m) => m.module));
  const collected = collectTruth(root, scanned.env.executable!);
  const byNode = new Map(collected.reports.map((r) => [r.nodeid, r.outcome]));
  const truth: Truth = {
    modules: new Map(checked.modules.map((m) => [m.module, imports[m.module]!.ok])),
    tests: new Map(checked.tests.filter((t) => t.kind === "test").map((t) => [t.file, byNode.get(t.file) === "passed" ? "ok" : (byNode.get(t.file) ?? "failed")])),
  };
  return { truth, checked, mismatches: compareWithInterpreter(scanned, checked) };
}

describe("snag fix --apply, proven by CPython and pytest", () => {
  for (const name of FIX_FIXTURES) {
    it(name, async () => {
      const root = copyFixture(name);
      const before = await scan(root);
      const checked = pythonView(check(before));
      const outcome = computeFixes(before, checked);
      if (outcome.plan.changes.length === 0) {
        // Nothing to fix must mean: no failure, or none with a sound fix.
        expect(outcome.remedies.every((r) => r.fixes.length === 0)).toBe(true);
        return;
      }
      const { truth: was } = await truthOf(root);
      const written = writeChanges(root, outcome.plan.changes);
      expect(written.refused).toEqual([]);
      const { truth: now, checked: after, mismatches } = await truthOf(root);
      expect(mismatches).toEqual([]);

      // Nothing that worked breaks.
      for (const [m, ok] of was.modules) if (ok) expect(now.modules.get(m), `module ${m}`).toBe(true);
      for (const [t, o] of was.tests) if (o === "ok") expect(now.tests.get(t), `test ${t}`).toBe("ok");

      // What a fixed finding blocked now works, unless another (unfixed) finding is in the way.
      const fixedSites = new Set<string>();
      for (const { remedy } of outcome.chosen) {
        const finding = checked.findings.find((f) => f.rule === remedy.rule && f.target === remedy.target && f.file === remedy.file && f.line === remedy.line)!;
        for (const s of finding.sites?.length ? finding.sites : [finding]) fixedSites.add(`${s.file}:${s.line}`);
      }
      const atFixedSite = (c?: { file: string; line: number }) => !!c && fixedSites.has(`${c.file}:${c.line}`);
      // A module that needs an absent package at import time stays unimportable when its tests skip.
      const skips = outcome.chosen.some((c) => c.fix.edits.some((e) => e.text.includes("pytest.importorskip(")));
      let unblocked = 0;
      for (const m of checked.modules) {
        if (m.importable || !atFixedSite(m.cause)) continue;
        const v = after.modules.find((x) => x.module === m.module);
        // A test module that now calls pytest.importorskip raises Skipped when imported on its own.
        if (v && !v.importable && v.cause?.exception === "Skipped") unblocked++;
        // A module that needs an absent package at import time stays unimportable; its tests skip.
        else if (v && !v.importable) expect(v.cause?.rule === m.cause!.rule && v.cause.target === m.cause!.target && skips, `module ${m.module}: ${v.cause?.message}`).toBe(true);
        else unblocked++;
      }
      for (const t of checked.tests) {
        if (t.kind !== "test" || t.collectable || !atFixedSite(t.cause)) continue;
        const real = now.tests.get(t.file);
        const v = after.tests.find((x) => x.file === t.file)!;
        if (real === "failed") expect(atFixedSite(v.cause), `test ${t.file} still fails at the fixed statement: ${v.cause?.message}`).toBe(false);
        else unblocked++;
      }
      if (outcome.chosen.some(({ remedy }) => checked.findings.some((f) => f.severity === "error" && f.rule === remedy.rule && f.target === remedy.target))) {
        expect(unblocked).toBeGreaterThan(0);
      }
      // What was fixed is no longer found (a skipped test file leaves its module's failure in place).
      for (const { remedy, fix } of outcome.chosen) {
        if (fix.edits.some((e) => e.text.includes("pytest.importorskip("))) continue;
        const still = after.findings.filter((f) => f.rule === remedy.rule && f.target === remedy.target && f.file === remedy.file);
        expect(still.map((f) => `${f.file}:${f.line} ${f.message}`), fix.title).toEqual([]);
      }

      // Idempotent: a second run has nothing left to do.
      const again = computeFixes(await scan(root), after);
      expect(again.plan.changes.map((c) => c.file)).toEqual([]);
    }, 120_000);
  }
});

/**
 * Each alternative fix (not the preferred one) on its own, on a fresh copy: it must unblock what its
 * finding blocked without breaking anything, as the interpreter sees it.
 */
describe("snag fix alternatives, each proven on its own", () => {
  const cases: { fixture: string; index: number; title: string }[] = [];
  for (const name of ["seed-torch-chain", "seed-bridge-mro-markers", "seed-renamed-exception"]) cases.push({ fixture: name, index: -1, title: "" });
  for (const { fixture } of cases) {
    it(fixture, async () => {
      const root0 = copyFixture(fixture);
      const scanned = await scan(root0);
      const checked = pythonView(check(scanned));
      const outcome = computeFixes(scanned, checked);
      const alternatives = outcome.remedies.flatMap((r) => r.fixes.slice(1).map((fix) => ({ r, fix })));
      expect(alternatives.length).toBeGreaterThan(0);
      const { truth: was } = await truthOf(root0);
      for (const { r, fix } of alternatives) {
        const root = copyFixture(fixture);
        const s = await scan(root);
        const again = computeFixes(s, pythonView(check(s)));
        const same = again.remedies.find((x) => x.rule === r.rule && x.target === r.target && x.file === r.file)!.fixes.find((f) => f.title === fix.title)!;
        const plan = planChanges([same], loadDocs(root, same), (file) => existsSync(join(root, file)));
        expect(writeChanges(root, plan.changes).refused).toEqual([]);
        const { truth: now, checked: after, mismatches } = await truthOf(root);
        expect(mismatches, fix.title).toEqual([]);
        for (const [m, ok] of was.modules) if (ok) expect(now.modules.get(m), `${fix.title}: module ${m}`).toBe(true);
        for (const [t, o] of was.tests) if (o === "ok") expect(now.tests.get(t), `${fix.title}: test ${t}`).toBe("ok");
        const blocked = checked.tests.filter((t) => t.kind === "test" && t.cause?.rule === r.rule && t.cause.target === r.target);
        for (const t of blocked) expect(["ok", "skipped"], `${fix.title}: ${t.file}`).toContain(now.tests.get(t.file));
        expect(after.findings.some((f) => f.rule === r.rule && f.target === r.target && f.file === r.file && fix.kind !== "importorskip"), fix.title).toBe(false);
      }
    }, 300_000);
  }
});

function loadDocs(root: string, fix: Fix): Map<string, Document> {
  const docs = new Map<string, Document>();
  for (const e of fix.edits) {
    const loaded = loadDocument(e.file, readFileSync(join(root, e.file)));
    if (loaded.ok) docs.set(e.file, loaded.doc);
  }
  return docs;
}
