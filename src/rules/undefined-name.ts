import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "undefined-name",
  summary: "A name read at import time that nothing has bound yet: NameError.",
  severity: "error",
  docs: {
    what:
      "A name read by code that runs when the module is imported (the module body, class bodies, decorators, default values, base classes, annotations Python evaluates) that no earlier statement, import, builtin of the target Python or star import can have bound. Reported only when that is certain: a binding on any earlier path, a `global` statement in a function, a dynamic namespace (`globals()`, `exec`), a module `__getattr__`, a class whose metaclass may supply names, a star import snag cannot read, or an enclosing `except NameError` keeps it silent. Annotations count only without `from __future__ import annotations` and before Python 3.14 (PEP 649).",
    why: "The NameError stops the import, so every test file that reaches the module fails to collect; a function renamed but still registered under its old name at module level is the usual cause.",
    example: "def process_orders(batch): ...\n\nHANDLERS = {\"orders\": process_order}   # renamed: NameError: name 'process_order' is not defined",
    fix: "Use the name that exists (snag suggests the closest one bound in the module, its class or the builtins, and where else the name is defined), or move the definition above the statement that reads it.",
  },
  fixes: ["rename-import"],
};
