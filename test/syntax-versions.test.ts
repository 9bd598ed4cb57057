/**
 * Syntax that only some Python versions parse, which tree-sitter parses for all: with
 * `--python-version X`, snag must say what an interpreter of version X says, module by module.
 * Every installed pyenv interpreter from 3.8 on is the oracle for its version.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";

const MODULES: Record<string, string> = {
  walrus: "if (n := 3) > 2:\n    pass\n",
  posonly: "def f(a, /, b):\n    return a\n",
  paren_with: "import contextlib\nwith (contextlib.nullcontext() as a, contextlib.nullcontext() as b):\n    pass\n",
  match_stmt: "def f(x):\n    match x:\n        case 1:\n            return 1\n        case _:\n            return 0\n",
  match_name: "match = 1\ncase = 2\nprint(match, case)\n",
  except_star: "try:\n    pass\nexcept* ValueError:\n    pass\n",
  type_alias: "type Alias = list[int]\n",
  type_params: "def first[T](xs: list[T]) -> T:\n    return xs[0]\n",
  class_params: "class Box[T]:\n    pass\n",
  fstring_quotes: 'names = ["a"]\nx = f"{", ".join(names)}"\n',
  fstring_plain: 'x = 1\ny = f"{x!r:>10}"\n',
  // A backslash or a comment in a field's expression: 3.12 on.
  fstring_field_backslash: "x = f\"{'\\n'.join('ab')}\"\n",
  fstring_field_comment: "x = f'''{1 # one\n}'''\n",
  fstring_escapes_right: "a = 1\nx = f'{a:#x} {a:\\x3e10} {\"#\"} {a!r:#>10} {a!=2} \\N{EM DASH} {{\\}}'\ny = rf'\\{{%{a}\\d'\n",
  backticks: "x = `1`\n",
  neq: "x = 1 <> 2\n",
  except_comma: "try:\n    pass\nexcept ValueError, e:\n    pass\n",
  exec_stmt: 'exec "x = 1"\n',
  // Every form above, but only in strings and comments: valid in every version.
  forms_in_docs: '"""Use `x` or print the value; n := 1; except* E; type X = int; x <> y."""\n# match x:\n# exec "x"\ns = "f\'{x}\'"\n',
  walrus_in_fstring: 'y = f"{(n := 3)}"\n',
  // Refused by every version, parsed by tree-sitter.
  bare_except_first: "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
  bare_except_inline: "try: pass\nexcept: x = 1\nexcept ValueError: pass\n",
  bare_except_last: "try:\n    pass\nexcept ValueError:\n    pass\nexcept:\n    pass\nelse:\n    pass\n",
  // Statements tree-sitter takes anywhere, CPython only in a function, an async function or a loop.
  return_module: "x = 1\nif x:\n    return x\n",
  return_class: "class A:\n    return 1\n",
  return_inline_class: "class A: x = 1; return x\n",
  return_nested_class: "def f():\n    class A:\n        return 1\n    return A\n",
  break_module: "x = 1\nif x:\n    break\n",
  break_loop_else: "for x in range(2):\n    pass\nelse:\n    break\n",
  continue_inline_else: "while False: pass\nelse: continue\n",
  break_in_def_in_loop: "for x in range(2):\n    def f():\n        break\n",
  yield_class: "class A:\n    yield 1\n",
  await_module: "import asyncio\nawait asyncio.sleep(0)\n",
  await_sync_def: "async def f():\n    def g():\n        await f()\n    return g\n",
  async_for_sync_def: "def f(y):\n    async for x in y:\n        pass\n",
  nonlocal_module: "nonlocal x\n",
  nonlocal_top_def: "def f():\n    nonlocal x\n",
  // Argument and parameter lists tree-sitter takes and CPython refuses.
  keyword_repeated: "def f(**k):\n    return k\nf(x=1, x=2)\n",
  positional_after_keyword: "def f(*a, **k):\n    pass\nf(a=1, 2)\n",
  positional_after_unpack: "def f(*a, **k):\n    pass\nf(**{}, (1))\n",
  unpack_after_double_star: "f = print\nf(**{}, *[])\n",
  param_repeated: "def f(a, b, a):\n    pass\n",
  lambda_param_repeated: "g = lambda a, *a: 0\n",
  default_order: "def f(a, b=1, c):\n    pass\n",
  lambda_default_order: "g = lambda a=1, b: 0\n",
  bare_star_last: "def f(a, *):\n    pass\n",
  bare_star_double: "def f(*, **k):\n    pass\n",
  class_keyword_first: "class A(metaclass=type, object):\n    pass\n",
  decorator_arguments: "def d(*a, **k):\n    return lambda f: f\n@d(x=1, x=2)\ndef f():\n    pass\n",
  arguments_right: "def f(a, b=1, /, c=2, *d, e, g=3, **h):\n    return lambda x, *y, z=1, **w: (x, y, z, w)\nprint(1, *[2], sep='', *[3], **{'end': ''}, flush=True)\nclass A(object, metaclass=type):\n    pass\ndef k(*, a, b=1, c): return f(a, b=f, c=(lambda q=1, *r: q)(c), **{})\n",
  // Targets tree-sitter takes and CPython refuses (del, augmented, annotated, starred, __debug__).
  del_call: "def f():\n    pass\ndel f()\n",
  augmented_tuple: "a = b = 1\na, b += 1\n",
  annotated_tuple: "(a, b): int = 1, 2\n",
  starred_alone: "a = [1]\nx = *a\n",
  starred_loop_target: "for *a in [[1]]:\n    pass\n",
  debug_assigned: "__debug__ = 1\n",
  debug_parameter: "def f(__debug__):\n    pass\n",
  // `del __debug__`: 3.8 compiles it, 3.9 on refuse it.
  debug_deleted: "del __debug__\n",
  // global and nonlocal statements CPython refuses.
  global_after_use: "x = 0\ndef f():\n    print(x)\n    global x\n",
  global_parameter: "def f(x):\n    global x\n",
  nonlocal_unbound: "def f():\n    def g():\n        nonlocal x\n        x = 1\n    return g\n",
  nonlocal_sibling: "def f():\n    def a():\n        x = 1\n    def g():\n        nonlocal x\n    return g\n",
  // Comprehensions, async functions and literals.
  yield_in_comprehension: "def f():\n    return [(yield) for x in range(3)]\n",
  yield_from_async: "async def f():\n    yield from []\n",
  return_in_async_generator: "async def f():\n    yield 1\n    return 2\n",
  await_in_lambda: "async def f():\n    return lambda: await f()\n",
  bytes_and_str: "x = b'a' 'b'\n",
  targets_right: "a = [1, 2]\nb = c = 1\ndel a[0], (b), [c]\na += [3]\n(a) += [4]\nd: int = 1\nx = *a, 2\n*e, = a\nfor *g, h in [[1, 2]]:\n    pass\nif __debug__:\n    y = [__debug__, 1]\nz = b'a' B'b'\n",
  declarations_right: "x = 0\ndef f():\n    global x\n    x = 1\ndef g():\n    line, crc = 0, 0\n    def h():\n        nonlocal line, crc\n        line += 1\n    return h\nasync def k():\n    yield 1\n    return\n",
  // More forms tree-sitter takes and CPython refuses.
  param_star_twice: "def f(*a, *b):\n    pass\n",
  generator_beside_argument: "def f(*a):\n    pass\nf(x for x in range(2), 1)\n",
  starred_targets_twice: "a = [1, 2]\n*b, *c = a\n",
  with_as_call: "import contextlib\nwith contextlib.nullcontext() as print():\n    pass\n",
  starred_group: "a = [1]\nx = (*a)\n",
  star_import_in_def: "def f():\n    from os import *\n",
  starred_comprehension: "a = [[1]]\nx = [*b for b in a]\n",
  global_annotated: "def f():\n    global x\n    x: int = 1\n",
  octal_literal: "x = 0777\n",
  bytes_non_ascii: "x = b'\u00e9'\n",
  try_without_handler: "try:\n    x = 1\ny = 2\n",
  import_trailing_comma: "from os import path,\n",
  fstring_conversion: "y = 1\nx = f'{y!z}'\n",
  fstring_lambda: "x = f'{lambda y: 1}'\n",
  fstring_nested_spec: "y = z = w = 1\nx = f'{y:{z:{w}}}'\n",
  fstring_right: "y = 1\nx = f'{y!r} {y!s:>10} {y != 2} {y:{y}} {(lambda: 1)()} {{y!z}} {y=!r}'\n",
  // A starred subscript: 3.11 on take it.
  starred_subscript: "a = {(1,): 2}\nb = [1]\nx = a[*b]\n",
  forms_right: "def f(*a, b=1, **k):\n    return a\nf(x for x in range(2))\nf(*[1], *(x for x in ()))\n*c, d = [1, 2]\nimport contextlib\nwith contextlib.nullcontext() as (e, *g):\n    pass\nh = (*c, d)\nfrom os import *\ni = [*c, *[d]]\nx = 0o777\ny = b'a'\ntry:\n    pass\nfinally:\n    pass\nfrom os import (path,)\n",
  // Escapes every CPython refuses in str literals that are not raw (and \x in bytes).
  escape_windows_path: 'p = "C:\\Users\\name"\n',
  escape_hex: 'x = "\\xZZ"\n',
  escape_u_short: 'x = "\\u12"\n',
  escape_U_past_unicode: 'x = "\\U00110000"\n',
  escape_N_without_brace: 'x = "\\Names"\n',
  escape_N_unclosed: 'x = "\\N{EM DASH"\n',
  escape_N_empty: 'x = "\\N{}"\n',
  escape_fstring_hex: 'x = f"{1}\\xZ"\n',
  escape_bytes_hex: 'x = b"\\xZ1"\n',
  // Names only the target's Unicode database knows: none, a named sequence, and one Unicode 15
  // added (3.12 on take it).
  escape_N_unknown: 'x = "\\N{NO SUCH CHARACTER}"\n',
  escape_N_fstring_unknown: 'x = f"{1} \\N{NO SUCH CHARACTER}"\n',
  escape_N_sequence: 'x = "\\N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}"\n',
  escape_N_unicode_15: 'x = "\\N{SHAKING FACE}"\n',
  escapes_right: 'x = r"C:\\Users" + "\\\\N{NOPE}" + "\\x41\\u0041\\U00000041\\N{EM DASH}\\N{em dash}\\N{LATIN CAPITAL LETTER GHA}"\ny = f"\\N{EM DASH} {1}" + rf"\\N{{NOPE}}"\nz = b"\\N{NOPE}" + rb"\\xZ"\n',
  // Python 2 left in: a print statement, u and b prefixes joined, parenthesised parameters.
  print_statement: 'print "hello"\n',
  prefix_ur: 'x = ur"abc"\n',
  prefix_bf: 'x = bf"abc"\n',
  operands_in_a_row: "a = b = 1\nx = a b\n",
  tuple_parameter: "def f(a, (b, c)):\n    pass\n",
  lambda_tuple_parameter: "g = lambda (x): x\n",
  operands_right: "x = 'a' \"b\" f'{1}' r'd' U'e' if not 0 else 1\nmatch = case = type = 1\nprint(match, case, type)\ndef f(a=(1, 2), b: (int) = (3)):\n    return lambda c=(4): (c)\n",
  // Indented with tabs, which the tokenizer leaves to tree-sitter and the compiler.
  tabs_return_module: "def f():\n\treturn 1\nreturn 2\n",
  tabs_del_call: "def f():\n\tx = 1\n\tdel f()\n",
  tabs_right: "def f():\n\tx = 1\n\treturn x\nif f():\n\ty = b'a' b'b'\n",
  // ...and the same where CPython takes them.
  placed_right: "def f(y):\n    for x in y:\n        try:\n            continue\n        finally:\n            pass\n    else:\n        return 1\n    while y: break\n    def g():\n        nonlocal y\n        yield y\n    return g\nclass A:\n    def m(self): return 1\nasync def h(y):\n    async for x in y:\n        await x\n    async with y:\n        pass\n",
};

const PYENV = join(homedir(), ".pyenv", "versions");
const interpreters = (existsSync(PYENV) ? readdirSync(PYENV) : [])
  .map((d) => ({ version: /^3\.(\d+)\.\d+$/.exec(d), exe: join(PYENV, d, "bin", "python") }))
  .filter((x): x is { version: RegExpExecArray; exe: string } => x.version !== null && Number(x.version[1]) >= 8)
  .map((x) => ({ version: `3.${x.version[1]}`, exe: x.exe }));

const root = mkdtempSync(join(tmpdir(), "snag-syntax-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "pkg"), { recursive: true });
writeFileSync(join(root, "pkg", "__init__.py"), "");
writeFileSync(join(root, "pytest.ini"), "[pytest]\npythonpath = .\n");
for (const [name, text] of Object.entries(MODULES)) writeFileSync(join(root, "pkg", `${name}.py`), text);

describe.skipIf(interpreters.length === 0)("--python-version judges syntax as that interpreter does", () => {
  it.each(interpreters)("python $version", async ({ version, exe }) => {
    const result = check(await scan(root, { pythonVersion: version }));
    for (const name of Object.keys(MODULES)) {
      const real = spawnSync(exe, ["-I", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(root)}); import pkg.${name}`], { encoding: "utf8", cwd: root, env: { PYTHONDONTWRITEBYTECODE: "1" } });
      const realSyntaxError = real.status !== 0 && /SyntaxError/.test(real.stderr.trim().split("\n").pop() ?? "");
      const verdict = result.modules.find((m) => m.module === `pkg.${name}`)!;
      const snagSyntaxError = !verdict.importable && verdict.cause?.exception === "SyntaxError";
      expect(snagSyntaxError, `pkg.${name} on ${version}: snag ${verdict.cause?.message ?? "imports"}, python: ${real.stderr.trim().split("\n").pop() ?? "imports"}`).toBe(realSyntaxError);
    }
  });
});
