import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "test-module-collision",
  summary: "Two test files pytest imports under the same module name (\"import file mismatch\").",
  severity: "error",
  docs: {
    what: "In prepend or append import mode, test files in directories without `__init__.py` are imported by their bare name; two with the same basename collide and the one collected second fails.",
    why: "pytest reports an import file mismatch error for the second file and does not collect its tests.",
    example: "tests/unit/test_utils.py\ntests/integration/test_utils.py   # both import as 'test_utils'",
    fix: "Add `__init__.py` to the test directories, rename one file, or use `--import-mode=importlib`.",
  },
};
