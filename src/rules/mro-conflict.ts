import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "mro-conflict",
  summary: "A class whose bases have no consistent C3 linearisation: TypeError at import.",
  severity: "error",
  docs: {
    what:
      "A class statement that runs at import and whose method resolution order cannot be computed (C3 linearisation fails, or a base is listed twice). Bases are resolved across modules; bases snag cannot follow are treated as opaque and never cause an alarm.",
    why: "The TypeError is raised when the class statement runs, so the whole module (and every test importing it) fails.",
    example: "class Base: ...\nclass Child(Base): ...\nclass Broken(Base, Child): ...   # Base before its own subclass",
    fix: "List subclasses before their bases (`class Fixed(Child, Base)`), or drop the redundant base.",
  },
  fixes: ["reorder-bases"],
};
