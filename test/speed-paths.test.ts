// The fast paths change time, never results: gated queries and the layout scan against the
// exhaustive extractor, worker threads against one thread, the facts cache against a cold parse.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { openCacheDir } from "../src/cache/dir.js";
import { FactsCache } from "../src/cache/facts-cache.js";
import { diagnostic } from "../src/model/diagnostic.js";
import { parseBytes } from "../src/parse/index.js";
import { extractPythonFacts } from "../src/parse/python/extract.js";
import { NONE } from "../src/parse/python/facts.js";
import { batchFromText, batchText, fromWire, toWire } from "../src/parse/wire.js";
import { layoutMaybeWrong, scanLayout } from "../src/parse/python/layout.js";
import { badArguments } from "../src/parse/python/arguments.js";
import { misplacedStatement } from "../src/parse/python/misplaced.js";
import { badTarget } from "../src/parse/python/targets.js";
import { badDeclaration } from "../src/parse/python/declarations.js";
import { badLiteral, namedEscapes } from "../src/parse/python/literal-forms.js";
import { badStatementForm } from "../src/parse/python/statement-forms.js";
import { tokenize, type Tokens } from "../src/parse/python/tokens.js";
import { versionSensitive } from "../src/parse/python/version-sensitive.js";
import { scan } from "../src/pipeline/scan.js";
import { buildGraph } from "../src/graph/build.js";
import { findCycles } from "../src/graph/cycles.js";
import { resolveProject } from "../src/resolve/resolve.js";
import { checkToJson } from "../src/report/check-json.js";
// @ts-expect-error plain JavaScript generator shared with the benchmark
import { generateRepo } from "../bench/generate.js";
import { compiles } from "./helpers/oracle.js";
import { FIXTURES } from "./helpers/fixtures.js";

/**
 * A token check that sends files to the compiler says yes to every `refused` text and no to every
 * `right` one, and CPython agrees: it refuses each refused text but the last `liberal` ones (forms
 * the tokens cannot tell from a refused one) and compiles each right one.
 */
function heldToCPython(check: (t: Tokens, text: string) => boolean, refused: string[], right: string[], liberal = 0): void {
  for (const text of refused) expect(check(tokenize(text)!, text), text).toBe(true);
  for (const text of right) expect(check(tokenize(text)!, text), text).toBe(false);
  expect(compiles(refused)).toEqual(refused.map((_, i) => i >= refused.length - liberal));
  expect(compiles(right)).toEqual(right.map(() => true));
}

function* pyFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* pyFiles(p);
    else if (e.isFile() && e.name.endsWith(".py")) yield p;
  }
}

