import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "missing-symbol",
  summary: "`from m import Name` where m neither binds Name nor has a submodule Name: ImportError.",
  severity: "error",
  docs: {
    what:
      "A from-import of a name the module does not bind at module level (definitions, assignments, imports, star imports honouring __all__, conditional and try/except bindings) and that is not a submodule. A module `__getattr__` or a dynamic namespace makes every name importable.",
    why: "The ImportError stops the importing module, and every test that reaches it fails to collect; renamed classes are the usual cause.",
    example: "from engined.core.circuit_breaker import CircuitBreakerError   # the class is CircuitBreakerOpenError now",
    fix: "Import the name it was renamed to (snag suggests the closest one and where else it is defined), or keep a compatibility alias in the defining module.",
  },
  fixes: ["rename-import", "compat-alias", "rewrite-import"],
};
