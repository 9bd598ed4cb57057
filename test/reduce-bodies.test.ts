// Leaving function bodies out of tree-sitter's parse (reduce.ts) changes time, never results:
// CPython is the judge of every body snag vouches for, and the facts are the full parse's.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractPythonFacts } from "../src/parse/python/extract.js";
import { reduceFile, reduceSource } from "../src/parse/python/reduce.js";
import { simpleFacts } from "../src/parse/python/simple.js";
// @ts-expect-error plain JavaScript generator shared with the benchmark
import { generateRepo } from "../bench/generate.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { decodePythonSource } from "../src/parse/source.js";
import { python } from "./helpers/fixtures.js";
import { compiles } from "./helpers/oracle.js";

const STDLIB = python("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).trim();


/** A sorted, deterministic sample of the standard library's own sources (not its tests). */
function stdlibSample(every: number, maxBytes: number): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!/^(site-packages|test|tests|idle_test|lib2to3)$/.test(name)) walk(p);
      } else if (name.endsWith(".py") && st.size < maxBytes) out.push(p);
    }
  };
  walk(STDLIB);
  return out.filter((_, i) => i % every === 0);
}

function body(lines: string): string {
  return `def f(a, b):\n${lines.split("\n").map((l) => `    ${l}`).join("\n")}\n`;
}

/** Bodies CPython refuses, each for a reason beyond tree-sitter's grammar or one easy to miss. */
const REFUSED = [
  "break",
  "if a:\n    continue",
  "f(x=1, b)",
  "f(**a, *b)",
  "f(x=1, x=2)",
  "f(a for a in b, 1)",
  "def g(a, a):\n    pass",
  "def g(a=1, b):\n    pass",
  "def g(*, **k):\n    pass",
  "lambda a, a: 0",
  "x = *a",
  "*a = b",
  "for *a in b:\n    pass",
  "[(yield x) for x in a]",
  "{(yield): 1 for x in a}",
  "{(yield) for x in a}",
  "f((yield) for x in a)",
  "[*a for a in b]",
  "del f()",
  "f() = 1",
  "a + b = 1",
  "None = 1",
  "__debug__ = 1",
  "a, b += 1",
  "(a, b): int = 1",
  "x = b'caf\u00e9'",
  "x = 'a' b'b'",
  "x = 0777",
  "x = 1__0",
  "x = '\\x4'",
  "await a",
  "nonlocal a",
  "print a",
  "exec 'a'",
  "(*a)",
  "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass",
  "try:\n    pass",
  "return *a",
  "x = [a for a in b if a else b]",
  "if a: for b in c: pass",
  "x = 1 if a",
  "x = '\\U00110000'",
  "x = '\\u00e'",
  "x = '\\U0000004'",
];

/** Bodies CPython compiles that snag should vouch for (so the fast path is really taken). */
const ACCEPTED = [
  "total = a + 1\nreturn total * 2",
  "for x in range(3):\n    if x:\n        continue\n    break\nelse:\n    pass",
  "try:\n    a()\nexcept (ValueError, KeyError) as e:\n    raise RuntimeError('x') from e\nelse:\n    pass\nfinally:\n    b()",
  "with open(a) as f, open(b) as (g, h):\n    data = f.read()",
  "x = [i * 2 for i in a if i for j in b]\ny = {k: v for k, v in a.items()}\nz = {*a, *b}\nw = (i for i in a)",
  "def g(p, /, q, *args, r, s=1, **kw):\n    return lambda m, n=2, *o, **p: m",
  "a[1:2, ::3] = b.c[d] = e, *f = g",
  "x: int = 1\ny.z: str\nw += yield",
  "yield from a\nassert a, 'message'\ndel a, b[0], c.d",
  "return f(*a, b, c=1, *d, **e, g=2)",
  "x = not a and b or c is not d not in e < f <= g\ny = -a ** -b // c @ d",
  "s = 'a' 'b' r'\\d' \"\"\"doc\"\"\"\nb2 = b'x' rb'y'\nn = 0x1F + 0o7 + 0b1 + 1_000.5e-3j + .5 + 00",
  "@decorator.attr(1)\ndef g():\n    pass",
  "s = '\\u00e9\\U0001F600' u'\\uFFFF\\U0010ffff'",
];

