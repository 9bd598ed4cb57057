import type { RuleMeta } from "./types.js";

export const meta: RuleMeta = {
  id: "syntax-error",
  summary: "A module CPython cannot compile: importing it raises SyntaxError.",
  severity: "error",
  docs: {
    what: "A Python file that does not compile (a syntax error, an undecodable byte, a NUL byte), imported on the way to a test. That includes what parses but CPython's compiler refuses, which the target interpreter confirms: syntax of another Python version (a starred subscript before 3.11, say); a statement where it may not stand (`return` or `yield` outside a function, `await` outside an `async def` or in a lambda, `break` or `continue` outside a loop, `nonlocal` with no enclosing function, `from m import *` in a def or class, `yield` or a starred element in a comprehension, `yield from` in an `async def`, `return` with a value in an async generator); an argument or parameter list out of order, naming one twice or starring twice (`f(a=1, b)`, `def f(a, a)`, `def f(*a, *b)`), with a generator expression beside other arguments, or with a parenthesised parameter (Python 2's `def f(a, (b, c))`); a target that cannot be deleted, augmented, annotated, starred or bound there (`del f()`, `a, b += 1`, `(a, b): int`, `x = *a`, `*a, *b = c`, `with x as f():`) or that binds `__debug__`; a `global` or `nonlocal` declared after the name is used, for a parameter or for an annotated name, and a `nonlocal` nothing binds; a number with leading zeros or a bad underscore, a non-ASCII bytes literal, bytes and str literals joined, an f-string field with a bad conversion, a bare `lambda` or specs nested two deep; an escape CPython refuses in a string that is not raw (`\"C:\\Users\"`: a truncated `\\x`, `\\u` or `\\U`, a `\\N` without `{name}`, a name the target's Unicode database lacks); a `try` with no handler, an import list ending in a bare comma, two operands with nothing between them (Python 2's `print \"x\"`, `ur\"x\"`); and a bare `except:` before another handler.",
    why: "CPython compiles a module before running any of it; a SyntaxError stops the import and every test that reaches the module fails to collect.",
    example: "def broken(:\n    pass",
    fix: "Fix the syntax at the reported line (or the file's encoding).",
  },
  // Empty on purpose: repairing a syntax error means guessing what the code meant.
  fixes: [],
};
