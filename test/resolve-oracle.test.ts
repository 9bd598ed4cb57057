/**
 * The differential oracle for resolution: for every import statement in the fixtures, snag's answer
 * (which file, builtin/frozen/preloaded, namespace, or which name is missing and why) must equal what
 * CPython's own finders say for the same sys.path, asked in a fresh interpreter that imports nothing
 * of the fixture. A second check runs real pytest and compares the sys.path it builds.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan, type Scan } from "../src/pipeline/scan.js";
import { copyFixture, ORACLE, pipIndexArgs, python } from "./helpers/fixtures.js";

interface OracleAnswer {
  found: boolean;
  kind?: string;
  file?: string | null;
  missing?: string;
  reason?: string;
}

interface Query {
  id: string;
  module: string;
  level: number;
  importer: string;
  isPackage: boolean;
}

function snagAnswers(result: Scan): { queries: Query[]; answers: Map<string, OracleAnswer> } {
  const queries: Query[] = [];
  const answers = new Map<string, OracleAnswer>();
  const root = result.discovery.root;
  for (const mod of result.resolved.modules) {
    const facts = result.facts.get(mod.file)!;
    for (const res of result.resolved.imports.get(mod.file) ?? []) {
      const imp = facts.imports[res.index]!;
      if (imp.kind === "future") continue;
      const id = `${mod.file}:${imp.line}:${imp.column}`;
      queries.push({ id, module: imp.module, level: imp.level, importer: mod.name, isPackage: mod.isPackage });
      if (res.missing) answers.set(id, { found: false, missing: res.missing.name, reason: res.missing.reason });
      else {
        const last = res.chain[res.chain.length - 1]!;
        const file = last.file === undefined ? null : last.origin === "local" ? resolve(root, last.file) : last.file;
        answers.set(id, { found: true, kind: last.kind, file: last.kind === "namespace" ? null : file });
      }
      // `from pkg import name`: is `name` a submodule?
      if (imp.kind === "from" && !res.missing) {
        for (const n of imp.names) {
          if (n.name === "*") continue;
          const subId = `${id}#${n.name}`;
          queries.push({ id: subId, module: `${res.absolute}.${n.name}`, level: 0, importer: mod.name, isPackage: mod.isPackage });
          const sub = res.submodules.find((s) => s.name === n.name);
          answers.set(subId, sub ? { found: true } : { found: false });
        }
      }
    }
  }
  return { queries, answers };
}

function oracle(exe: string, path: string[], queries: Query[]): Record<string, OracleAnswer> {
  return JSON.parse(python(exe, [ORACLE], { input: JSON.stringify({ path, queries }) })) as Record<string, OracleAnswer>;
}

function compare(result: Scan): { checked: number; mismatches: string[] } {
  const { queries, answers } = snagAnswers(result);
  const exe = result.env.executable!;
  const truth = oracle(exe, result.resolved.sysPath, queries);
  const mismatches: string[] = [];
  for (const q of queries) {
    const mine = answers.get(q.id)!;
    const real = truth[q.id]!;
    const subQuery = q.id.includes("#");
    const same = subQuery
      ? mine.found === real.found
      : mine.found
        ? real.found && real.kind === mine.kind && (real.file ?? null) === (mine.file ?? null)
        : !real.found && real.missing === mine.missing && real.reason === mine.reason;
    if (!same) mismatches.push(`${q.id} ${q.module}: snag ${JSON.stringify(mine)} vs CPython ${JSON.stringify(real)}`);
  }
  return { checked: queries.length, mismatches };
}

/** sys.path as real pytest builds it for this repository (project entries only, in order). */
function pytestSysPath(root: string, exe: string): string[] {
  const pluginDir = mkdtempSync(join(tmpdir(), "snag-probe-"));
  const out = join(pluginDir, "syspath.json");
  writeFileSync(
    join(pluginDir, "snag_syspath_probe.py"),
    `import json, sys\ndef pytest_sessionfinish(session):\n    json.dump(sys.path, open(${JSON.stringify(out)}, "w"))\n`,
  );
  try {
    python(exe, ["-P", "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "snag_syspath_probe"], {
      cwd: root,
      env: { PYTHONPATH: pluginDir },
    });
  } catch {
    // Collection errors are expected in broken fixtures; the probe still wrote sys.path.
  }
  const entries = JSON.parse(readFileSync(out, "utf8")) as string[];
  return entries.filter((p) => p === root || p.startsWith(`${root}/`));
}

const FIXTURE_NAMES = ["seed-torch-chain", "src-layout", "flat-layout", "namespace-packages", "relative-imports"];

describe("resolution equals CPython's finders", () => {
  for (const name of FIXTURE_NAMES) {
    it(name, async () => {
      const root = copyFixture(name);
      const result = await scan(root);
      const { checked, mismatches } = compare(result);
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThan(0);
    });
  }
});

describe("sys.path equals what pytest builds", () => {
  for (const name of FIXTURE_NAMES) {
    it(name, async () => {
      const root = copyFixture(name);
      const result = await scan(root);
      const mine = result.resolved.sysPath.filter((p) => p === root || p.startsWith(`${root}/`));
      expect(mine).toEqual(pytestSysPath(root, result.env.executable!));
    });
  }
});

describe("a repository with its own .venv", () => {
  let root: string;
  beforeAll(() => {
    root = copyFixture("local-venv");
    python("python3", ["-m", "venv", join(root, ".venv")]);
    python(join(root, ".venv/bin/python"), ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...pipIndexArgs(), "six", "attrs"]);
  }, 240_000);

  it("uses the project venv and matches CPython there", async () => {
    const result = await scan(root);
    expect(result.env.source).toBe("project venv");
    expect(existsSync(result.env.executable!)).toBe(true);
    const { checked, mismatches } = compare(result);
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(3);
    const six = result.graph.getNodeAttributes("six");
    expect(six.kind).toBe("third-party");
    expect(six.distribution).toBe("six");
    expect(result.graph.getNodeAttributes("attr").distribution).toBe("attrs");
    expect(result.graph.hasNode("?snag_fixture_absent_pkg")).toBe(true);
  });

  it("warns about an installed but undeclared distribution, not about declared ones", async () => {
    const checked = check(await scan(root));
    const undeclared = checked.findings.filter((f) => f.rule === "undeclared-dependency").map((f) => f.target);
    expect(undeclared).toContain("pip");
    expect(undeclared).not.toContain("six");
    expect(undeclared).not.toContain("attr");
  });

  it("--no-env resolves as if nothing were installed", async () => {
    const result = await scan(root, { noEnv: true });
    expect(result.graph.hasNode("?six")).toBe(true);
    expect(result.graph.hasNode("?attrs")).toBe(true);
  });
});
