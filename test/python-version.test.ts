/**
 * `--python-version`: resolving against another Python's standard library with this machine's
 * interpreter must predict what that Python really does. Checked against every other CPython
 * installed here (pyenv), skipping versions that are absent.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { python } from "./helpers/fixtures.js";

const PYENV = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? "/root", ".pyenv"), "versions");
const MODULES: Record<string, string> = {
  uses_telnetlib: "import telnetlib\n", // removed in 3.13
  uses_imp: "import imp\n", // removed in 3.12
  uses_asyncore: "import asyncore\n", // removed in 3.12
  uses_tomllib: "import tomllib\n", // added in 3.11
  uses_zoneinfo: "import zoneinfo\n", // added in 3.9
  uses_graphlib: "from graphlib import TopologicalSorter\n", // added in 3.9
  uses_os: "import os.path\n",
};

function interpreter(minor: number): string | undefined {
  if (!existsSync(PYENV)) return undefined;
  const dir = readdirSync(PYENV).find((v) => v.startsWith(`3.${minor}.`));
  const exe = dir ? join(PYENV, dir, "bin", "python3") : undefined;
  return exe && existsSync(exe) ? exe : undefined;
}

describe("--python-version predicts another interpreter's standard library", () => {
  const root = mkdtempSync(join(tmpdir(), "snag-pyver-"));
  for (const [name, code] of Object.entries(MODULES)) writeFileSync(join(root, `${name}.py`), code);
  writeFileSync(join(root, "test_all.py"), Object.keys(MODULES).map((m) => `import ${m}\n`).join(""));

  for (const minor of [9, 10, 12, 13]) {
    const exe = interpreter(minor);
    it.skipIf(!exe)(`3.${minor}`, async () => {
      const checked = check(await scan(root, { pythonVersion: `3.${minor}` }));
      for (const name of Object.keys(MODULES)) {
        const verdict = checked.modules.find((m) => m.module === name)!;
        let real = true;
        try {
          python(exe!, ["-I", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(root)}); import ${name}`]);
        } catch {
          real = false;
        }
        expect({ name, importable: verdict.importable }).toEqual({ name, importable: real });
      }
    });
  }
});