describe("fast extraction equals exhaustive extraction", () => {
  const files = [...pyFiles(FIXTURES)];
  it("on every fixture file and on seeded mutations of them", () => {
    expect(files.length).toBeGreaterThan(50);
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const variants = [text];
      // Indentation and bracket damage: what the layout scan must not wave through.
      for (let k = 0; k < 4 && text.length > 0; k++) {
        const at = rand(text.length);
        const edit = [" ", "\n", "    ", "(", ":", "\t", '"""'][rand(7)] as string;
        variants.push(text.slice(0, at) + edit + text.slice(at + (rand(2) ? 1 : 0)));
      }
      for (const v of variants) {
        const exhaustive = extractPythonFacts(v, "utf-8", { exhaustive: true });
        expect(extractPythonFacts(v, "utf-8", { reduce: true }), file).toEqual(exhaustive);
        // With the tokens, as parseBytes gives them: patterns are then gated on the file's names.
        const tokens = tokenize(v);
        if (tokens) expect(extractPythonFacts(v, "utf-8", { reduce: true, tokens }), file).toEqual(exhaustive);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(files.length * 4);
  });

  it("with more combinations of the words patterns need than queries compiled, each file's facts are still exhaustive extraction's", () => {
    // Each snippet satisfies a pattern that needs a word; every subset of them is a combination.
    const snippets = [
      'import importlib\nm = importlib.import_module("json")\n',
      "import pytest\n\n@pytest.mark.slow\ndef test_a():\n    pass\n",
      'def pytest_configure(config):\n    config.addinivalue_line("markers", "slow: x")\n',
      'globals()["g"] = 1\n',
      "import sys\nsys.modules[__name__].y = 2\n",
      'exec("z = 1")\nprint(q)\n',
      'import inspect\ninspect.currentframe().f_globals["w"] = 1\n',
    ];
    let compared = 0;
    for (let mask = 0; mask < 1 << snippets.length; mask++) {
      const text = snippets.filter((_, i) => mask & (1 << i)).join("\n") + "print(undefined_name)\n";
      const exhaustive = extractPythonFacts(text, "utf-8", { exhaustive: true });
      expect(extractPythonFacts(text, "utf-8", { reduce: true }), text).toEqual(exhaustive);
      expect(extractPythonFacts(text, "utf-8", { reduce: true, tokens: tokenize(text)! }), text).toEqual(exhaustive);
      compared++;
    }
    expect(compared).toBe(128);
  });

  it("patterns gated on the file's names still run where the name is only in an f-string's fields, and not where it is only in prose", () => {
    const inFields = [
      "x = f\"{eval('1')}\"\nprint(undefined_name)\n",
      "x = f\"{vars()}\"\nprint(undefined_name)\n",
      "import pytest\nparams = [pytest.param(1, marks=f\"{pytest.mark.slow}\")]\n",
      "import sys\ns = f\"{sys.modules[__name__]}\"\n",
      "import logging\nlog = f\"{logging.getLogger(__name__)}\"\nprint(undefined_name)\n",
    ];
    const inProse = ['"""Call eval() or vars(), mark it, read f_globals."""\n# globals()[k] = v; pytest.mark.slow\nprint(undefined_name)\n'];
    for (const text of [...inFields, ...inProse]) {
      const exhaustive = extractPythonFacts(text, "utf-8", { exhaustive: true });
      expect(extractPythonFacts(text, "utf-8", { reduce: true, tokens: tokenize(text)! }), text).toEqual(exhaustive);
    }
  });

  it("the layout scan flags what CPython rejects for indentation", () => {
    expect(layoutMaybeWrong("def f():\n    return 1\n")).toBe(false);
    expect(layoutMaybeWrong("x = (1,\n        2)\nif x:\n    pass\n")).toBe(false);
    expect(layoutMaybeWrong('s = """\n  text\n"""\n')).toBe(false);
    expect(layoutMaybeWrong("def f():\n# only a comment\nx = 1\n")).toBe(true);
    expect(layoutMaybeWrong("x = 1\n    y = 2\n")).toBe(true);
    expect(layoutMaybeWrong("if x:\n        a\n    b\n")).toBe(true);
    expect(layoutMaybeWrong("if x:\n\ta\n")).toBe(true);
    expect(layoutMaybeWrong("class A:\n")).toBe(true);
  });

  it("sends a file to the compiler for a version-dependent form in its code, not for one in its strings or comments", () => {
    // A backslash or a `#` in a spec, in a string in a field, or in the literal text of an f-string: any version takes them.
    const FIELD_ESCAPES_RIGHT = "x = f'{a:#x} {a:\\x3e10} {\"#\"} {a!r:#>10} {a!=2} \\N{EM DASH} {{\\}}'\ny = rf'\\{{%{a}\\d'\n";
    const inCode = [
      "def f(x):\n    match x:\n        case 1:\n            pass\n",
      "type Alias = list[int]\n",
      "try:\n    pass\nexcept* ValueError:\n    pass\n",
      "def first[T](xs):\n    return xs[0]\n",
      "class Box[T]:\n    pass\n",
      "if (n := 3) > 2:\n    pass\n",
      "with (open(a) as b, open(c) as d):\n    pass\n",
      'x = f"{", ".join(names)}"\n',
      'y = f"{(n := 3)}"\n',
      "print >>sys.stderr, 'x'\n",
      'exec "x = 1"\n',
      "x = `1`\n",
      "x = 1 <> 2\n",
      "try:\n    pass\nexcept ValueError, e:\n    pass\n",
      "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
      "try: pass\nexcept: pass\nexcept ValueError: pass\n",
      "x = a[*b]\n",
      "a[*b] = 1\n",
      "x = f\"{'\\n'.join(a)}\"\n",
      "x = rf'{a:>3} {\"\\d\"}'\n",
      "x = f'''{a # a comment\n}'''\n",
    ];
    const inDocs = [
      '"""Use ``x`` or `y`; print the value; n := 1; x <> y."""\n',
      "# match x:\n# type X = int\n# except* E\nx = 1\n",
      's = "def f[T](): pass"\nt = r"[^\\:=\\s]+"\n',
      '"""\nexec "x"\nwith (a, b):\n    print x\n"""\n',
      '"""\ntry:\n    x\nexcept:\n    y\nexcept E:\n    z\n"""\n',
    ];
    for (const text of inCode) expect(versionSensitive(text, tokenize(text)!), text).toBe(true);
    // A bare `except:` that is the last handler is fine everywhere.
    for (const text of ["x = [*a]\ny = f(*a)[0]\n", "try:\n    pass\nexcept ValueError:\n    pass\nexcept:\n    pass\n", "try:\n    pass\nexcept:\n    pass\nx = 1\n", "def f():\n    try:\n        pass\n    except:\n        pass\nexcept_ = 1\n", 'try:\n    pass\nexcept:\n    x = f"{a} exceptions"\n', FIELD_ESCAPES_RIGHT]) {
      expect(versionSensitive(text, tokenize(text)!), text).toBe(false);
    }
    for (const text of inDocs) {
      expect(tokenize(text), text).toBeDefined();
      expect(versionSensitive(text, tokenize(text)!), text).toBe(false);
    }
  });

  it("sends a file to the compiler for a statement that may stand where CPython refuses it, not for one placed right", () => {
    const misplaced = [
      "return 1\n",
      "class A:\n    def f(self):\n        pass\n    return 1\n",
      "class A: return 1\n",
      "for x in y:\n    pass\nelse:\n    break\n",
      "for x in y: pass\nelse: continue\n",
      "while x:\n    class A:\n        break\n",
      "x = (yield)\n",
      "def f(x=(yield)):\n    pass\n",
      "await x\n",
      "def f():\n    await x\n",
      "async def f():\n    class A:\n        await x\n",
      "def f():\n    async with x:\n        pass\n",
      "nonlocal x\n",
      "def f():\n    nonlocal x\n",
      "class A:\n    nonlocal x\n",
      "def f():\n    return [(yield) for x in y]\n",
      "def f():\n    return {x: [(yield)] for x in y}\n",
      "def f():\n    return ((yield x) async for x in y)\n",
      "async def f():\n    yield from x\n",
      "async def f():\n    if x:\n        yield 1\n    return 2\n",
      "async def f(): yield 1; return 2\n",
      "async def f():\n    return lambda: await x\n",
      "def f():\n    from os import *\n",
      "class C:\n    from os import *\n",
      "x = [*a for a in b]\n",
      "x = {*a for a in b}\n",
      "x = (*a for a in b)\n",
      // Liberal where the tokens cannot tell: a lambda is a function CPython lets yield.
      "g = lambda: (yield)\n",
    ];
    const placed = [
      "def f():\n    return 1\n",
      "def f(): return 1\n",
      "async def f():\n    for x in y:\n        if x:\n            break\n        else:\n            continue\n    await x\n    async for z in y:\n        yield z\n",
      "for x in y:\n    try:\n        break\n    finally:\n        continue\n",
      "while x: break\n",
      "for x in lambda: y: break\n",
      "def f():\n    x = 1\n    def g():\n        nonlocal x\n    class A:\n        nonlocal x\n",
      "@decorator\nclass A:\n    def f(self):\n        if self:\n            return [x for x in self]\n        yield\n",
      "x = {'a': 1}\ny = x['a':1] if x else 2\n",
      '"""return break await"""\n# yield\ns = "continue"\n',
      "def f():\n    x = [(yield), 1]\n    y = {(yield): [z for z in x]}\n    return x\n",
      "async def f():\n    yield 1\n    return\ndef g():\n    yield from x\n    return 2\nasync def h():\n    def k():\n        yield 1\n    return 2\n",
      "async def f():\n    return lambda: 1\n",
      "from os import *\nif x:\n    from sys import *\n",
      "x = [*a, *b]\ny = [z for z in [*a]]\nw = {**a, 'k': [v for v in b]}\nf(*a)\n",
    ];
    // CPython refuses all but the lambda that yields, which the tokens cannot tell from a misplaced yield.
    heldToCPython(misplacedStatement, misplaced, placed, 1);
  });

  it("sends a file to the compiler for an argument or parameter list CPython may refuse, not for a right one", () => {
    const refused = [
      "f(x=1, x=2)\n",
      "f(a=1, b)\n",
      "f(a=1, (b))\n",
      "f(a=1, lambda: 0)\n",
      "f(**k, b)\n",
      "f(**k, *a)\n",
      "f(x)(a=1, 'b')\n",
      "class A(metaclass=M, B):\n    pass\n",
      "@d(x=1, x=2)\ndef f():\n    pass\n",
      "def f(a, a):\n    pass\n",
      "def f(a, *, b, **a):\n    pass\n",
      "def f(a=1, b):\n    pass\n",
      "def f(a: Dict[str, int] = {}, b: int):\n    pass\n",
      "def f(a=1, /, b):\n    pass\n",
      "def f(*):\n    pass\n",
      "def f(a, *, **k):\n    pass\n",
      "g = lambda a, a: 0\n",
      "g = lambda a=1, b: 0\n",
      "g = lambda *: 0\n",
      "x = [f(a=1, a=2) for a in b]\n",
      "def f(a=g(x=1, x=2)):\n    pass\n",
      "def f(*a, *b):\n    pass\n",
      "def f(*, a, *b):\n    pass\n",
      "def f(**a, **b):\n    pass\n",
      "def f(**k, a):\n    pass\n",
      "g = lambda **k, a: 0\n",
      "f(x for x in y, 1)\n",
      "f(a, x for x in y)\n",
      "f(x for x in y,)\n",
      "f(x for a, b in y, 1)\n",
      "f(*a for a in b)\n",
      "class C(x for x in y):\n    pass\n",
      "def f(a, (b, c)):\n    pass\n",
      "def f((a, b)=(1, 2)):\n    pass\n",
      "g = lambda (x): x\n",
      "g = lambda x, (y, z): x\n",
    ];
    const right = [
      "f(a, *b, c=1, *d, **e, g=2, **h)\n",
      "f(x for x in y)\nf(*a, *b)\nf(**a, **b)\nf(a=1, **b, c=2)\n",
      "f(lambda a, b=1, *c, d, e=2, **g: (a, b), k=lambda: 0)\n",
      "def f(a, b=1, /, c=2, *d, e, g=3, **h) -> Dict[str, int]:\n    pass\n",
      "def f(*, a, b=1, c):\n    pass\ndef g(*args, a, **kw):\n    pass\n",
      "def f(a: int = 1, b: Tuple[int, ...] = (1, 2), *, c: Callable[[int], int] = lambda x: x):\n    pass\n",
      "class A(B, C, metaclass=M, **kw):\n    pass\n",
      "x = {a: b for a, b in c}\ny = x[1:2, ::3]\nz = (a, b)\nif (a == 1): pass\n",
      "print(a, file=b)\ng = lambda: 0\nh = lambda *a, **k: 0\nprint(1, *[2], sep='', *[3])\n",
      "f(a=1, b=2)(c, d)\n",
      "f(x for x in y)\nf((x for x in y), 1)\nf(lambda: [x for x in y], 1)\nf(a for a, b in y if a)\nf(k for k, (v, w) in z)\n",
      "def f(*a, b, **k,):\n    pass\n@d(x for x in y)\ndef g():\n    pass\n",
      "def f(a=(1, 2), b: (int) = (3), *c: (str)):\n    pass\ng = lambda a=(1, 2): (a)\n",
    ];
    heldToCPython(badArguments, refused, right);
  });

  it("sends a file to the compiler for a target CPython may refuse (del, augmented, annotated, starred, __debug__), not for a right one", () => {
    const refused = [
      "del f()\n",
      "del a, g(b)\n",
      "del 1\n",
      "del a + b\n",
      "del (a, f())\n",
      "del *a\n",
      "a, b += 1\n",
      "(a, b) += 1\n",
      "[a] += 1\n",
      "def f(a, b):\n    a, b *= 2\n",
      "if x: a, b -= 1\n",
      "(a, b): int = 1, 2\n",
      "[a]: int\n",
      "a, b: int\n",
      "x = *a\n",
      "x = y = *a\n",
      "def f(a):\n    return *a\n",
      "def f(a):\n    yield *a\n",
      "*a\n",
      "*a = b\n",
      "for *a in b: pass\n",
      "for x in *a: pass\n",
      "__debug__ = 1\n",
      "__debug__ += 1\n",
      "x.__debug__ = 1\n",
      "def f(__debug__): pass\n",
      "def f(a, *, __debug__=1): pass\n",
      "print(__debug__=1)\n",
      "class C(__debug__=1): pass\n",
      "for __debug__ in x: pass\n",
      "for a, __debug__ in x: pass\n",
      "import os as __debug__\n",
      "import __debug__\n",
      "from os import path, __debug__\n",
      "with x as __debug__: pass\n",
      "def __debug__(): pass\n",
      "class __debug__: pass\n",
      "__debug__: int\n",
      "__debug__, a = 1, 2\n",
      "g = lambda __debug__: 0\n",
      "*b, *c = a\n",
      "a, *b, *c = d\n",
      "for *a, *b in c: pass\n",
      "with x as f(): pass\n",
      "with x as (a, f()): pass\n",
      "with x as a, y as [b, 1]: pass\n",
      "x = (*a)\n",
      "if (*a): pass\n",
      "x = (**a)\n",
      "x = [**a]\n",
      // Liberal where a target is not plain: CPython takes these.
      "[1, 2][0] += 1\n",
      "for f in lambda c: c, d: pass\n",
    ];
    const right = [
      "del a[0], (b), c.d, [e, f], (g, h), a[f()]\n",
      "del a,\ndel ()\ndel x.__debug__\n",
      "a[0] += 1\n(a) += [2]\nC.x -= 1\na[0:1] += [3]\n(a).b *= 2\nf().x += 1\n",
      "(a): int = 1\nb: int\nC.x: int = 2\nd['k']: int = 3\nmatch: int = 1\ncase: str\ntype: int\n",
      "x: Callable[[int], int] = lambda a: a\nif x: y: int = 1\nclass A: z: int = 1\n",
      "x = *a, 2\ny = [*a]\n*b, = a\nz = 2 * 3\nf(*a)\nfor x in *a, *b: pass\nfor *c, d in e: pass\n",
      "def f(a, *b, **c):\n    return *a, 1\n",
      "def f(a):\n    yield *a, 1\nfrom m import *\nlambda *a: a\n",
      "if __debug__:\n    x = 1\nassert __debug__\ny = not __debug__\nprint(__debug__)\nz = [__debug__, 1]\nw = (a, __debug__, b)\nv = {__debug__: 1}\nif __debug__ == x: pass\n",
      "x = {'a': 1, **y}\nz = x['a':1] if x else 2\ng = lambda a, b: (a, b)\n",
      "x = *a, *b\n*a, b = c\nfor *d, e in f: pass\n",
      "with x as (a, *b), y as c.d[0]: pass\nimport a as b\nfrom m import (c as d, e)\n",
      "try:\n    pass\nexcept E as e:\n    pass\n",
      "x = (*a, b)\nf(*a)(**b)\nprint((*a,))\ny = dict(**a)\n",
    ];
    heldToCPython(badTarget, refused, right, 2);
  });

  it("sends a file to the compiler for a global or nonlocal statement CPython may refuse, not for a right one", () => {
    const refused = [
      "def f():\n    x = 1\n    global x\n",
      "x = 0\ndef f():\n    print(x)\n    global x\n",
      "x = 1\nglobal x\n",
      "def f(x):\n    global x\n",
      "def f(a, *x):\n    global x\n",
      "class C:\n    x = 1\n    global x\n",
      "def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x\n    return g\n",
      "def f():\n    x = 1\n    def g(x):\n        nonlocal x\n    return g\n",
      "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n    return g\n",
      "def f():\n    def g():\n        nonlocal x\n        x = 1\n    return g\n",
      "def f():\n    class C:\n        x = 1\n        def g(self):\n            nonlocal x\n    return C\n",
      "x = 1\ndef f():\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    def a():\n        x = 1\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    h = lambda x: x\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    y = [x for x in ()]\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    if x:\n        pass\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    print(x)\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    g(x=1)\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    global x\n    x: int = 1\n",
      "def g():\n    x = 1\n    def f():\n        nonlocal x\n        x: int = 1\n    return f\n",
      // Liberal where a binding is not plain: CPython takes these.
      "def f():\n    for (a, x) in []: pass\n    def g():\n        nonlocal x\n    return g\n",
    ];
    const right = [
      "x = 0\ndef f():\n    global x\n    x = 1\ndef g():\n    def h():\n        x = 2\n        return x\n    global x\n    return h\n",
      "def f():\n    global x\n    global x\n    print(x=1)\ndef g(a=x):\n    global x\ndef x():\n    global x\n",
      "def f():\n    def g():\n        nonlocal x\n        x = 2\n    x = 1\n    return g\n",
      "def h(y):\n    def k():\n        nonlocal y\n        y = 3\n    return k\n",
      "def m():\n    for z in []: pass\n    def n():\n        nonlocal z\n    return n\n",
      "def f():\n    import os\n    from sys import path, argv\n    def g():\n        nonlocal os, path, argv\n    return g\n",
      "def f():\n    x: int\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    del x\n    def g():\n        nonlocal x\n    return g\n",
      "def f():\n    line, crc = 0, 0\n    def g():\n        nonlocal line, crc\n        line += 1\n    return g\n",
      "def f():\n    x = 1\n    def g():\n        def h():\n            nonlocal x\n        return h\n    return g\n",
      "def f():\n    x = 1\n    class C:\n        def g(self):\n            nonlocal x\n    return C\n",
      "def f(*, a, **k):\n    def g():\n        nonlocal a, k\n    return g\n",
      "def f():\n    with open('x') as fh:\n        pass\n    def g():\n        nonlocal fh\n    return g\n",
    ];
    heldToCPython(badDeclaration, refused, right, 1);
  });

  it("sends a file to the compiler for adjacent bytes and str literals, not for literals of one kind", () => {
    const refused = [
      "x = b'a' 'b'\n",
      "x = 'a' b'b'\n",
      "x = b'a' f'{y}'\n",
      "x = ('a'\n     b'b')\n",
      "x = rb'a' r'b'\n",
      "x = b'\\q' 'b'\n",
      "x = 0777\n",
      "x = 1_000_\n",
      "x = 1__0\n",
      "x = 0x\n",
      "x = 12abc\n",
      "x = b'\u00e9'\n",
      "x = f'{y!z}'\n",
      "x = f'{y!}'\n",
      "x = f'{y!rr}'\n",
      "x = f'{lambda y: 1}'\n",
      "x = f'{ lambda: 1}'\n",
      "x = f'{y:{z:{w}}}'\n",
      "x = f'a {y:>{z}} b {v!x:10}'\n",
      "p = 'C:\\Users\\name'\n",
      "x = '\\xZZ'\n",
      "x = b'\\x1'\n",
      "x = '\\u12'\n",
      "x = '''\\U0011ffff'''\n",
      "x = '\\Names'\n",
      "x = '\\N'\n",
      "x = f'{y}\\xZ'\n",
      "x = F'\\u00'\n",
    ];
    const right = [
      "x = b'a' B'b' rb'c'\ny = 'a' u'b' r'c' f'd' f'{e}'\n",
      "x = b'a'\ny = 'b'\n",
      "f(b'a', 'b')\n",
      "x = [b'a',\n     'b']\n",
      "x = 0o777\ny = 00\nz = 0.5\nw = 1_000\nv = 0x_ff\nu = 07.5\nt = 1e10\ns = 5j\n",
      "x = b'abc'\ny = '\u00e9'\nz = '\\N{BULLET}'\n",
      "x = f'{y!r} {y!s:>10} {y!a} {y != z} {y:{z}} {(lambda: 1)()} {lambdas} {{y!z}} {y=!r} {y:=5}'\n",
      "x = f'{d[\"k\"]!r} {\"!z\"} {f(a, b=1)!s:{w}.{p}}'\ny = rf'\\{x}\\d'\n",
      "x = r'C:\\Users' R'\\xZ'\nw = rb'\\x1'\nz = '\\\\Users \\x41\\u0041\\U0010ffff \\N{EM DASH}'\n",
    ];
    heldToCPython(badLiteral, refused, right);
  });

  it("reads the names of \\N{} escapes for the Unicode database: str literals only, each name once", () => {
    const read = (text: string) => namedEscapes(tokenize(text)!, text);
    expect(read("x = '\\N{EM DASH} \\N{BULLET}\\N{EM DASH}'\ny = f'{z}\\N{no such}'\n")).toEqual({ names: ["EM DASH", "BULLET", "no such"], unclosed: false });
    // Raw, bytes, an escaped backslash and a comment hold no escape.
    expect(read("x = r'\\N{A}' + rb'\\N{B}' + b'\\N{C}' + '\\\\N{D}'  # '\\N{E}'\n")).toEqual({ names: [], unclosed: false });
    expect(read("x = '\\N{EM DASH'\ny = '}'\n")).toEqual({ names: [], unclosed: true });
    expect(read("x = 1\n")).toEqual({ names: [], unclosed: false });
  });

  it("sends a file to the compiler for a try without handlers, a name list ending in a bare comma or two operands in a row, not for right ones", () => {
    const refused = [
      "try:\n    pass\nx = 1\n",
      "try:\n    pass\nelse:\n    pass\n",
      "try: pass\n",
      "if x:\n    try:\n        pass\n",
      "import os,\n",
      "from os import path,\n",
      "def f():\n    global a,\n",
      "import os,; x = 1\n",
      'print "hello"\n',
      "exec 'x = 1'\n",
      'x = ur"abc"\n',
      'x = bf"abc"\n',
      "x = a b\n",
      "x = 1 2\n",
      "x = 'a' b\n",
      "x = f'{y}' 1\n",
      "f(a\n  b)\n",
      "if x: y = z w\n",
    ];
    const right = [
      "try:\n    pass\nexcept E:\n    pass\n",
      "try: pass\nfinally: pass\n",
      "try:\n    if x:\n        pass\nexcept E:\n    pass\nelse:\n    pass\n",
      "from os import (path,)\nimport os, sys\nx = [1,\n     2,]\n",
      "x = 'a' \"b\" f'{c}' r'd' U'e' if not y else 1\nz = [a for a in 'abc' if a in 'b' or a is None]\n",
      "def f(x: 'int') -> 'str':\n    return 'a' if x else 'b'\nasync def g():\n    await h\n    return lambda: 'x'\n",
      "match x:\n    case 'a' | 'b':\n        pass\n    case [a, b] if a:\n        pass\n    case _:\n        pass\nmatch = case = type = 1\nprint(match, case, type)\n",
      "assert x, 'message'\nraise E from 'cause'\ndel x\nfor a in 'bc': pass\nwith a as b: pass\n",
    ];
    heldToCPython(badStatementForm, refused, right);
  });

  it("the tokenizer's layout answers are the layout scan's, wherever it follows the file", () => {
    const deepBrackets = `x = ${"(".repeat(199)}1${")".repeat(199)}\n`;
    const deepIndent = Array.from({ length: 100 }, (_, k) => `${" ".repeat(k)}if x:\n`).join("") + `${" ".repeat(100)}pass\n`;
    const cases = [
      "def f():\n    return 1\n",
      "x = 1\n    y = 2\n",
      "class A:\n",
      "class A:b:\n    pass\n",
      "x = y:\n    z\n",
      "x = 1\x0b\n",
      "x = 1 # \x00 in a comment\n",
      "s = 'a\\\r\nb'\ny = 1\n",
      's = """a\\\r\nb"""\n',
      "if x:\n    y = (1,\n2)\n",
      "\\\nif x:\n    pass\n",
      "if x: # why\n    pass\n",
      "if (y := 1):\n    pass\n",
      "f = lambda: 0:\n",
      deepBrackets,
      deepIndent,
    ];
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const pieces = [":", "\n", "    ", "(", ")", "\\", "\r\n", "\\\r\n", "'", '"""', "\x0b", "#", ":=", "\nif y:\n", "\n  z = 1\n", "class A:b:"];
    for (const file of pyFiles(FIXTURES)) {
      const text = readFileSync(file, "utf8");
      cases.push(text);
      for (let k = 0; k < 6 && text.length > 0; k++) {
        const at = rand(text.length);
        cases.push(text.slice(0, at) + (pieces[rand(pieces.length)] as string) + text.slice(at + rand(3)));
      }
    }
    let followed = 0;
    const seen = { maybeWrong: 0, askCompiler: 0 };
    for (const text of cases) {
      const tokens = tokenize(text);
      if (!tokens) continue;
      const scanned = scanLayout(text);
      expect(tokens.layout, JSON.stringify(text.slice(0, 200))).toEqual(scanned);
      followed++;
      if (scanned.maybeWrong) seen.maybeWrong++;
      if (scanned.askCompiler) seen.askCompiler++;
    }
    // Both answers, both ways, were compared: the deep cases ask for the compiler, the damaged ones are unsure.
    expect(followed).toBeGreaterThan(500);
    expect(seen.maybeWrong).toBeGreaterThan(20);
    expect(seen.askCompiler).toBeGreaterThan(5);
    expect(tokenize(deepBrackets)?.layout.askCompiler).toBe(true);
    expect(tokenize(deepIndent)?.layout.askCompiler).toBe(true);
  });
});

describe("the wire form of parse results", () => {
  it("gives back every fixture's result as it was, keys in the same order, and is smaller", () => {
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(join(dir, e.name)) : /\.(py|pyi|ts|tsx|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : []));
    const files = all(FIXTURES);
    let seen = { alias: 0, via: 0, dunderAll: 0, syntaxError: 0, versionSensitive: 0, script: 0, context: 0, diagnostics: 0 };
    let text = 0;
    let wire = 0;
    // Forms only some Python versions take: their results carry versionSensitive.
    const inputs: [string, Buffer][] = [["match.py", Buffer.from("match x:\n    case 1:\n        pass\n")], ["walrus.py", Buffer.from("if (n := 1):\n    pass\n")]];
    for (const file of files) inputs.push([file, readFileSync(file)]);
    for (const [file, bytes] of inputs) {
      // The file as it is, and cut short (syntax errors, diagnostics).
      for (const b of [bytes, bytes.subarray(0, bytes.length >> 1)]) {
        const r = parseBytes(b, file, "h0");
        const sent = JSON.stringify(toWire(r));
        expect(JSON.stringify(fromWire(JSON.parse(sent))), file).toBe(JSON.stringify(r));
        expect(fromWire(JSON.parse(sent))).toStrictEqual(r);
        text += JSON.stringify(r).length;
        wire += sent.length;
        const f = r.facts;
        seen = {
          alias: seen.alias + f.imports.filter((i) => i.alias !== undefined || i.names.some((n) => n.alias !== undefined)).length,
          via: seen.via + f.imports.filter((i) => i.via !== undefined).length,
          dunderAll: seen.dunderAll + (f.dunderAll ? 1 : 0),
          syntaxError: seen.syntaxError + (f.syntaxError ? 1 : 0),
          versionSensitive: seen.versionSensitive + (r.versionSensitive ? 1 : 0),
          script: seen.script + (r.script ? 1 : 0),
          context: seen.context + f.imports.filter((i) => i.context.length > 0).length,
          diagnostics: seen.diagnostics + r.diagnostics.length,
        };
      }
    }
    // Every optional part was there to be lost.
    for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
    expect(wire).toBeLessThan(text * 0.7);
    // A result without a hash (an unreadable file), and a batch with a file the cache knew.
    const unreadable = { facts: extractPythonFacts(""), diagnostics: [diagnostic("unreadable-file", "x.py", "cannot read", { severity: "error" })] };
    expect(batchFromText(batchText([["k1", unreadable], ["k2", 0]]))).toStrictEqual([["k1", unreadable], ["k2", 0]]);
  });

  it("shares one context per block and one frozen empty list, on both sides of the wire", () => {
    const source = [
      "import os",
      "from typing import TYPE_CHECKING",
      "if TYPE_CHECKING:",
      "    import json",
      "    from collections import abc",
      "try:",
      "    import yaml",
      "    import toml",
      "except ImportError:",
      "    yaml = None",
      "",
    ].join("\n");
    const received = (text: string) => fromWire(JSON.parse(JSON.stringify(toWire(parseBytes(Buffer.from(text), "m.py", "h0")))));
    // The simple reader's result, and both extractors' after the wire (a class body with a call
    // sends the file to tree-sitter's, which makes one context per statement).
    for (const [text, wired] of [[source, false], [source, true], [`${source}class C:\n    x = f()\n`, true]] as const) {
      const r = wired ? received(text) : parseBytes(Buffer.from(text), "m.py", "h0");
      const imports = new Map(r.facts.imports.map((i) => [i.module, i]));
      const bound = new Map(r.facts.bindings.map((b) => [b.name, b]));
      expect(imports.get("os")!.context).toBe(NONE);
      expect(imports.get("os")!.names).toBe(NONE);
      expect(imports.get("json")!.context.length).toBe(1);
      expect(imports.get("json")!.context).toBe(imports.get("collections")!.context);
      expect(bound.get("json")!.context).toBe(imports.get("json")!.context);
      expect(imports.get("yaml")!.context).toBe(imports.get("toml")!.context);
      expect(imports.get("yaml")!.context).not.toBe(imports.get("json")!.context);
    }
    // Shared, so it must not be changed: a push throws instead of reaching every fact.
    expect(() => (NONE as unknown as unknown[]).push(1)).toThrow(TypeError);
    expect(NONE).toHaveLength(0);
  });
});