/** Statements legal in some places only, or never: spliced into real bodies. */
const STATEMENTS = [
  "break", "continue", "return", "return *a", "yield x", "pass", "f(x=1, b)", "f(x=1, x=2)", "f(*a, b, c=1, **d)",
  "x = *a", "*a, b = c", "*a = b", "del f()", "del a", "[(yield) for x in a]", "lambda a, a: 0", "a, b += 1",
  "x = b'a' 'b'", "print x", "nonlocal a", "x = [i for i in a if i]", "try:", "else:", "for x in a: break",
];

describe("the body recognizer", () => {
  it("vouches for no body CPython refuses", () => {
    const sources = REFUSED.map(body);
    expect(compiles(sources), "every REFUSED body really is a SyntaxError").toEqual(sources.map(() => false));
    // What snag parses instead must still be refused: the error was not in a part it left out.
    expect(compiles(sources.map((s) => reduceSource(s) ?? s))).toEqual(sources.map(() => false));
    // All but the three bad nested-def headers are refused by the recognizer itself; those three
    // keep their header in the text tree-sitter reads (only their `pass` body is vouched for).
    expect(sources.filter((s) => reduceSource(s) !== undefined).length).toBe(3);
  });

  it("vouches for the common bodies CPython compiles", () => {
    const sources = ACCEPTED.map(body);
    expect(compiles(sources)).toEqual(sources.map(() => true));
    for (const s of sources) expect(reduceSource(s), s).toBe("def f():pass" + "\n".repeat(s.split("\n").length - 1));
  });

  it("never hides an error CPython finds in seeded token edits of the standard library", () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const palette = ["(", ")", "[", "]", ":", ",", "=", "*", "**", "lambda", "yield", "return", "for", "in", "if", "else", "not", "*a", "b=1", "x", "1", "'s'", "b's'", ".", "break", "continue", "del", "pass", "\n", "\n    ", "+=", "->", "@", "None", "try:", "except:", "with", "as", "0777", "'\\x4'", "{", "}", "!r", "=}", "f'{x}'", "f\"{a:{b}}\""];
    const mutants: string[] = [];
    const reduced: string[] = [];
    const labels: string[] = [];
    for (const file of stdlibSample(3, 30_000).slice(0, 800)) {
      const text = readFileSync(file, "utf8");
      for (let m = 0; m < 8; m++) {
        const at = rand(text.length);
        const end = at + rand(4);
        const edit = rand(3) === 0 ? "" : (palette[rand(palette.length)] as string);
        // Half the edits are character damage; half put a whole statement (legal in some places
        // only, like `break`) on an indented line, where bodies are.
        let mutant = text.slice(0, at) + edit + text.slice(end);
        if (m % 2 === 1) {
          const lines = text.split("\n");
          const indented = lines.flatMap((l, i) => (/^ +\S/.test(l) ? [i] : []));
          if (indented.length === 0) continue;
          const i = indented[rand(indented.length)] as number;
          const indent = /^ */.exec(lines[i] as string)![0];
          lines.splice(i, 0, indent + (STATEMENTS[rand(STATEMENTS.length)] as string));
          mutant = lines.join("\n");
        }
        const r = reduceSource(mutant);
        if (r === undefined) continue;
        mutants.push(mutant);
        reduced.push(r);
        labels.push(`${file} edit ${m}`);
      }
    }
    const [before, after] = [compiles(mutants), compiles(reduced)];
    const hidden = labels.filter((_, i) => !before[i] && after[i]);
    expect(hidden).toEqual([]);
    // The edits must reach bodies snag then refuses to leave out, or the check proves nothing.
    expect(mutants.length).toBeGreaterThan(1000);
    expect(before.filter((ok) => !ok).length).toBeGreaterThan(150);
  });
});

