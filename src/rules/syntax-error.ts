import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "syntax-error",
  summary: "A module CPython cannot compile: importing it raises SyntaxError.",
  severity: "error",
  docs: {
    what: "A Python file that does not compile (a syntax error, an undecodable byte, a NUL byte), imported on the way to a test. That includes what parses but CPython's compiler refuses, which the target interpreter confirms: syntax of another Python version, a statement where it may not stand (`return` or `yield` outside a function, `await` outside an `async def` or in a lambda, `break` or `continue` outside a loop, `nonlocal` with no enclosing function, `yield` in a comprehension, `yield from` in an `async def`, `return` with a value in an async generator), an argument or parameter list out of order or naming one twice (`f(a=1, b)`, `def f(a, a)`), a target that cannot be deleted, augmented, annotated or starred there (`del f()`, `a, b += 1`, `(a, b): int`, `x = *a`) or that binds `__debug__`, a `global` or `nonlocal` declared after the name is used or for a parameter, a `nonlocal` nothing binds, bytes and str literals joined, and a bare `except:` before another handler.",
    why: "CPython compiles a module before running any of it; a SyntaxError stops the import and every test that reaches the module fails to collect.",
    example: "def broken(:\n    pass",
    fix: "Fix the syntax at the reported line (or the file's encoding).",
  },
  // Empty on purpose: repairing a syntax error means guessing what the code meant.
  fixes: [],
};
