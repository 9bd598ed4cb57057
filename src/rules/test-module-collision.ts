import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "test-module-collision",
  summary: "Two test files pytest imports under the same module name (\"import file mismatch\").",
  severity: "error",
  docs: {
    what: "In prepend or append import mode, test files in directories without `__init__.py` are imported by their bare name; two with the same basename collide and the one collected second fails.",
    why: "pytest reports an import file mismatch error for the second file and does not collect its tests.",
    example: "# tests/unit/test_utils.py          (no __init__.py in tests/unit/)\n# tests/integration/test_utils.py   (no __init__.py in tests/integration/)\n# both import as 'test_utils': the one collected second fails with \"import file mismatch\"",
    fix: "Add `__init__.py` to the test directories, rename one file, or use `--import-mode=importlib`.",
  },
  // Empty on purpose: which file to rename, or whether the directories should become packages, is the project's choice.
  fixes: [],
};