describe("a reduced parse", () => {
  it("keeps every line and column, and gives the full parse's facts on a sample of the standard library", () => {
    let reducedFiles = 0;
    for (const file of stdlibSample(9, 200_000)) {
      const decoded = decodePythonSource(readFileSync(file));
      if (!decoded.ok) continue;
      const r = reduceSource(decoded.text);
      if (r !== undefined) {
        reducedFiles++;
        expect(r.split("\n").length, file).toBe(decoded.text.split("\n").length);
        expect(r.length, file).toBeLessThanOrEqual(decoded.text.length);
      }
      expect(extractPythonFacts(decoded.text, decoded.encoding, { reduce: true }), file).toEqual(extractPythonFacts(decoded.text, decoded.encoding));
    }
    expect(reducedFiles).toBeGreaterThan(50);
  });

  it("leaves out whole class bodies of plain methods, and keeps what can bind or import", () => {
    const text = [
      "from __future__ import annotations",
      "class A(Base):",
      '    """Doc."""',
      "    def m(self, x: int) -> int:",
      "        return x",
      "def g(x=1):",
      "    return x",
      "def h():",
      "    import json",
      "    return json",
      "",
    ].join("\n");
    expect(reduceSource(text)).toBe(
      ["from __future__ import annotations", "class A(Base):", "    pass", "", "", "def g(x=1):", "    pass", "def h():", "    import json", "    pass", ""].join("\n"),
    );
  });

  it("leaves out each run of a body's statements that cannot matter, and keeps the others whole", () => {
    const text = [
      "def f(x):",
      '    """Doc."""',
      "    import numpy as np",
      "    y = np.array(x)",
      "    for i in y:",
      "        print(i)",
      "    try:",
      "        import scipy",
      "    except ImportError:",
      "        scipy = None",
      "    @wrap",
      "    def inner():",
      "        return 1",
      "    return y",
      "def g():",
      "    import a",
      "    break",
      "    return a",
      "",
    ].join("\n");
    const reduced = reduceSource(text)!;
    expect(reduced).toBe(
      [
        "def f(x):", "    pass", "    import numpy as np", "    pass", "", "", "    try:", "        import scipy", "    except ImportError:",
        "        scipy = None", "    pass", "", "", "", "def g():", "    import a", "    break", "    pass", "",
      ].join("\n"),
    );
    // `break` outside a loop is CPython's to refuse, and stays where it can.
    expect(compiles([text, reduced])).toEqual([false, false]);
    const valid = text.replace("    break\n", "    pass\n");
    expect(compiles([valid, reduceSource(valid)!])).toEqual([true, true]);
    expect(extractPythonFacts(valid, "utf-8", { reduce: true })).toEqual(extractPythonFacts(valid, "utf-8", { exhaustive: true }));
  });
});

/** Every CPython here from 3.6 on (pyenv installs), or python3 alone: f-strings changed in 3.8 and 3.12. */
const INTERPRETERS = (() => {
  const pyenv = join(process.env.PYENV_ROOT ?? join(process.env.HOME ?? "/root", ".pyenv"), "versions");
  const found = (existsSync(pyenv) ? readdirSync(pyenv) : [])
    .filter((d) => /^3\.([6-9]|1\d)\.\d+$/.test(d))
    .map((d) => join(pyenv, d, "bin", "python"))
    .filter((exe) => existsSync(exe));
  return found.length > 0 ? found : ["python3"];
})();

/** Does every interpreter's compile() accept each source. */
function compilesEverywhere(sources: string[]): boolean[] {
  const verdicts = INTERPRETERS.map((exe) => compiles(sources, exe));
  return sources.map((_, i) => verdicts.every((v) => v[i]));
}

