/**
 * "Repositories snag has never seen": real, pure-Python packages from the interpreter's own
 * site-packages, copied into a src layout with a test that imports them. Every module and test
 * verdict must equal what CPython and pytest do (the same oracle as the fixtures).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { compareWithInterpreter } from "./helpers/oracle.js";
import { python } from "./helpers/fixtures.js";

const site = python("python3", ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).trim();
const PACKAGES = ["click", "flask", "jinja2", "packaging", "pluggy", "iniconfig", "_pytest", "requests", "attr", "rsa"];

describe("unseen repositories: installed packages as source trees", () => {
  for (const pkg of PACKAGES) {
    const present = existsSync(join(site, pkg));
    it.skipIf(!present)(pkg, async () => {
      const root = mkdtempSync(join(tmpdir(), `snag-unseen-${pkg}-`));
      mkdirSync(join(root, "tests"));
      cpSync(join(site, pkg), join(root, "src", pkg), { recursive: true, filter: (p) => !p.includes("__pycache__") });
      writeFileSync(join(root, "pyproject.toml"), '[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n');
      writeFileSync(join(root, "tests", "test_imports.py"), `import ${pkg}\n`);
      const result = await scan(root);
      const checked = check(result);
      expect(checked.modules.length).toBeGreaterThan(3);
      expect(compareWithInterpreter(result, checked)).toEqual([]);
    }, 300_000);
  }
});
