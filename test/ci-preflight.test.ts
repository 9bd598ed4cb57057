/**
 * `snag check` as a CI preflight: baselines written and honoured from the command line and the
 * configuration, `fail-on` from the configuration with the flag winning, and the pull-request
 * summary that always fits in a comment.
 */
import { appendFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../src/analyze/check.js";
import type { Finding, TestVerdict } from "../src/analyze/model.js";
import { main } from "../src/cli/main.js";
import type { FixOutcome } from "../src/fix/index.js";
import { checkToMarkdownSummary, SUMMARY_BUDGET, SUMMARY_MARKER } from "../src/report/markdown-summary.js";
import { FIXTURES, copyFixtureInto } from "./helpers/fixtures.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `snag-ci-${name}-`)));
  dirs.push(dir);
  copyFixtureInto(name, dir);
  return dir;
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

interface Json {
  summary: { rootCauses: number; blocked: number; baselined?: number };
  findings: { rule: string; file: string; target: string }[];
}

describe("baselines from the command line", () => {
  it("round trip: known problems pass, a new one fails alone, line moves do not matter", async () => {
    const root = copy("seed-bridge-mro-markers");
    const baseline = join(root, "snag-baseline.json");
    const before = JSON.parse((await run("check", root, "--format", "json", "--fail-on", "none")).out) as Json;
    expect(before.findings.length).toBeGreaterThan(0);

    const written = await run("check", root, "--write-baseline", baseline);
    expect(written.code).toBe(0);
    expect(written.err).toContain(`wrote ${before.findings.length} findings`);
    const file = JSON.parse(readFileSync(baseline, "utf8")) as { kind: string; findings: unknown[] };
    expect(file.kind).toBe("snag-baseline");

    const known = await run("check", root, "--baseline", baseline, "--format", "json");
    expect(known.code).toBe(0);
    const k = JSON.parse(known.out) as Json;
    expect(k.findings).toEqual([]);
    expect(k.summary.baselined).toBe(before.findings.length);
    // The verdicts stay true: the baseline hides findings, it does not make imports work.
    expect(k.summary.blocked).toBe((before.summary as Json["summary"]).blocked);

    const text = await run("check", root, "--baseline", baseline);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/no new root causes; \d+ of \d+ test files .* still fail for known reasons/);
    expect(text.out).toContain(`${before.findings.length} known from the baseline`);

    // Lines added above a known problem: still the same problem (rule, file, target).
    const moved = join(root, "tests/integration/test_registry_1.py");
    writeFileSync(moved, `# a comment\n\n${readFileSync(moved, "utf8")}`);
    expect((await run("check", root, "--baseline", baseline)).code).toBe(0);

    // A new problem fails the run, and is the only one reported.
    writeFileSync(join(root, "tests/integration/test_new.py"), "import snag_certainly_absent_pkg\n\ndef test_x():\n    pass\n");
    const fresh = await run("check", root, "--baseline", baseline, "--format", "json");
    expect(fresh.code).toBe(1);
    expect((JSON.parse(fresh.out) as Json).findings.map((f) => [f.rule, f.target])).toEqual([["missing-module", "snag_certainly_absent_pkg"]]);
  });

  it("a baseline that is missing or not a baseline is a usage error naming the file", async () => {
    const root = copy("seed-torch-chain");
    const missing = await run("check", root, "--baseline", join(root, "nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^snag: baseline not found: .*nope\.json \(create it with --write-baseline\)\n$/);
    writeFileSync(join(root, "bad.json"), `{"kind": "something-else"}`);
    const bad = await run("check", root, "--baseline", join(root, "bad.json"));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.json: not a snag baseline/);
  });

  it("cannot write a baseline into a directory that does not exist", async () => {
    const root = copy("seed-torch-chain");
    const r = await run("check", root, "--write-baseline", join(root, "no", "dir", "b.json"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^snag: cannot write the baseline/);
  });
});

describe("fail-on and baseline from the configuration", () => {
  it("fail-on in snag.config.json sets the default; the flag wins", async () => {
    const root = copy("seed-torch-chain");
    expect((await run("check", root)).code).toBe(1);
    writeFileSync(join(root, "snag.config.json"), JSON.stringify({ "fail-on": "none" }));
    expect((await run("check", root)).code).toBe(0);
    expect((await run("check", root, "--fail-on", "error")).code).toBe(1);
  });

  it("baseline in [tool.snag] is read relative to the repository", async () => {
    const root = copy("seed-torch-chain");
    expect((await run("check", root, "--write-baseline", join(root, "known.json"))).code).toBe(0);
    appendFileSync(join(root, "pyproject.toml"), `\n[tool.snag]\nbaseline = "known.json"\n`);
    const r = await run("check", root, "--format", "json");
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as Json).summary.baselined).toBeGreaterThan(0);
  });
});

describe("markdown summary for a pull-request comment", () => {
  it("needs --format markdown", async () => {
    const r = await run("check", join(FIXTURES, "seed-torch-chain"), "--summary");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--summary goes with --format markdown");
  });

  it("starts with a marker a bot can find, and exits like any check", async () => {
    const r = await run("check", join(FIXTURES, "seed-torch-chain"), "--format", "markdown", "--summary");
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(SUMMARY_MARKER);
    expect(r.out).toContain("| 1 | missing-module `torch` |");
    const clean = await run("check", join(FIXTURES, "seed-clean-suite"), "--format", "markdown", "--summary");
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/### snag: \d+ test files collect, \d+ modules import/);
  });

  it("always fits in a comment, and says how much it left out", () => {
    const findings: Finding[] = [];
    const tests: TestVerdict[] = [];
    for (let i = 0; i < 5000; i++) {
      const target = `some.rather.long.package.name.for.module_${i}`;
      findings.push({ rule: "missing-module", severity: "error", file: `src/pkg_${i}/deeply/nested/module_${i}.py`, line: 3, column: 1, message: `ModuleNotFoundError: No module named '${target}'`, target, blastRadius: { tests: 5000 - i, modules: 1 } });
      tests.push({ file: `tests/test_${i}.py`, module: `test_${i}`, kind: "test", collectable: false, cause: { rule: "missing-module", target, file: `tests/test_${i}.py`, line: 1, column: 1, exception: "ModuleNotFoundError", message: `ModuleNotFoundError: No module named '${target}'` } });
    }
    const result: CheckResult = { modules: [], tests, findings, suppressed: 0 };
    const fixes = { remedies: findings.map((f) => ({ rule: f.rule, target: f.target, file: f.file, line: f.line, fixes: [] })), chosen: [], plan: { changes: [] }, patch: () => "" } as unknown as FixOutcome;
    const text = checkToMarkdownSummary(result, fixes, { name: "big", python: "3.11" });
    expect(text.length).toBeLessThanOrEqual(SUMMARY_BUDGET);
    expect(text).toContain("### snag: 5000 root causes block 5000 of 5000 test files");
    expect(text).toMatch(/…and \d+ more root causes\./);
    expect(text).toMatch(/- …and \d+ more/);
    // The biggest blast radius is never the one left out.
    expect(text).toContain("module_0`");
  });
});
