import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "warning-as-error",
  summary: "An import that warns at import time while pytest turns warnings into errors: a collection error.",
  severity: "error",
  docs: {
    what:
      "With `filterwarnings = error` (or `-W error` in addopts), pytest raises every warning emitted during collection. Standard-library modules that warn when imported (`imp`, `asyncore`, the PEP 594 modules, `sre_compile`, ... per target Python version, checked against the interpreters) then fail the import of every test file that reaches them. Filters snag cannot judge (with a module field, or a category from a package) make it predict nothing.",
    why: "The warning surfaces as an exception at the import statement, so the test file is a collection error, although the same code imports fine outside pytest.",
    example: "# pytest.ini: [pytest] filterwarnings = error\nimport imp      # DeprecationWarning on Python 3.11: collection error",
    fix: "Move off the deprecated module, or add a filter that ignores that warning after `error` (`ignore:the imp module is deprecated:DeprecationWarning`).",
  },
  fixes: [],
};
