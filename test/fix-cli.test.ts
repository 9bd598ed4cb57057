/**
 * `snag fix` as a user meets it: nothing written without --apply, exit codes, selection flags,
 * idempotence, encodings/BOM/line endings kept, and the writes it refuses.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { main } from "../src/cli/main.js";
import { computeFixes } from "../src/fix/index.js";
import { writeChanges } from "../src/fix/write.js";
import { scan } from "../src/pipeline/scan.js";
import { copyFixture, python } from "./helpers/fixtures.js";

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** Every file's sha256, to prove what changed and what did not. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p.slice(root.length + 1), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(root);
  return out;
}

function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe("snag fix", () => {
  it("prints a diff, writes nothing, and exits 1 while fixes are pending", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    const before = snapshot(root);
    const r = await run("fix", root);
    expect(r.code).toBe(1);
    expect(r.out).toContain("diff --git a/netra_backend/app/agents/registry.py b/netra_backend/app/agents/registry.py");
    expect(r.err).toMatch(/4 fixes changing 4 files \(run with --apply/);
    expect(changed(before, snapshot(root))).toEqual([]);
  });

  it("--apply writes exactly the diffed files, and a second run has nothing to do", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    const before = snapshot(root);
    const applied = await run("fix", root, "--apply");
    expect(applied.code).toBe(0);
    expect(changed(before, snapshot(root))).toEqual([
      "netra_backend/app/agents/registry.py",
      "netra_backend/app/core/execution_engine.py",
      "pytest.ini",
      "tests/integration/test_user_isolation.py",
    ]);
    const after = snapshot(root);
    const again = await run("fix", root, "--apply");
    expect(again.code).toBe(0);
    expect(again.err).toContain("nothing to fix");
    expect(changed(after, snapshot(root))).toEqual([]);
    const check = await run("check", root);
    expect(check.code).toBe(0);
  });

  it("--rule, --only and --safe-only select fixes", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    const byRule = await run("fix", root, "--rule", "mro-conflict");
    expect([...byRule.out.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1])).toEqual(["tests/integration/test_user_isolation.py"]);
    const byFile = await run("fix", root, "--only", "pytest.ini");
    expect([...byFile.out.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1])).toEqual(["pytest.ini"]);
    const byTarget = await run("fix", root, "--only", "netra_backend.app.core.execution_engine");
    expect([...byTarget.out.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1])).toEqual(["netra_backend/app/core/execution_engine.py"]);
    const safe = await run("fix", root, "--safe-only");
    expect(safe.out).not.toContain("test_user_isolation.py");
    expect(safe.out).toContain("pytest.ini");
    const bad = await run("fix", root, "--rule", "no-such-rule");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^snag: unknown rule 'no-such-rule'/);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  it("--format json is the versioned contract, with the patch", async () => {
    const root = copyFixture("seed-renamed-exception");
    const r = await run("fix", root, "--format", "json");
    const json = JSON.parse(r.out) as { version: number; kind: string; remedies: { rule: string; fixes: { kind: string; selected: boolean }[] }[]; patch: string };
    expect(json.version).toBe(1);
    expect(json.kind).toBe("snag-fix");
    expect(json.remedies[0]!.fixes.map((f) => [f.kind, f.selected])).toEqual([
      ["rename-import", true],
      ["compat-alias", false],
    ]);
    expect(json.patch).toContain("+from engined.core.circuit_breaker import CircuitBreaker, CircuitBreakerOpenError");
  });

  it("keeps a UTF-8 BOM and CRLF line endings", async () => {
    const root = copyFixture("seed-renamed-exception");
    const file = join(root, "tests/test_integration.py");
    const text = readFileSync(file, "utf8").replace(/\n/g, "\r\n").replace("import asyncio", "import asyncio  # caf\u00e9");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]));
    expect((await run("fix", root, "--apply")).code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const after = bytes.subarray(3).toString("utf8");
    expect(after.split("\r\n").length - 1).toBe(after.split("\n").length - 1);
    expect(after).toContain("caf\u00e9");
    expect(after).toContain("pytest.raises(CircuitBreakerOpenError)");
    // pytest collects the rewritten file.
    const out = python("python3", ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], { cwd: root });
    expect(out).toContain("3 tests collected");
  });

  it("keeps a latin-1 file latin-1", async () => {
    const root = copyFixture("seed-renamed-exception");
    const file = join(root, "tests/test_integration.py");
    const text = `# -*- coding: latin-1 -*-\n# r\u00e9sum\u00e9\n${readFileSync(file, "utf8")}`;
    writeFileSync(file, Buffer.from(text, "latin1"));
    expect((await run("fix", root, "--apply")).code).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from([0xe9]))).toBe(true);
    expect(bytes.includes(Buffer.from("\u00e9", "utf8"))).toBe(false);
    expect(bytes.toString("latin1")).toContain("CircuitBreakerOpenError");
  });

  it("refuses a file that changed since the scan, and writes nothing at all", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    const scanned = await scan(root);
    const outcome = computeFixes(scanned, check(scanned));
    writeFileSync(join(root, "pytest.ini"), `${readFileSync(join(root, "pytest.ini"), "utf8")}# edited meanwhile\n`);
    const before = snapshot(root);
    const written = writeChanges(root, outcome.plan.changes);
    expect(written.refused).toEqual([{ file: "pytest.ini", reason: "it changed since snag read it" }]);
    expect(written.written).toEqual([]);
    expect(changed(before, snapshot(root))).toEqual([]);
  });

  it("refuses to write through a symbolic link", async () => {
    const root = copyFixture("seed-renamed-exception");
    const outside = realpathSync(mkdtempSync(join(tmpdir(), "snag-outside-")));
    renameSync(join(root, "tests/test_integration.py"), join(outside, "test_integration.py"));
    symlinkSync(join(outside, "test_integration.py"), join(root, "tests/test_integration.py"));
    const mtime = statSync(join(outside, "test_integration.py")).mtimeMs;
    const r = await run("fix", root, "--apply");
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused to write tests/test_integration.py: it is a symbolic link");
    expect(statSync(join(outside, "test_integration.py")).mtimeMs).toBe(mtime);
  });

  it("--bridge-warning makes bridges warn, except where pytest turns warnings into errors", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    expect((await run("fix", root, "--apply", "--bridge-warning", "--rule", "missing-module")).code).toBe(0);
    const probe = ["-W", "error::DeprecationWarning", "-c", "import netra_backend.app.core.execution_engine"];
    expect(() => python("python3", probe, { cwd: root })).toThrow(/DeprecationWarning: 'netra_backend.app.core.execution_engine' moved/);
    // The bridge still works for pytest: the warning is only a warning there.
    expect(python("python3", ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/integration/test_execution.py"], { cwd: root })).toContain("1 test collected");

    const strict = copyFixture("seed-bridge-mro-markers");
    writeFileSync(join(strict, "pytest.ini"), `${readFileSync(join(strict, "pytest.ini"), "utf8")}filterwarnings =\n    error\n`);
    const r = await run("fix", strict, "--bridge-warning", "--rule", "missing-module");
    expect(r.out).toContain("+from netra_backend.app.core.unified_execution_engine import ExecutionEngine");
    expect(r.out).not.toContain("warnings.warn");
  });
});
