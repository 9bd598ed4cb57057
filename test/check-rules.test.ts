/**
 * What `snag check` says about each root cause: rule, grouping, blast radius, classification and
 * suggestion, warnings, exit codes and the JSON contract. Whether each verdict is *right* is the
 * differential oracle's job (check-oracle.test.ts); this file pins down how snag explains it.
 */
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { main } from "../src/cli/main.js";
import { scan } from "../src/pipeline/scan.js";
import { copyFixture } from "./helpers/fixtures.js";

async function run(name: string) {
  const root = copyFixture(name);
  const result = await scan(root);
  return { root, result, checked: check(result) };
}

async function cli(args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out: out.replace(/\x1b\[[0-9;]*m/g, ""), err };
}

const checked_seed_torch_chain = (await run("seed-torch-chain")).checked;

describe("seed 000: torch behind a package __init__", () => {
  const checked = checked_seed_torch_chain;
  const torch = checked.findings.find((f) => f.rule === "missing-module")!;

  it("is one root cause that blocks both test files, with the whole chain", () => {
    expect(torch.target).toBe("torch");
    expect(torch.classification).toBe("declared-not-installed");
    expect(torch.blastRadius.tests).toBe(2);
    expect(torch.chain!.map((h) => `${h.file}:${h.line}`)).toEqual([
      "tests/test_metrics_integration.py:1",
      "utils/__init__.py:14",
      "utils/adapters/model_adapter.py:14",
    ]);
    expect(torch.suggestion).toMatch(/declared \(pyproject\.toml:\d+\) but not installed/);
  });

  it("warns that torch is a heavy module-level import tests pay for", () => {
    const heavy = checked.findings.find((f) => f.rule === "heavy-import")!;
    expect(heavy).toMatchObject({ severity: "warning", file: "utils/adapters/model_adapter.py", line: 14, target: "torch" });
    expect(heavy.blastRadius.tests).toBe(2);
  });

  it("does not blame the guarded wandb import", () => {
    expect(checked.findings.some((f) => f.target === "wandb")).toBe(false);
  });
});

const checked_src_layout = (await run("src-layout")).checked;

describe("seed 001: src. prefix under pythonpath = [\"src\"], classes the tests expect", () => {
  const checked = checked_src_layout;
  it("says which spelling works", () => {
    const src = checked.findings.find((f) => f.rule === "missing-module" && f.target === "src")!;
    expect(src.classification).toBe("wrong-root");
    expect(src.suggestion).toContain("write 'integration' instead of 'src.integration'");
    expect(src.sites!.length).toBe(2);
  });
  it("says plainly when an expected class exists nowhere", () => {
    const missing = checked.findings.find((f) => f.rule === "missing-symbol" && f.target === "EvolutionTrialCoordinator")!;
    expect(missing.classification).toBe("undefined");
    expect(missing.suggestion).toContain("defined nowhere in the repository");
  });
});

const checked_seed_bridge_mro_markers = (await run("seed-bridge-mro-markers")).checked;

describe("seed 002: bridges, wrong import paths in many files, MRO, markers", () => {
  const checked = checked_seed_bridge_mro_markers;
  it("groups the wrong import path used in several files into one root cause", () => {
    const registry = checked.findings.find((f) => f.target === "netra_backend.app.agents.registry")!;
    expect(registry.blastRadius.tests).toBe(3);
    expect(registry.sites!.map((s) => s.file)).toEqual([
      "tests/integration/test_registry_1.py",
      "tests/integration/test_registry_2.py",
      "tests/integration/test_registry_3.py",
    ]);
    expect(registry.classification).toBe("moved");
    expect(registry.suggestion).toContain("netra_backend.app.agents.supervisor.agent_registry");
  });
  it("points the missing module at the class's real home", () => {
    const engine = checked.findings.find((f) => f.target === "netra_backend.app.core.execution_engine")!;
    expect(engine.suggestion).toContain("netra_backend.app.core.unified_execution_engine");
  });
  it("finds the diamond MRO conflict and the unregistered marker", () => {
    expect(checked.findings.find((f) => f.rule === "mro-conflict")).toMatchObject({ target: "TestUserIsolation", line: 6 });
    expect(checked.findings.find((f) => f.rule === "unknown-marker" && f.severity === "error")).toMatchObject({ target: "high_load", line: 8 });
  });
});

const checked_seed_renamed_exception = (await run("seed-renamed-exception")).checked;

