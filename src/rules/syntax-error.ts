import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "syntax-error",
  summary: "A module CPython cannot compile: importing it raises SyntaxError.",
  severity: "error",
  docs: {
    what: "A Python file that does not compile (a syntax error, an undecodable byte, a NUL byte), imported on the way to a test. That includes what parses but CPython's compiler refuses, which the target interpreter confirms: syntax of another Python version, a statement where it may not stand (`return` or `yield` outside a function, `await` outside an `async def`, `break` or `continue` outside a loop, `nonlocal` with no enclosing function), an argument or parameter list out of order or naming one twice (`f(a=1, b)`, `def f(a, a)`) and a bare `except:` before another handler.",
    why: "CPython compiles a module before running any of it; a SyntaxError stops the import and every test that reaches the module fails to collect.",
    example: "def broken(:\n    pass",
    fix: "Fix the syntax at the reported line (or the file's encoding).",
  },
  // Empty on purpose: repairing a syntax error means guessing what the code meant.
  fixes: [],
};