describe("worker threads and the facts cache", () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "snag-speed-")));
  generateRepo(root, 600, { brokenEvery: 41 });
  const render = async (opts: Parameters<typeof scan>[1]) => {
    const s = await scan(root, { noEnv: true, ...opts });
    return checkToJson(check(s), { root: ".", python: { version: s.env.version.join("."), source: s.env.source }, diagnostics: s.diagnostics });
  };

  it("give byte-identical reports for one thread, two threads and a warm cache", async () => {
    const one = await render({ jobs: 1 });
    expect(JSON.parse(one).summary).toBeDefined();
    expect(one).toContain("snag_bench_absent_dependency");
    expect(await render({ jobs: 2 })).toBe(one);
    const cacheDir = join(root, "cache-here");
    const cache = openCacheDir(root, cacheDir);
    expect(cache).toBeDefined();
    expect(await render({ jobs: 2, cache: cache! })).toBe(one);
    expect(readdirSync(cacheDir)).toContain("facts.jsonl");
    const packedIno = statSync(join(cacheDir, "facts.jsonl")).ino;
    expect(await render({ jobs: 1, cache: openCacheDir(root, cacheDir)! })).toBe(one);
    // Nothing changed (the generated repo has many identical files): the pack is not rewritten.
    expect(statSync(join(cacheDir, "facts.jsonl")).ino).toBe(packedIno);
    // A changed file is parsed again: the new import shows up.
    const victim = join(root, "src", "pkg0", "sub1", "mod3.py");
    writeFileSync(victim, `${readFileSync(victim, "utf8")}\nimport snag_second_absent_dependency\n`);
    const changed = await render({ jobs: 1, cache: openCacheDir(root, cacheDir)! });
    expect(changed).toContain("snag_second_absent_dependency");
    expect(changed).toBe(await render({ jobs: 1 }));
  }, 120_000);

  it("resolve and graph fed file by file during the parse give what the stages give one after the other", async () => {
    for (const jobs of [1, 3]) {
      for (const stdlibInGraph of [false, true]) {
        const s = await scan(root, { noEnv: true, jobs, stdlibInGraph });
        const resolved = resolveProject({ root: s.discovery.root, files: s.discovery.files, facts: s.facts, env: s.env, pytest: s.discovery.pytest });
        const graph = buildGraph({ facts: s.facts, resolved, target: s.target, stdlib: stdlibInGraph });
        // Same nodes and edges, with the same attributes, in the same order.
        const strip = (g: typeof graph) => {
          const e = g.export();
          return { nodes: e.nodes, edges: e.edges?.map(({ key: _key, ...rest }) => rest) };
        };
        expect(strip(s.graph)).toEqual(strip(graph));
        expect([...s.resolved.imports]).toEqual([...resolved.imports]);
        expect(s.resolved.modules).toEqual(resolved.modules);
        // Every import of one module holds the same chain; no import holds an empty list of its own.
        const chains = new Map<string, unknown>();
        let shared = 0;
        for (const r of [...resolved.imports.values()].flat()) {
          if (r.chain.length === 0) expect(r.chain).toBe(NONE);
          if (r.submodules.length === 0) expect(r.submodules).toBe(NONE);
          const key = r.absolute ?? "";
          if (!chains.has(key)) chains.set(key, r.chain);
          else if (r.chain.length > 0) (expect(r.chain).toBe(chains.get(key)), shared++);
        }
        expect(shared).toBeGreaterThan(100);
        // The cycles kept up to date while building are the ones found in the finished graph.
        const found = findCycles(graph);
        expect([...s.cycles!.cyclic].sort()).toEqual([...found.cyclic].sort());
        expect([...s.cycles!.reachesCycle].sort()).toEqual([...found.reachesCycle].sort());
        expect(found.reachesCycle.size).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it("say with SNAG_TIMINGS=1 which thread parsed what and, on Linux, where the CPU went, on stderr only", () => {
    const cli = (env: Record<string, string>) =>
      spawnSync(process.execPath, [new URL("../bin/snag.js", import.meta.url).pathname, "check", root, "--format", "json", "--no-cache", "--fail-on", "none"], { encoding: "utf8", env: { ...process.env, SNAG_JOBS: "2", ...env } });
    const plain = cli({});
    const timed = cli({ SNAG_TIMINGS: "1" });
    expect(timed.status).toBe(0);
    expect(timed.stdout).toBe(plain.stdout);
    expect(plain.stderr).not.toContain("snag timings");
    const files = (JSON.parse(timed.stdout) as { summary: { modules: number } }).summary.modules;
    const [, here, workers] = /parsed: (\d+) files on the main thread, (\d+) on workers/.exec(timed.stderr) ?? [];
    expect(Number(here) + Number(workers)).toBeGreaterThanOrEqual(files);
    expect(Number(workers)).toBeGreaterThan(0);
    if (process.platform === "linux") {
      const [, main, worker, other, all] = /cpu: main thread (\d+) ms, 1 parse worker (\d+) ms, other threads (\d+) ms, all (\d+) ms/.exec(timed.stderr) ?? [];
      expect(Number(main)).toBeGreaterThan(0);
      expect(Number(worker)).toBeGreaterThan(0);
      expect(Number(main) + Number(worker) + Number(other)).toBeGreaterThanOrEqual(Number(all) - 1);
    }
  }, 120_000);

  it("keeps parse batches as they came, reuses old lines whose entries are all live, and reads a damaged pack as empty", () => {
    const repo = realpathSync(mkdtempSync(join(tmpdir(), "snag-pack-")));
    const dir = openCacheDir(repo)!;
    const pack = FactsCache.open(dir);
    const result = (i: number) => ({ facts: { ...extractPythonFacts(`import m${i}\n`), encoding: "utf-8" }, diagnostics: [], hash: `h${i}` });
    // 45 batches of 100, as a parse would send them; the last entry of each is a file the cache
    // knew, and each holds "h-same", a file with the same bytes in every batch (an empty __init__.py).
    for (let b = 0; b < 45; b++) {
      const entries = Array.from({ length: 100 }, (_, j) => [`h${b * 100 + j}`, result(b * 100 + j)] as [string, ReturnType<typeof result>]);
      entries.push(["h-same", result(-1)]);
      pack.addBatch(batchText([...entries, ["h-known", 0]]), entries.map(([k]) => k));
      for (const [key, r] of entries) pack.remember(key, r);
    }
    pack.save();
    const back = FactsCache.open(openCacheDir(repo)!);
    for (const i of [0, 99, 100, 1999, 2000, 4499]) expect(back.get(`h${i}`)).toEqual(result(i));
    expect(back.get("h4500")).toBeUndefined();
    expect(back.get("h-known")).toBeUndefined();
    // A later run uses all but h150 and parses one new file: the line holding h150 is written
    // again without it, every other old line is kept byte for byte.
    const file = join(dir.path, "facts.jsonl");
    const before = readFileSync(file, "utf8").split("\n");
    for (let i = 0; i < 4500; i++) if (i !== 150) back.remember(`h${i}`, result(i));
    back.remember("h-same", result(-1));
    back.addBatch(batchText([["h9000", result(9000)]]), ["h9000"]);
    back.remember("h9000", result(9000));
    back.save();
    const after = readFileSync(file, "utf8").split("\n");
    expect(after.filter((line) => before.includes(line)).length).toBe(before.length - 1);
    expect(after.some((line) => line.includes('"h150"'))).toBe(false);
    const third = FactsCache.open(openCacheDir(repo)!);
    expect(third.get("h150")).toBeUndefined();
    for (const i of [0, 149, 151, 199, 4499, 9000]) expect(third.get(`h${i}`)).toEqual(result(i));
    expect(third.get("h-same")).toEqual(result(-1));
    // Unchanged: not written again.
    const ino = statSync(file).ino;
    for (let i = 0; i < 4500; i++) if (i !== 150) third.remember(`h${i}`, result(i));
    third.remember("h-same", result(-1));
    third.remember("h9000", result(9000));
    third.save();
    expect(statSync(file).ino).toBe(ino);
    writeFileSync(file, readFileSync(file).subarray(0, 5000));
    expect(FactsCache.open(openCacheDir(repo)!).get("h0")).toBeUndefined();
  });

  it("refuses a default cache directory that is a symlink out of the repository", () => {
    const repo = realpathSync(mkdtempSync(join(tmpdir(), "snag-link-")));
    const outside = realpathSync(mkdtempSync(join(tmpdir(), "snag-outside-")));
    symlinkSync(outside, join(repo, ".snag-cache"));
    expect(openCacheDir(repo)).toBeUndefined();
    expect(readdirSync(outside)).toEqual([]);
    const dangling = realpathSync(mkdtempSync(join(tmpdir(), "snag-dangling-")));
    symlinkSync(join(outside, "not-yet"), join(dangling, ".snag-cache"));
    expect(openCacheDir(dangling)).toBeUndefined();
    expect(readdirSync(outside)).toEqual([]);
    const fine = realpathSync(mkdtempSync(join(tmpdir(), "snag-fine-")));
    mkdirSync(join(fine, "src"));
    expect(openCacheDir(fine)?.path).toBe(join(fine, ".snag-cache"));
  });
});