describe("seed 003: a renamed exception still imported by its old name", () => {
  const checked = checked_seed_renamed_exception;
  it("suggests the new name with tsc's spelling rule", () => {
    const f = checked.findings.find((x) => x.rule === "missing-symbol")!;
    expect(f).toMatchObject({ target: "CircuitBreakerError", file: "tests/test_integration.py", line: 5 });
    expect(f.suggestion).toContain("Did you mean 'CircuitBreakerOpenError'?");
    expect(f.blastRadius.tests).toBe(1);
  });
  it("leaves the healthy test file alone", () => {
    expect(checked.tests.find((t) => t.file === "tests/test_health.py")!.collectable).toBe(true);
  });
});

const checked_precision_collision = (await run("precision-collision")).checked;

describe("test module collisions", () => {
  const checked = checked_precision_collision;
  it("fails the second same-named test file in collection order only", () => {
    expect(checked.tests.find((t) => t.file === "tests/integration/test_utils.py")!.collectable).toBe(true);
    expect(checked.tests.find((t) => t.file === "tests/unit/test_utils.py")!.cause!.rule).toBe("test-module-collision");
    expect(checked.tests.filter((t) => t.file.startsWith("pkgtests/")).every((t) => t.collectable)).toBe(true);
  });
});

describe("snag check on the command line", () => {
  it("exits 1 on errors, 0 with --fail-on none, and prints the summary line", async () => {
    const root = copyFixture("seed-torch-chain");
    const failing = await cli(["check", root]);
    expect(failing.code).toBe(1);
    expect(failing.out).toContain("1 root cause blocks 2 of 2 test files");
    expect(failing.out).toContain("tests/test_metrics_integration.py:1 → utils/__init__.py:14 → utils/adapters/model_adapter.py:14 → torch");
    expect((await cli(["check", root, "--fail-on", "none"])).code).toBe(0);
  });

  it("exits 0 on a clean repository and says so", async () => {
    const root = copyFixture("seed-clean-suite");
    const { code, out } = await cli(["check", root]);
    expect(out).toContain("2 test files and 4 modules import cleanly");
    expect(code).toBe(0);
  });

  it("emits the versioned JSON contract, byte-identical across runs", async () => {
    const root = copyFixture("seed-torch-chain");
    const a = await cli(["check", root, "--format", "json"]);
    const b = await cli(["check", root, "--format", "json"]);
    expect(a.out).toBe(b.out);
    const json = JSON.parse(a.out);
    expect(json).toMatchObject({ version: 1, kind: "snag-check", summary: { testFiles: 2, blocked: 2, rootCauses: 1 } });
    const mod = json.modules.find((m: { module: string }) => m.module === "utils");
    expect(mod).toMatchObject({ language: "python", file: "utils/__init__.py", importable: false, cause: { rule: "missing-module", target: "torch", file: "utils/adapters/model_adapter.py", line: 14 } });
    expect(mod.chain).toEqual([
      { module: "utils", file: "utils/__init__.py", line: 14 },
      { module: "utils.adapters.model_adapter", file: "utils/adapters/model_adapter.py", line: 14 },
    ]);
    expect(json.tests.every((t: { collectable: boolean }) => t.collectable === false)).toBe(true);
    expect(json.findings[0]).toMatchObject({ rule: "missing-module", severity: "error", blastRadius: { tests: 2 } });
  });
});

describe("heavy imports by installed size", () => {
  it("flags a module-level import of any distribution over 50 MiB that tests reach", async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const base = await scan(copyFixture("seed-clean-suite"));
    const big = base.resolved.distributions.all.find((d) => d.size >= 50 * 1024 * 1024 && d.topLevel.length > 0 && /^[a-z_]+$/.test(d.topLevel[0]!));
    if (!big) return; // no large distribution installed here: nothing to flag
    const name = big.topLevel[0]!;
    const root = mkdtempSync(join(tmpdir(), "snag-heavy-"));
    mkdirSync(join(root, "tests"));
    writeFileSync(join(root, "analysis.py"), `import ${name}\n`);
    writeFileSync(join(root, "tests", "test_analysis.py"), "import analysis\n");
    writeFileSync(join(root, "pytest.ini"), "[pytest]\npythonpath = .\n");
    const checked = check(await scan(root));
    expect(checked.findings.find((f) => f.rule === "heavy-import")).toMatchObject({ file: "analysis.py", line: 1, target: name, blastRadius: { tests: 1 } });
  });
});
