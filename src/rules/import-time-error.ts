import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "import-time-error",
  summary: "A module-level `raise`, or an `assert` that fails for the target Python, stops the import.",
  severity: "error",
  docs: {
    what:
      "A `raise` statement that runs when the module is imported (module level or class body, under conditions that hold for the target Python and platform), or a module-level `assert` whose condition snag can evaluate and finds false (`assert sys.platform == \"win32\"`).",
    why: "Platform- or version-specific modules often refuse to import elsewhere on purpose; a test that imports one fails to collect on every other machine.",
    example: "# windows_console.py\nassert sys.platform == \"win32\"",
    fix: "Import the module only where it applies (behind the same platform/version check), or skip the tests that need it with pytest.importorskip / skipif.",
  },
  // Empty on purpose: the module raises deliberately, and removing the check would hide a real incompatibility.
  fixes: [],
};
