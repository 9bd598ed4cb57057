/**
 * snag's configuration (snag.config.json, [tool.snag], package.json "snag"), inline suppressions
 * and baselines: each setting has an effect a test can see, and each mistake a clear error naming
 * the key and the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baselineOf, readBaseline, splitByBaseline, baselineToJson } from "../src/analyze/baseline.js";
import { check } from "../src/analyze/check.js";
import { suppressionsOn } from "../src/analyze/suppress.js";
import { ConfigError, loadSnagConfig } from "../src/discover/snag-config.js";
import { scan } from "../src/pipeline/scan.js";
import { RULES } from "../src/rules/index.js";
import { copyFixture } from "./helpers/fixtures.js";

const IDS = RULES.map((r) => r.id);

function addToPyproject(root: string, text: string): void {
  const p = join(root, "pyproject.toml");
  writeFileSync(p, `${readFileSync(p, "utf8")}\n${text}\n`);
}

async function findings(root: string): Promise<string[]> {
  const s = await scan(root);
  return check(s).findings.map((f) => `${f.severity} ${f.rule} ${f.target}`);
}

describe("configuration", () => {
  it("reads [tool.snag] with kebab-case keys, package.json and snag.config.json, first one wins", () => {
    const root = copyFixture("seed-torch-chain");
    addToPyproject(root, '[tool.snag]\nfail-on = "warning"\nheavy-packages = ["pandas"]\n[tool.snag.rules]\nheavy-import = "off"');
    expect(loadSnagConfig(root, IDS)).toEqual({ file: "pyproject.toml", failOn: "warning", heavyPackages: ["pandas"], rules: { "heavy-import": "off" } });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "x", snag: { exclude: ["build/"] } }));
    expect(loadSnagConfig(root, IDS).file).toBe("pyproject.toml");
    writeFileSync(join(root, "snag.config.json"), JSON.stringify({ failOn: "none" }));
    expect(loadSnagConfig(root, IDS)).toEqual({ file: "snag.config.json", failOn: "none" });
    const other = copyFixture("seed-clean-suite");
    writeFileSync(join(other, "package.json"), JSON.stringify({ name: "x", snag: { exclude: ["build/"] } }));
    expect(loadSnagConfig(other, IDS)).toEqual({ file: "package.json", exclude: ["build/"] });
  });

  it("names the key and the file for unknown keys, wrong types, unknown rules and bad levels", () => {
    const cases: [string, RegExp][] = [
      ['[tool.snag]\nfail_on_x = "error"', /^pyproject\.toml \[tool\.snag\]: unknown key 'fail_on_x' \(known: include, exclude, roots, python/],
      ["[tool.snag]\nexclude = \"build\"", /^pyproject\.toml \[tool\.snag\]: 'exclude' must be a list of strings, not string "build"$/],
      ['[tool.snag.rules]\nmissing-modul = "off"', /unknown rule 'missing-modul' \(known: /],
      ['[tool.snag.rules]\nheavy-import = "loud"', /'rules'\.heavy-import must be one of "error", "warning", "info", "off", not "loud"/],
      ['[tool.snag]\npython-version = "3"', /'python-version' must look like "3\.12"/],
    ];
    for (const [text, message] of cases) {
      const root = copyFixture("seed-torch-chain");
      addToPyproject(root, text);
      expect(() => loadSnagConfig(root, IDS)).toThrow(ConfigError);
      expect(() => loadSnagConfig(root, IDS)).toThrow(message);
    }
    const root = copyFixture("seed-clean-suite");
    writeFileSync(join(root, "snag.config.json"), "{ not json");
    expect(() => loadSnagConfig(root, IDS)).toThrow(/^snag\.config\.json: invalid JSON/);
    // package.json is the project's, not snag's: an invalid one holds no snag settings and stops nothing.
    const other = copyFixture("seed-clean-suite");
    writeFileSync(join(other, "package.json"), '{ "name": "x", ');
    expect(loadSnagConfig(other, IDS)).toEqual({});
  });

  it("rule levels, heavy packages and excludes change what check reports", async () => {
    const torch = copyFixture("seed-torch-chain");
    expect(await findings(torch)).toEqual(["error missing-module torch", "warning heavy-import torch"]);
    addToPyproject(torch, '[tool.snag.rules]\nheavy-import = "off"\nmissing-module = "warning"');
    expect(await findings(torch)).toEqual(["warning missing-module torch"]);

    const click = copyFixture("undeclared-dependency");
    expect(await findings(click)).toEqual(["warning undeclared-dependency click"]);
    addToPyproject(click, '[tool.snag]\nheavy-packages = ["click"]');
    expect(await findings(click)).toEqual(["warning heavy-import click", "warning undeclared-dependency click"]);

    const excluded = copyFixture("seed-torch-chain");
    writeFileSync(join(excluded, "snag.config.json"), JSON.stringify({ exclude: ["utils/adapters/"] }));
    // An excluded file is not read: it still exists for the finder, but what it imports is not checked.
    expect(await findings(excluded)).toEqual([]);
    const included = copyFixture("seed-torch-chain");
    writeFileSync(join(included, "snag.config.json"), JSON.stringify({ include: ["tests/", "utils/metrics.py", "utils/__init__.py"] }));
    expect(await findings(included)).toEqual([]);
  });
});

describe("suppressions", () => {
  it("parses both comment styles", () => {
    expect(suppressionsOn("import torch  # snag: ignore[missing-module, heavy-import]")).toEqual(["missing-module", "heavy-import"]);
    expect(suppressionsOn("import torch  # snag: ignore")).toBe("all");
    expect(suppressionsOn("import x from 'y'; // snag-ignore missing-module")).toEqual(["missing-module"]);
    expect(suppressionsOn("import torch  # ignore")).toBeUndefined();
  });

  it("hides exactly the findings named on their line", async () => {
    const root = copyFixture("seed-torch-chain");
    const file = join(root, "utils/adapters/model_adapter.py");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace("import torch\n", "import torch  # snag: ignore[heavy-import]\n"));
    let s = await scan(root);
    let r = check(s);
    expect(r.findings.map((f) => f.rule)).toEqual(["missing-module"]);
    expect(r.suppressed).toBe(1);
    writeFileSync(file, original.replace("import torch\n", "import torch  # snag: ignore\n"));
    s = await scan(root);
    r = check(s);
    expect(r.findings).toEqual([]);
    expect(r.suppressed).toBe(2);
    // The truth is unchanged: the test files still fail to collect.
    expect(r.tests.filter((t) => !t.collectable).length).toBe(2);
  });
});

describe("baselines", () => {
  it("round-trips, ignores line moves, and reports only new problems", async () => {
    const root = copyFixture("seed-bridge-mro-markers");
    const before = check(await scan(root)).findings;
    const path = join(root, "snag-baseline.json");
    writeFileSync(path, baselineToJson(baselineOf(before)));
    const baseline = readBaseline(path);
    expect(baseline.findings.length).toBe(before.length);

    // Lines move: still known.
    const test = join(root, "tests/integration/test_execution.py");
    writeFileSync(test, `"""Execution tests."""\n\n${readFileSync(test, "utf8")}`);
    // A new problem appears.
    writeFileSync(join(root, "tests/integration/test_new.py"), "from netra_backend.app.core.missing_engine import Engine\n");
    const after = check(await scan(root)).findings;
    const { fresh, known } = splitByBaseline(after, baseline);
    expect(known.length).toBe(before.length);
    expect(fresh.map((f) => `${f.rule} ${f.file} ${f.target}`)).toEqual(["missing-module tests/integration/test_new.py netra_backend.app.core.missing_engine"]);
  });

  it("rejects files that are not baselines, naming the problem", () => {
    const root = copyFixture("seed-clean-suite");
    const path = join(root, "b.json");
    writeFileSync(path, JSON.stringify({ version: 1, kind: "snag-check" }));
    expect(() => readBaseline(path)).toThrow(/not a snag baseline/);
    writeFileSync(path, JSON.stringify({ version: 1, kind: "snag-baseline", findings: [{ rule: "x", file: "y" }] }));
    expect(() => readBaseline(path)).toThrow(/findings\[0\] needs rule, file, target/);
    expect(() => readBaseline(join(root, "missing.json"))).toThrow(/baseline not found: .*create it with --write-baseline/);
  });
});
