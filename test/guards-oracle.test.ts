/**
 * The differential oracle for guards: for each snippet below (one import of a module that does not
 * exist, in one guard form), snag's `guardOf` must agree with what CPython does when the snippet is
 * imported as a module in a fresh interpreter.
 *
 * CPython side: the snippet is written to `<dir>/m.py` and `python3 -c <harness>` runs with cwd
 * `<dir>`. The harness puts a probe first on `sys.meta_path` that records every lookup of the absent
 * name (so "the import statement ran" is observed without rewriting the snippet, which also works
 * for imports inside expressions such as decorator arguments), then does `import m` and records
 * whether the exception that escapes (if any) is, or is chained from, the ModuleNotFoundError for
 * the absent name (a handler that raises another error therefore still counts as escaping: the
 * module fails to import *because of* the missing module).
 *
 * Agreement: `top` ⇔ ran and escaped; `caught` ⇔ ran and did not escape; `deferred`,
 * `type-checking`, `main`, `dead` ⇔ did not run. `conditional` is accepted only where the table says
 * so: genuinely undecidable conditions (os.environ; no CPython comparison) and loop/match bodies,
 * which snag documents as unevaluated.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardOf, type GuardKind, type TargetPython } from "../src/graph/guard.js";
import { extractPythonFacts } from "../src/parse/python/extract.js";

const run = promisify(execFile);
const PYTHON = "python3";
const ABSENT = "snag_absent_mod_1";

// The real interpreter: snag is asked about exactly the Python that the oracle runs.
const info = JSON.parse(
  execFileSync(PYTHON, ["-c", "import sys, os, json; print(json.dumps([list(sys.version_info[:3]), sys.platform, os.name]))"], {
    encoding: "utf8",
  }),
) as [number[], string, string];
const TARGET: TargetPython = { version: info[0], platform: info[1], osName: info[2] };
const [MAJOR, MINOR, MICRO] = TARGET.version as [number, number, number];

/** Strip the common leading indentation and the first/last blank lines of a template literal. */
function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = raw.replace(/^\n/, "").replace(/\n[ \t]*$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

type Expected = GuardKind | GuardKind[];

interface Case {
  name: string;
  code: string;
  /** The answer(s) snag may give. Every answer but `conditional` must also agree with CPython. */
  expect: Expected;
  /** Genuinely undecidable statically: assert `conditional`, do not ask CPython. */
  undecidable?: true;
  /** Needs at least this Python (syntax). */
  minPython?: [number, number];
  /** A known disagreement in src/: the case runs as `it.fails` with this explanation. */
  bug?: string;
}

const onPlatform = (p: string): GuardKind => (TARGET.platform === p ? "top" : "dead");
const onPlatformPrefix = (p: string): GuardKind => (TARGET.platform.startsWith(p) ? "top" : "dead");
const onOsName = (n: string): GuardKind => (TARGET.osName === n ? "top" : "dead");

const CASES: Case[] = [
  // ---- where the statement sits -------------------------------------------------------------
  { name: "module level", code: py`import ${ABSENT}`, expect: "top" },
  { name: "from-import at module level", code: py`from ${ABSENT} import thing`, expect: "top" },
  { name: "__import__ at module level", code: py`x = __import__("${ABSENT}")`, expect: "top" },
  { name: "importlib.import_module at module level", code: py`import importlib\nx = importlib.import_module("${ABSENT}")`, expect: "top" },
  {
    name: "class body",
    code: py`
      class C:
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "nested class body",
    code: py`
      class Outer:
          class Inner:
              import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "function body",
    code: py`
      def f():
          import ${ABSENT}
    `,
    expect: "deferred",
  },
  {
    name: "async function body",
    code: py`
      async def f():
          import ${ABSENT}
    `,
    expect: "deferred",
  },
  {
    name: "method body",
    code: py`
      class C:
          def m(self):
              import ${ABSENT}
    `,
    expect: "deferred",
  },
  {
    name: "class body inside a function",
    code: py`
      def f():
          class C:
              import ${ABSENT}
    `,
    expect: "deferred",
  },
  { name: "lambda body", code: py`f = lambda: __import__("${ABSENT}")`, expect: "deferred" },
  { name: "lambda default argument (evaluated at definition)", code: py`f = lambda m=__import__("${ABSENT}"): m`, expect: "top" },
  {
    name: "decorator argument (evaluated at def time)",
    code: py`
      def deco(arg):
          return lambda fn: fn

      @deco(__import__("${ABSENT}"))
      def f():
          pass
    `,
    expect: "top",
  },
  {
    name: "class decorator argument",
    code: py`
      import importlib
      def deco(arg):
          return lambda cls: cls

      @deco(importlib.import_module("${ABSENT}"))
      class C:
          pass
    `,
    expect: "top",
  },
  {
    name: "default argument (evaluated at def time)",
    code: py`
      def f(x=__import__("${ABSENT}")):
          pass
    `,
    expect: "top",
  },
  {
    name: "return annotation (evaluated at def time without future annotations)",
    code: py`
      def f() -> __import__("${ABSENT}"):
          pass
    `,
    expect: "top",
  },
  {
    name: "class base expression",
    code: py`
      class C(__import__("${ABSENT}").Base):
          pass
    `,
    expect: "top",
  },
  {
    name: "list comprehension at module level (runs immediately)",
    code: py`xs = [__import__("${ABSENT}") for _ in range(1)]`,
    expect: "top",
  },

  // ---- try / except -------------------------------------------------------------------------
  {
    name: "try/except ImportError",
    code: py`
      try:
          import ${ABSENT}
      except ImportError:
          pass
    `,
    expect: "caught",
  },
  {
    name: "try/except ModuleNotFoundError as e",
    code: py`
      try:
          import ${ABSENT}
      except ModuleNotFoundError as e:
          pass
    `,
    expect: "caught",
  },
  {
    name: "except (KeyError, ImportError)",
    code: py`
      try:
          from ${ABSENT} import x
      except (KeyError, ImportError):
          x = None
    `,
    expect: "caught",
  },
  {
    name: "except builtins.ImportError",
    code: py`
      import builtins
      try:
          import ${ABSENT}
      except builtins.ImportError:
          pass
    `,
    expect: "caught",
  },
  {
    name: "except Exception",
    code: py`
      try:
          import ${ABSENT}
      except Exception:
          pass
    `,
    expect: "caught",
  },
  {
    name: "except BaseException",
    code: py`
      try:
          import ${ABSENT}
      except BaseException:
          pass
    `,
    expect: "caught",
  },
  {
    name: "bare except",
    code: py`
      try:
          import ${ABSENT}
      except:
          pass
    `,
    expect: "caught",
  },
  {
    name: "except KeyError (not a guard)",
    code: py`
      try:
          import ${ABSENT}
      except KeyError:
          pass
    `,
    expect: "top",
  },
  {
    name: "second handler catches ImportError",
    code: py`
      try:
          import ${ABSENT}
      except KeyError:
          pass
      except ImportError:
          pass
    `,
    expect: "caught",
  },
  {
    name: "handler re-raises (except ImportError: raise)",
    code: py`
      try:
          import ${ABSENT}
      except ImportError:
          raise
    `,
    expect: "top",
  },
  {
    name: "handler re-raises after other statements",
    code: py`
      try:
          import ${ABSENT}
      except ImportError as e:
          message = str(e)
          raise
    `,
    expect: "top",
  },
  {
    name: "handler raises another error",
    code: py`
      try:
          import ${ABSENT}
      except ImportError as e:
          raise RuntimeError("install it") from e
    `,
    expect: "top",
  },
  {
    name: "handler raises SystemExit",
    code: py`
      try:
          import ${ABSENT}
      except ImportError:
          raise SystemExit(1)
    `,
    expect: "top",
  },
  {
    name: "handler raises only under a false condition",
    code: py`
      try:
          import ${ABSENT}
      except ImportError:
          if False:
              raise
    `,
    expect: "caught",
  },
  {
    name: "catch-all before a re-raising ImportError handler",
    code: py`
      try:
          import ${ABSENT}
      except Exception:
          pass
      except ImportError:
          raise
    `,
    expect: "caught",
  },
  {
    name: "re-raising ImportError handler shadows a later except Exception",
    code: py`
      try:
          import ${ABSENT}
      except ImportError:
          raise
      except Exception:
          pass
    `,
    expect: "top",
  },
  {
    name: "handler calls sys.exit",
    code: py`
      import sys
      try:
          import ${ABSENT}
      except ImportError:
          print("please install it", file=sys.stderr)
          sys.exit(1)
    `,
    expect: "top",
  },
  {
    name: "try/finally without except",
    code: py`
      try:
          import ${ABSENT}
      finally:
          pass
    `,
    expect: "top",
  },
  {
    name: "else: of a try (not guarded)",
    code: py`
      try:
          pass
      except ImportError:
          pass
      else:
          import ${ABSENT}
    `,
    // snag does not predict failures in except/else blocks: whether they run can hinge on
    // installed code it does not read (a documented no-false-alarm choice).
    expect: ["conditional", "top"],
  },
  {
    name: "finally: of a try/except ImportError (not guarded)",
    code: py`
      try:
          pass
      except ImportError:
          pass
      finally:
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "inside the except handler of another try",
    code: py`
      try:
          raise ImportError("first choice")
      except ImportError:
          import ${ABSENT}
    `,
    // snag does not predict failures in except/else blocks: whether they run can hinge on
    // installed code it does not read (a documented no-false-alarm choice).
    expect: ["conditional", "top"],
  },
  {
    name: "except handler of an inner try, inside an outer try/except ImportError",
    code: py`
      try:
          try:
              raise KeyError("x")
          except KeyError:
              import ${ABSENT}
      except ImportError:
          pass
    `,
    expect: "caught",
  },
  {
    name: "nested try where only the outer catches",
    code: py`
      try:
          try:
              import ${ABSENT}
          except KeyError:
              pass
      except ImportError:
          pass
    `,
    expect: "caught",
  },
  {
    name: "nested try: inner re-raises, outer catches",
    code: py`
      try:
          try:
              import ${ABSENT}
          except ImportError:
              raise
      except Exception:
          pass
    `,
    expect: "caught",
  },
  {
    name: "nested try: neither catches",
    code: py`
      try:
          try:
              import ${ABSENT}
          except KeyError:
              pass
      except ValueError:
          pass
    `,
    expect: "top",
  },
  {
    name: "except* ImportError",
    code: py`
      try:
          import ${ABSENT}
      except* ImportError:
          pass
    `,
    expect: "caught",
    minPython: [3, 11],
  },
  {
    name: "except* KeyError (not a guard)",
    code: py`
      try:
          import ${ABSENT}
      except* KeyError:
          pass
    `,
    expect: "top",
    minPython: [3, 11],
  },

  // ---- contextlib.suppress ------------------------------------------------------------------
  {
    name: "with contextlib.suppress(ImportError)",
    code: py`
      import contextlib
      with contextlib.suppress(ImportError):
          import ${ABSENT}
    `,
    expect: "caught",
  },
  {
    name: "from contextlib import suppress; with suppress(ModuleNotFoundError)",
    code: py`
      from contextlib import suppress
      with suppress(ModuleNotFoundError):
          import ${ABSENT}
    `,
    expect: "caught",
  },
  {
    name: "with suppress(KeyError, ImportError) as s",
    code: py`
      from contextlib import suppress
      with suppress(KeyError, ImportError) as s:
          import ${ABSENT}
    `,
    expect: "caught",
  },
  {
    name: "with suppress(KeyError) (not a guard)",
    code: py`
      from contextlib import suppress
      with suppress(KeyError):
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "with nullcontext() (not a guard)",
    code: py`
      import contextlib
      with contextlib.nullcontext():
          import ${ABSENT}
    `,
    expect: "top",
  },

  // ---- TYPE_CHECKING / __main__ -------------------------------------------------------------
  {
    name: "if TYPE_CHECKING (from typing import TYPE_CHECKING)",
    code: py`
      from typing import TYPE_CHECKING
      if TYPE_CHECKING:
          import ${ABSENT}
    `,
    expect: "type-checking",
  },
  {
    name: "if typing.TYPE_CHECKING",
    code: py`
      import typing
      if typing.TYPE_CHECKING:
          from ${ABSENT} import Thing
    `,
    expect: "type-checking",
  },
  {
    name: "else: of if TYPE_CHECKING (runs)",
    code: py`
      from typing import TYPE_CHECKING
      if TYPE_CHECKING:
          pass
      else:
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "if not TYPE_CHECKING (runs)",
    code: py`
      from typing import TYPE_CHECKING
      if not TYPE_CHECKING:
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: 'if __name__ == "__main__"',
    code: py`
      if __name__ == "__main__":
          import ${ABSENT}
    `,
    expect: "main",
  },
  {
    name: 'if "__main__" == __name__',
    code: py`
      if "__main__" == __name__:
          import ${ABSENT}
    `,
    expect: "main",
  },
  {
    name: 'else: of if __name__ == "__main__" (runs)',
    code: py`
      if __name__ == "__main__":
          pass
      else:
          import ${ABSENT}
    `,
    expect: "top",
  },

  // ---- sys.version_info ---------------------------------------------------------------------
  {
    name: "if sys.version_info >= (3, 8)",
    code: py`
      import sys
      if sys.version_info >= (3, 8):
          import ${ABSENT}
    `,
    expect: MAJOR > 3 || (MAJOR === 3 && MINOR >= 8) ? "top" : "dead",
  },
  {
    name: "if sys.version_info < (3, 0)",
    code: py`
      import sys
      if sys.version_info < (3, 0):
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "if (3, 0) > sys.version_info (reversed operands)",
    code: py`
      import sys
      if (3, 0) > sys.version_info:
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: `if sys.version_info[:2] == (${MAJOR}, ${MINOR}) (the real version)`,
    code: py`
      import sys
      if sys.version_info[:2] == (${MAJOR}, ${MINOR}):
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: `if sys.version_info >= (${MAJOR}, ${MINOR}, ${MICRO}) (real micro; longer tuple is greater)`,
    code: py`
      import sys
      if sys.version_info >= (${MAJOR}, ${MINOR}, ${MICRO}):
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: `if sys.version_info == (${MAJOR}, ${MINOR}, ${MICRO}) (false: version_info has 5 fields)`,
    code: py`
      import sys
      if sys.version_info == (${MAJOR}, ${MINOR}, ${MICRO}):
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "if sys.version_info.minor >= 99",
    code: py`
      import sys
      if sys.version_info.minor >= 99:
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "if sys.version_info[0] == 2",
    code: py`
      import sys
      if sys.version_info[0] == 2:
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "elif/else chain: else branch after two false tests",
    code: py`
      import sys
      if sys.version_info < (3, 0):
          pass
      elif sys.version_info.minor >= 99:
          pass
      else:
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "elif/else chain: else branch after a true test",
    code: py`
      import sys
      if sys.version_info >= (3, 0):
          pass
      else:
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "elif/else chain: taken elif",
    code: py`
      import sys
      if sys.version_info < (3, 0):
          pass
      elif sys.version_info[:2] == (${MAJOR}, ${MINOR}):
          import ${ABSENT}
      else:
          pass
    `,
    expect: "top",
  },
  {
    name: "elif/else chain: elif after a true test",
    code: py`
      import sys
      if sys.version_info >= (3, 0):
          pass
      elif sys.version_info[:2] == (${MAJOR}, ${MINOR}):
          import ${ABSENT}
    `,
    expect: "dead",
  },

  // ---- sys.platform / os.name ---------------------------------------------------------------
  {
    name: 'if sys.platform == "win32"',
    code: py`
      import sys
      if sys.platform == "win32":
          import ${ABSENT}
    `,
    expect: onPlatform("win32"),
  },
  {
    name: 'if sys.platform.startswith("linux")',
    code: py`
      import sys
      if sys.platform.startswith("linux"):
          import ${ABSENT}
    `,
    expect: onPlatformPrefix("linux"),
  },
  {
    name: `if sys.platform == "${TARGET.platform}" (the real platform)`,
    code: py`
      import sys
      if sys.platform == "${TARGET.platform}":
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: 'if os.name == "nt"',
    code: py`
      import os
      if os.name == "nt":
          import ${ABSENT}
    `,
    expect: onOsName("nt"),
  },
  {
    name: `if os.name != "${TARGET.osName}" (the real os.name)`,
    code: py`
      import os
      if os.name != "${TARGET.osName}":
          import ${ABSENT}
    `,
    expect: "dead",
  },

  // ---- and / or / constants -----------------------------------------------------------------
  {
    name: "TYPE_CHECKING or a true version test (runs)",
    code: py`
      import sys
      from typing import TYPE_CHECKING
      if TYPE_CHECKING or sys.version_info >= (3, 0):
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "false platform test and an undecidable one (short-circuits)",
    code: py`
      import os, sys
      if sys.platform == "snag-no-such-platform" and os.environ.get("SNAG_GUARD_ORACLE"):
          import ${ABSENT}
    `,
    expect: "dead",
  },
  {
    name: "true version test or an undecidable one",
    code: py`
      import os, sys
      if sys.version_info >= (3, 0) or os.environ.get("SNAG_GUARD_ORACLE"):
          import ${ABSENT}
    `,
    expect: "top",
  },
  {
    name: "not (false and true)",
    code: py`
      import os, sys
      if not (os.name == "snag-no-such-os" and sys.version_info >= (3, 0)):
          import ${ABSENT}
    `,
    expect: "top",
  },
  { name: "if False", code: py`if False:\n    import ${ABSENT}`, expect: "dead" },
  { name: "if 0", code: py`if 0:\n    import ${ABSENT}`, expect: "dead" },
  { name: "if None", code: py`if None:\n    import ${ABSENT}`, expect: "dead" },
  { name: "if 1", code: py`if 1:\n    import ${ABSENT}`, expect: "top" },
  { name: "else: of if False", code: py`if False:\n    pass\nelse:\n    import ${ABSENT}`, expect: "top" },
  {
    name: "if False inside try/except ImportError (never runs)",
    code: py`
      try:
          if False:
              import ${ABSENT}
      except ImportError:
          pass
    `,
    expect: "dead",
  },
  {
    name: "if TYPE_CHECKING inside a class body",
    code: py`
      from typing import TYPE_CHECKING
      class C:
          if TYPE_CHECKING:
              import ${ABSENT}
    `,
    expect: "type-checking",
  },

  // ---- undecidable conditions (no CPython comparison) ----------------------------------------
  {
    name: "if os.environ.get(...)",
    code: py`
      import os
      if os.environ.get("SNAG_GUARD_ORACLE"):
          import ${ABSENT}
    `,
    expect: "conditional",
    undecidable: true,
  },
  {
    name: "true version test and an undecidable one",
    code: py`
      import os, sys
      if sys.version_info >= (3, 0) and os.environ.get("SNAG_GUARD_ORACLE"):
          import ${ABSENT}
    `,
    expect: "conditional",
    undecidable: true,
  },
  {
    name: "else: of an undecidable test",
    code: py`
      import os
      if os.environ.get("SNAG_GUARD_ORACLE"):
          pass
      else:
          import ${ABSENT}
    `,
    expect: "conditional",
    undecidable: true,
  },

  // ---- loops and match: snag does not evaluate them (documented), CPython must not contradict a
  //      non-conditional answer should snag ever give one -----------------------------------------
  { name: "while False", code: py`while False:\n    import ${ABSENT}`, expect: ["conditional", "dead"] },
  { name: "for _ in []", code: py`for _ in []:\n    import ${ABSENT}`, expect: ["conditional", "dead"] },
  { name: "for _ in range(1) (runs)", code: py`for _ in range(1):\n    import ${ABSENT}`, expect: ["conditional", "top"] },
  { name: "else: of a for loop (runs after the loop)", code: py`for _ in []:\n    pass\nelse:\n    import ${ABSENT}`, expect: "top" },
  { name: "else: of a while loop (runs after the loop)", code: py`while False:\n    pass\nelse:\n    import ${ABSENT}`, expect: "top" },
  { name: "for-loop iterable expression (runs once)", code: py`for _ in __import__("${ABSENT}").items:\n    pass`, expect: "top" },
  {
    name: "match case (not taken)",
    code: py`
      import sys
      match sys.platform:
          case "snag-no-such-platform":
              import ${ABSENT}
    `,
    expect: ["conditional", "dead"],
    minPython: [3, 10],
  },
  {
    name: "match case (taken: wildcard)",
    code: py`
      match 1:
          case _:
              import ${ABSENT}
    `,
    expect: ["conditional", "top"],
    minPython: [3, 10],
  },
  {
    name: "match subject expression (runs)",
    code: py`
      match __import__("${ABSENT}"):
          case _:
              pass
    `,
    expect: "top",
    minPython: [3, 10],
  },

  // ---- expression-level laziness and conditions -----------------------------------------------
  {
    name: "generator expression body (lazy: never iterated)",
    code: py`g = (__import__("${ABSENT}") for _ in range(1))`,
    expect: "deferred",
  },
  {
    name: "conditional expression, branch not taken (version test)",
    code: py`
      import importlib, sys
      toml = importlib.import_module("tomllib") if sys.version_info >= (3, 0) else importlib.import_module("${ABSENT}")
    `,
    expect: "dead",
  },
  {
    name: "annotation under from __future__ import annotations (never evaluated)",
    code: py`
      from __future__ import annotations
      def f() -> __import__("${ABSENT}"):
          pass
    `,
    expect: ["dead", "type-checking"],
    bug:
      "with `from __future__ import annotations` (PEP 563) annotations are stored as strings and never evaluated, " +
      "but the dynamic-import fact inside the return annotation gets an empty context and snag says `top`",
  },
  {
    name: "suppress via an aliased contextlib module",
    code: py`
      import contextlib as cl
      with cl.suppress(ImportError):
          import ${ABSENT}
    `,
    expect: "caught",
    bug:
      "suppressedBy (context.ts) recognises only `suppress(...)` and `contextlib.suppress(...)` by spelling; " +
      "`import contextlib as cl; with cl.suppress(ImportError):` is a guard but snag says `top`",
  },
];

interface Observation {
  ran: boolean;
  escaped: boolean;
  error: string | null;
}

// Runs `import m` with the absent-name probe installed and writes the observation to argv[1].
const HARNESS = `
import json, sys, traceback
ABSENT = ${JSON.stringify(ABSENT)}
seen_lookups = []
class Probe:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name == ABSENT:
            seen_lookups.append(name)
        return None
sys.meta_path.insert(0, Probe)
result = {"ran": False, "escaped": False, "error": None}
try:
    import m
except BaseException as exc:
    import builtins
    group = getattr(builtins, "BaseExceptionGroup", None)
    stack, visited = [exc], set()
    while stack:
        e = stack.pop()
        if e is None or id(e) in visited:
            continue
        visited.add(id(e))
        if isinstance(e, ModuleNotFoundError) and e.name == ABSENT:
            result["escaped"] = True
        if group is not None and isinstance(e, group):
            stack.extend(e.exceptions)
        stack.extend([e.__cause__, e.__context__])
    result["error"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
result["ran"] = bool(seen_lookups)
with open(sys.argv[1], "w") as f:
    json.dump(result, f)
`;

function supported(c: Case): boolean {
  if (!c.minPython) return true;
  const [maj, min] = c.minPython;
  return MAJOR > maj || (MAJOR === maj && MINOR >= min);
}

function asList(e: Expected): GuardKind[] {
  return Array.isArray(e) ? e : [e];
}

/** Does a (non-conditional) guard kind describe what CPython did? */
function agrees(kind: GuardKind, obs: Observation): boolean {
  switch (kind) {
    case "top":
      return obs.ran && obs.escaped;
    case "caught":
      return obs.ran && !obs.escaped;
    case "conditional":
      return false;
    default:
      return !obs.ran;
  }
}

function snagGuard(code: string): GuardKind {
  const facts = extractPythonFacts(code);
  expect(facts.syntaxError).toBeUndefined();
  const imports = facts.imports.filter((i) => i.module === ABSENT);
  expect(imports).toHaveLength(1);
  return guardOf(imports[0]!.context, TARGET);
}

describe("guards agree with CPython", () => {
  let root: string;
  const observed = new Map<string, Observation>();
  const active = CASES.filter(supported);

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "snag-guards-")));
    const jobs = active
      .map((c, i) => ({ c, dir: join(root, `case${String(i).padStart(3, "0")}`) }))
      .filter(({ c }) => !c.undecidable);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const { c, dir } = jobs[next++]!;
        mkdirSync(dir);
        writeFileSync(join(dir, "m.py"), c.code);
        const out = join(dir, "result.json");
        await run(PYTHON, ["-s", "-c", HARNESS, out], {
          cwd: dir,
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONPATH: "", SNAG_GUARD_ORACLE: "" },
          timeout: 60_000,
        });
        observed.set(c.name, JSON.parse(readFileSync(out, "utf8")) as Observation);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("has unique case names", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  // The table itself: each expected answer must match CPython, and a snippet may fail to import only
  // because of the absent module (no NameError or SyntaxError from a badly written snippet).
  describe("table sanity (expected answers match CPython)", () => {
    for (const c of active.filter((c) => !c.undecidable)) {
      it(c.name, () => {
        const obs = observed.get(c.name)!;
        expect(obs).toBeDefined();
        if (obs.error !== null) expect(obs.escaped, `unexpected error: ${obs.error}`).toBe(true);
        for (const kind of asList(c.expect)) {
          if (kind !== "conditional") expect(agrees(kind, obs), `${kind} vs CPython ${JSON.stringify(obs)}`).toBe(true);
        }
      });
    }
  });

  describe("snag's guardOf", () => {
    for (const c of active) {
      const test = c.bug ? it.fails : it;
      test(c.name, () => {
        const kind = snagGuard(c.code);
        if (c.undecidable) {
          expect(kind).toBe("conditional");
          return;
        }
        const obs = observed.get(c.name)!;
        expect(asList(c.expect), `snag says ${kind}; CPython ${JSON.stringify(obs)}`).toContain(kind);
        if (kind !== "conditional") expect(agrees(kind, obs), `snag says ${kind}; CPython ${JSON.stringify(obs)}`).toBe(true);
      });
    }
  });
});
