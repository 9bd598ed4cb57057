import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "import-cycle",
  summary: "A `from x import y` that runs while x is still initialising and y is not bound yet.",
  severity: "error",
  docs: {
    what:
      "snag runs the import order symbolically: when a from-import reaches a module that is part-way through its own body (an import cycle) and the name is defined further down, CPython raises ImportError (partially initialized module). Cycles that work — plain `import x` used later, imports inside functions, names bound before the cycle closes — are not reported.",
    why: "Whether the cycle breaks depends on which module is imported first, so a suite can pass or fail depending on test order or on one new import.",
    example: "# a.py\nfrom b import helper\nVALUE = 1\n# b.py\nfrom a import VALUE   # a is half-initialised: VALUE is not bound yet",
    fix: "Move the import into the function that needs it, import the module instead of the name (`import a` then `a.VALUE`), or move the shared name to a third module.",
  },
  fixes: ["lazy-import"],
};