/** f-strings common in bodies, which every CPython from 3.6 on compiles: snag must leave their bodies out. */
const FSTRINGS_VOUCHED = [
  String.raw`f"{a}"`, String.raw`f"{a!r}"`, String.raw`f"{a:>10}"`, String.raw`f"{a!r:>10}"`, String.raw`f"{a:{w}}"`,
  String.raw`f"{a:{w}.{p}}"`, String.raw`f"{d['k']}"`, String.raw`f'{d["k"]}'`, String.raw`f"{a + b * 2}"`,
  String.raw`f"{a.b(c, d=1)}"`, String.raw`f"{ a }"`, String.raw`f"{a if b else c}"`, String.raw`f"{a!=b}" f"{a<=b}" f"{a==b}"`,
  String.raw`f"{{}}{a}"`, String.raw`f"{a}" "b" f"c{d}"`, String.raw`"b" f"{a}"`, String.raw`f"{a}\n"`, 'f"""{a}\n{b}"""',
  String.raw`F"{a}"`, String.raw`rf"{a}"`, String.raw`f"{type(self).__name__}: {a:%Y-%m}"`, String.raw`f"{[1, 2][0]}"`,
  String.raw`f"{ {1: 2}[1] }"`, String.raw`f"{a:=^10}"`, String.raw`f"{not a}"`, String.raw`f"{''}"`, String.raw`f"{a:{b!r}}"`,
  String.raw`f"{a:{b}{c}}"`, String.raw`f"{a!r:}"`, String.raw`f"{a:!r}"`, String.raw`f"{1_0}"`, String.raw`f"{b'a'}"`,
  String.raw`f"{'a' 'b'}"`, String.raw`f"{a:{'x'}}"`,
];
/** f-strings at the edges: some compile in every version, some in none, some only from 3.8 or 3.12 on. */
const FSTRING_EDGES = [
  String.raw`f"{}"`, String.raw`f"{ }"`, String.raw`f"{a=}"`, String.raw`f"{a!x}"`, String.raw`f"{a!r }"`, String.raw`f"{a#}"`,
  String.raw`f"{a:{b:{c}}}"`, String.raw`f"{lambda: 1}"`, String.raw`f"{yield}"`, String.raw`f"{*a}"`, String.raw`f"{a, b}"`,
  String.raw`f"{x:=1}"`, String.raw`f"{(x:=1)}"`, String.raw`f"{a}}"`, String.raw`f"}"`, String.raw`f"{a['}']}"`,
  String.raw`f"{a[':']}"`, String.raw`f"{a['#']}"`, String.raw`f"{a b}"`, String.raw`f"{a}" b"x"`, String.raw`f"{{1: 2}[1]}"`,
  String.raw`f"{a!}"`, 'f"{a\tb}"', String.raw`f"{a:{b}}}"`, String.raw`f"{f'{a}'}"`, String.raw`f"{'''a'''}"`,
  String.raw`f"{x["a"]}"`, String.raw`f"{0777}"`, String.raw`f"{a:{}}"`, String.raw`f"{a:\x41}"`, String.raw`f"{\'a\'}"`,
  String.raw`f"{a}}}"`, String.raw`fr"{a}\d"`, String.raw`f"{__import__('os')}"`, String.raw`f"{a:{ }}"`, String.raw`f"{\N{DASH}}"`,
  String.raw`f"\N{EM DASH}{a}"`, String.raw`f"{a!r=}"`, String.raw`f"{a:{b}=}"`, String.raw`f'{a["""b"""]}'`,
];

describe("bodies with f-strings and attribute names", () => {
  const fBody = (expr: string) => `def f(a, b):\n    x = ${expr}\n    return x\n`;
  const left = (s: string) => reduceSource(s)?.startsWith("def f():pass") === true;

  it("are left out only when every CPython from 3.6 on compiles their fields, and always for the common forms", () => {
    const vouched = FSTRINGS_VOUCHED.map(fBody);
    const edges = FSTRING_EDGES.map(fBody);
    const [vouchedOk, edgesOk] = [compilesEverywhere(vouched), compilesEverywhere(edges)];
    expect(vouched.filter((_, i) => !vouchedOk[i]), "every common form compiles everywhere").toEqual([]);
    expect(vouched.filter((s) => !left(s)), "and its body is left out").toEqual([]);
    expect(edges.filter((s, i) => left(s) && !edgesOk[i]), "no body left out that some version refuses").toEqual([]);
    // The edges include bodies refused somewhere, or the check proves nothing.
    expect(edgesOk.filter((ok) => !ok).length).toBeGreaterThan(15);
  });

  it("are left out when a name that matters only bare is an attribute, with the full parse's facts", () => {
    const text = [
      "import sys",
      "def a(cls):",
      "    return cls.__name__, type(cls) . __name__",
      "def b(monkeypatch):",
      '    monkeypatch.setattr(sys, "x", 1)',
      "def c(df, obj):",
      '    return df.eval("x"), obj.globals, obj.vars(), obj.locals, obj.exec(), sys.modules',
      "def d(self):",
      '    return f"{type(self).__name__}: {self.value!r:>10}"',
      "def e():",
      '    setattr(sys.modules[__name__], "x", 1)',
      "def g():",
      '    return eval("1")',
      "def h():",
      "    return f\"{__import__('os')}\"",
      "def i(log):",
      "    return log.getLogger(__name__)",
      "",
    ].join("\n");
    const reduced = reduceSource(text)!.split("\n");
    for (const name of ["a", "b", "c", "d"]) expect(reduced, name).toContain(`def ${name}():pass`);
    for (const name of ["e", "g", "h", "i"]) expect(reduced.some((l) => l.startsWith(`def ${name}(`) && !l.includes("pass")), name).toBe(true);
    expect(extractPythonFacts(text, "utf-8", { reduce: true })).toEqual(extractPythonFacts(text, "utf-8", { exhaustive: true }));
    expect(extractPythonFacts(text, "utf-8").dynamicNamespace).toBe(true);
  });
});

