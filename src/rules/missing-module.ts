import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "missing-module",
  summary: "An import that resolves nowhere on the test run's sys.path: ModuleNotFoundError.",
  severity: "error",
  docs: {
    what:
      "An import statement that runs when its module is imported and names a module no sys.path entry provides, or a relative import with no parent package. snag says why: a declared dependency that is not installed, an undeclared third-party package, a wrong root (`src.` prefix under `pythonpath = [\"src\"]`), a module that moved, or a typo.",
    why: "The ModuleNotFoundError propagates through every importer that does not catch it; one missing heavy dependency behind a package `__init__` can block the whole suite.",
    example: "# pyproject.toml: pythonpath = [\"src\"]\nfrom src.integration import ServicePool   # 'src' is not on sys.path",
    fix: "Install the dependency, import it lazily or under a guard, use the spelling that resolves (`from integration import ServicePool`), or add a bridge module at the old path.",
  },
  fixes: ["bridge-module", "rewrite-import", "root-fix", "lazy-import", "importorskip"],
};