/** Modules at the edge of what simple.ts reads without tree-sitter. */
const SIMPLE_EDGES = [
  "from __future__ import annotations\nimport os, sys as system\nfrom . import a\nfrom ..b.c import (d, e as f,)\nfrom ... import g\nfrom .... import h\n",
  "import typing\nif TYPE_CHECKING:\n    import x\n",
  "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import B\nclass C(B):\n    pass\n",
  "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import B\n    import c.d as e\nimport f\n",
  "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\nelse:\n    import b\n",
  "class A(object, Exception,):\n    '''doc'''\n    def f(self):\n        return 1\n",
  "import a.b as c\nclass D(c . E):\n    ...\nclass F(D, a):\n    pass\n",
  "def __getattr__(name):\n    return name\n",
  "def f(x=1):\n    return x\n",
  "@decorator\ndef f():\n    return 1\n",
  '"""doc"""\nfrom __future__ import annotations\n',
  '"a" "b"\nfrom __future__ import annotations\n',
  "import os\nfrom __future__ import annotations\n",
  "from __future__ import braces\n",
  "from __future__ import nonsense\n",
  "x = 1\n",
  '"a" b"b"\n',
  "from a import *\n",
  "from .a import *\nfrom . import *\nfrom .. b import *\n",
  "from a import *\nx = y\n",
  "from a import *\nimport b\nx = b\n",
  "from a import \\\n  *\n",
  "from a import *, b\n",
  "from a import (*)\n",
  "from a import * as b\n",
  "from __future__ import *\n",
  "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from a import *\n",
  "class A:\n    from a import *\n",
  "def f():\n    from a import *\n",
  "try:\n    import a\nexcept ImportError:\n    a = None\n",
  "try:\n    from a import b\nexcept (ImportError, AttributeError) as e:\n    from c import b\nelse:\n    d = b\n",
  "import sys\ntry:\n    import a\nexcept ImportError:\n    sys.exit(1)\n",
  "try:\n    import a\nexcept:\n    pass\nexcept ImportError:\n    pass\n",
  "try:\n    import a\nexcept ImportError:\n    pass\nfinally:\n    pass\n",
  "try:\n    import a\nexcept builtins.ImportError:\n    a = undefined_name\n",
  "try:\n    x = undefined_name\nexcept NameError:\n    x = 1\n",
  "try:\n    import a\nexcept (ImportError,\n        AttributeError):\n    pass\n",
  "try:\n    import a\nexcept (ImportError,  AttributeError, ):\n    pass\nprint(a)\n",
  "try:\n    import a\nexcept (ImportError):\n    pass\n",
  "try:\n    import a\nexcept ImportError as e:\n    pass\nx = e\n",
  "try:\n    import a\nexcept* ImportError:\n    pass\n",
  "try: import a\nexcept ImportError: pass\n",
  "try:\n    __all__ = ['a']\nexcept ImportError:\n    __all__ = []\n",
  "try:\n    from __future__ import annotations\nexcept ImportError:\n    pass\n",
  "try:\n    import a\nexcept ImportError:\n    raise\n",
  "import pytest\ntry:\n    import a\nexcept ImportError:\n    pytest.skip('x')\n",
  "import warnings\ntry:\n    import a\nexcept ImportError:\n    warnings.warn('x')\n",
  "try:\n    pass\nexcept:\n    pass\nelse:\n    import a\n",
  "try:\n    import a\nexcept ImportError:\n    pass\nexcept:\n    b = 1\nelse:\n    pass\nc = b\n",
  "try:\n    import a.b as c\n    from . import d\nexcept ModuleNotFoundError:\n    c = d = None\n",
  "try:\n    from a import *\nexcept ImportError:\n    pass\n",
  "try:\n    import a\nexcept ImportError:\n    pass\nelse:\n    pass\nelse:\n    pass\n",
  "try:\n    import a\n",
  "try:\n    import a\nexcept ImportError:\n    b: int = a\n    c: int\n",
  "def f():\n    try:\n        import a\n    except ImportError:\n        a = None\n    return a\n",
  "class A:\n    try:\n        import a\n    except ImportError:\n        pass\n",
  "try:\n    import a\nexcept ImportError:\n    import b as a\n    a.x(1)\nexcept a.Error:\n    pass\n",
  "import typing\nif typing.TYPE_CHECKING:\n    import x\n",
  "import typing as t\nif t.TYPE_CHECKING:\n    from a import b\nc = 1\n",
  "if typing.TYPE_CHECKING:\n    import x\n",
  "import a\nif a.b.TYPE_CHECKING:\n    import x\n",
  "import a\nif a.TYPE_CHECKING.b:\n    import x\n",
  "import a\nif a . TYPE_CHECKING :\n    import x\n",
  "x = '\\u00e9\\U0001F600'\ny = b'\\u00e9'\nz = '\\N{BULLET}'\n",
  "x = '\\U00110000'\n",
  "x = '\\u00e'\n",
  "x = '\\u00e9\\U0001F600'\n",
  "def f():\n    return '\\u00e9'\n",
  "def f():\n    return b'\\u00e9'\n",
  "def f():\n    return '\\U0011ffff'\n",
  "def f():\n    import a\n    return f'\\u007b{a}'\n",
  "import f\nprint>>f, 1\n",
  "print 'x'\n",
  "print'x'\n",
  "print\n",
  "import a\nprint (a)\nprint(a, file=a)\n",
  "if __name__ == '__main__':\n    print(__name__)\n",
  "import logging\nlogger = logging.getLogger(__name__)\nlog = logging.getLogger(name=__name__)\n",
  "import enum\nX = enum.IntEnum._convert_('X', __name__, source=1)\n",
  "import sys\nm = sys.modules[__name__]\n",
  "x = __name__\ny = __name__.split('.')[0]\nz = (__name__, 1)\n",
  "w = {__name__: 1, 'a': __name__}\nv = [__name__]\n",
  "class A:\n    n = __name__\n",
  "import a\nx = a.b.c(__name__)\n",
  "import a\nx = a.getLogger(__name__).getChild(__name__)\n",
  "x = not (__name__)\ny = 1 if (__name__) else 2\n",
  "print(__name__)\nprint('a', __name__, sep='')\n",
  "x = str(__name__) + repr(__name__)\n",
  "import a\nx = a(__name__)\n",
  "x = 'a'(__name__)\n",
  "import a\n@a.Flask(__name__)\ndef f():\n    return 1\n",
  "import a\nx = a.f(*__name__)\ny = a.f(x=__name__ + 'b')\n",
  "import a\nx = a.b(1)(__name__)\n",
  "import obj\nx = type(1).__name__\ny = obj.eval(1)\nz = obj.setattr\nw = obj.globals\n",
  "import pytest\nx = pytest.mark.slow\n",
  "import importlib\nm = importlib.import_module('a')\n",
  "match = 1\ncase = match\ntype = case\nprint = type\n",
  "x = type(1)\ny = print\n",
  "x = eval('1')\n",
  "import a\nx = a.f_globals\n",
  "import a\nx = a.get(__name__=1)\n",
  "import os\ndef f():\n    import json\n    return json.dumps(os.sep)\n",
  "class A:\n    def m(self):\n        from . import b\n        return b\n",
  "def f(x=1):\n    '''doc'''\n    y = x\n    import a.b as c, d\n    if y:\n        return c\n    from .e import (g,\n        h)\n    return g\n",
  "def f():\n    import a\n",
  "def f():\n    pass\n    import a\n",
  "def f():\n    from __future__ import annotations\n",
  "def f():\n    try:\n        import a\n    except ImportError:\n        a = None\n    return a\n",
  "def f():\n    global a\n    import a\n",
  "import functools\n@functools.lru_cache()\ndef f():\n    import a\n    return a\n",
  "def f():\n    def g():\n        import a\n    return g\n",
  "def f(x):\n    for i in x:\n        if i:\n            break\n    import a\n    while x:\n        x -= 1\n",
  "def f():\n    import a, \\\n        b\n    return a\n",
  "async def f():\n    import a\n",
  "def f():\n    import a; import b\n",
  "def f(): import a\n",
  "class A:\n    @staticmethod\n    def m():\n        import a\n        return a\n",
  "X = 1\ndef f(a=X, *, b: int = 2) -> int:\n    import a\n    return a\n",
  "def f():\n    import a\n    x = = 1\n",
  "def f():\n    import a\n    break\n",
  "def f():\n    import a\n    return 1\n    yield\n    import b\n",
  "from dataclasses import dataclass\n@dataclass\nclass A:\n    x: int = 1\n    def m(self):\n        import a\n",
  "class A:\n    def m(self):\n        import a\nclass B(A):\n    def n(self):\n        x = 1\n        from b import c as d\n        return d\n",
  "import a\n\n\n",
  "",
  "# only a comment\n",
  "import a \\\n  .b\n",
  "from a import (b,\n  c)\n",
  "from a import b,\n",
  "class A:\n    pass\nclass B(A):\n    pass\n",
  "class A(B):\n    pass\n",
  "class A(metaclass=M):\n    pass\n",
  "import a\r\nimport b\r\n",
  "import a; import b\n",
  "from a import b as c, d\nclass E(c, d, int):\n    def g(self) -> c:\n        return self\n",
  "import os\nX = os.path.join('a', 'b')\n",
  "X = 1\nY = X + 2\nX = Y * X\n",
  "Y = X\n",
  "X = [1, 2]\nZ = {X: (3,), 'k': -X, **{}}\n",
  "import f\nX = f(a=1, *b)\n",
  "import f\nX = f(1, k=f, *f, **f)[0].y\n",
  "__all__ = ['a']\n",
  "pytest_plugins = ['a']\n",
  "X = lambda: 1\n",
  "X = [i for i in range(3)]\n",
  "X = (y := 1)\n",
  "X = Y = 1\n",
  "X = 1, 2\n",
  "X: int = 1\n",
  "import logging\nlog = logging.getLogger(__name__)\n",
  "X = print\n",
  "X = 1 if True else None\n",
  "X = f'{1}'\n",
  "X = 'a' b'b'\n",
  "X = 1; Y = 2\n",
  "X = (1 +\n     2)\n",
  "from __future__ import annotations\nX = 1\n",
  "X = 1\nfrom __future__ import annotations\n",
  "X = object\nclass A(X):\n    pass\n",
  "import a\nX = a.mark\nY = a.modules\n",
  "X = __doc__\nY = __file__\n",
  "X = not 1 in [] is None\n",
  "X = 1 +\n",
  "def f(x=1, *a, y: int = 2, **k) -> str:\n    return x\n",
  "from __future__ import annotations\ndef f(x: Undefined = 1) -> Nope:\n    return x\n",
  "def f(x: Undefined = 1):\n    return x\n",
  "def f(x=undefined_name):\n    return x\n",
  "def f(a, /, b, *, c=len):\n    return a\n",
  "import functools\n@functools.lru_cache(maxsize=None)\ndef f():\n    return 1\n",
  "@undefined\ndef f():\n    return 1\n",
  "import a\n@a.b.c\n@a\ndef f(x=1):\n    return x\n",
  "import pytest\n@pytest.mark.slow\ndef test_a():\n    pass\n",
  "def f(x=1):\n    y = 2\n    import os\n    return os\n",
  "def f():\n    y = 2\n    import os\n    return os\n",
  "def f(x=lambda: 1):\n    return x\n",
  "def f(x=[i for i in y]):\n    pass\n",
  "@a[0]\ndef f():\n    pass\n",
  "def f(x=1, y):\n    pass\n",
  "def f(*, x, **k):\n    pass\ndef g(x=f(1)[0], y=(1, 2)) -> f:\n    return x\n",
  "import a\n@a\nclass B:\n    pass\n",
  "__all__ = ['a', \"b\",\n    # comment\n    'c',\n]\n",
  "__all__ = ('a')\n",
  "__all__ = ('a',)\n__all__ = []\n",
  "__all__ = ()\n",
  "__all__ = ['']\n",
  "__all__ = [u'a']\n",
  "__all__ = ['a\\n']\n",
  "__all__ = ['a' 'b']\n",
  "__all__ = ['a'] + ['b']\n",
  "__all__ = {'a'}\n",
  "__all__ = [\"\"\"a\"\"\"]\n",
  "__all__ = ([])\n",
  "import a\n__all__ = a.__all__\n",
  "x: int = 1\ny: 'str'\nz: list[int]\n",
  "x: Undefined = 1\n",
  "from __future__ import annotations\nx: Undefined = 1\n",
  "__all__: list = ['a']\n",
  "x: int = 1, 2\n",
  "from typing import Annotated\nx: Annotated[int, len(default=1)] = 2\n",
  "class A:\n    x = 1\n    y: int = x + 1\n    z: str\n    def m(self, a=y) -> int:\n        return a\n",
  "class A:\n    '''Doc.'''\n    @property\n    def x(self):\n        return 1\n    @x.setter\n    def x(self, v):\n        pass\n",
  "class A:\n    y = z\n",
  "class A:\n    z: B\n",
  "class A:\n    a = A\n",
  "class A:\n    import os\n",
  "class A:\n    class B:\n        pass\n",
  "class A:\n    def m(self):\n        x = 1\n        import os\n",
  "class A:\n    __all__ = 1\n    pytest_plugins = ['x']\n    def __getattr__(self, n):\n        return n\n",
  "class A:\n    x = 1\ny = x\n",
  "import pytest\nclass TestA:\n    pytestmark = pytest.mark.slow\n",
  "class A:\n    f'{x}'\n",
  "class A:\n    pass\n    ...\n    'doc'\n",
  "from typing import Generic, TypeVar\nT = TypeVar('T')\nclass A(Generic[T]):\n    pass\n",
  "import typing\nclass A(typing.Dict[str, int], object):\n    x: int = 1\n",
  "class A(Generic[T]):\n    pass\n",
  "class A(list[int], dict [str,\n    int]):\n    pass\n",
  "class A(list[]):\n    pass\n",
  "from dataclasses import dataclass\n@dataclass\nclass A:\n    x: int = 0\n",
  "from dataclasses import dataclass\n@dataclass(frozen=True)\nclass A(object):\n    x: int\n    def m(self, y=1):\n        return y\n",
  "@undefined\nclass A:\n    pass\n",
  "from dataclasses import dataclass\nclass A:\n    @dataclass\n    class B:\n        pass\n",
  "import unittest\nclass T(unittest.TestCase):\n    def test_a(self):\n        pass\nif __name__ == '__main__':\n    unittest.main()\n",
  "import sys\ndef main():\n    return 0\nif __name__ == \"__main__\":\n    pass\n    sys.exit(main())\n",
  "if __name__ == '__main__':\n    main()\n",
  "if __name__ == '__main__':\n    import sys\n",
  "if __name__ == '__main__':\n    x = 1\n",
  "if __name__ == '__main__':\n    raise SystemExit\n",
  "if __name__ == '__main__':\n    pass\nelse:\n    pass\n",
  "if __name__ != '__main__':\n    pass\n",
  "if '__main__' == __name__:\n    pass\n",
  "import logging\nlogging.basicConfig(level=logging.INFO)\nlogging.info('x', 1)\n",
  "register(1)\n",
  "__all__ = []\n__all__.extend(['a'])\n",
  "__all__ = []\n__all__.append('a')\n",
  "import a\na.b = 1\n",
  "import a\na[0] = 1\n",
  "import a\na += 1\n",
  "import a\na.b(c=1)(2)\n",
  "import a\nprint(a)\n",
  "import a\na\n",
];

describe("simple modules read off the tokens", () => {
  it("give the full parse's facts at every edge of the simple forms", () => {
    let simple = 0;
    for (const text of SIMPLE_EDGES) {
      const r = reduceFile(text);
      if (r && simpleFacts(r, text, "utf-8")) simple++;
      expect(extractPythonFacts(text, "utf-8", { reduce: true }), JSON.stringify(text)).toEqual(extractPythonFacts(text, "utf-8", { exhaustive: true }));
    }
    // Both sides of the edge are exercised.
    expect(simple).toBeGreaterThan(10);
    expect(simple).toBeLessThan(SIMPLE_EDGES.length - 10);
  });

  it("take every module, __init__ and test file of a generated repository, with the full parse's facts", () => {
    const root = mkdtempSync(join(tmpdir(), "snag-simple-"));
    generateRepo(root, 120, { brokenEvery: 7 });
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith(".py")) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(120);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(simpleFacts(reduceFile(text)!, text, "utf-8"), file).toBeDefined();
      expect(extractPythonFacts(text, "utf-8", { reduce: true }), file).toEqual(extractPythonFacts(text, "utf-8", { exhaustive: true }));
    }
  });
});
