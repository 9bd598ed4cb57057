/**
 * Import cycles everywhere, held to CPython: seeded random repositories of nested packages whose
 * `__init__` re-exports from their submodules (so every package is a cycle with its modules),
 * modules importing each other's names across packages, some of them before the name is bound,
 * some under try/except, some missing. Each module's verdict (importable or not, the exception,
 * the failing file:line) must be what a fresh interpreter does, and each test file must collect
 * as it does in one real pytest session.
 *
 * This is what holds the simulator's sharing of fresh-interpreter states between the submodules
 * of a package (simulate.ts, importFresh) to the plain answer: one fresh run per module.
 */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { mulberry32 } from "../src/report/html/data.js";
import { compareWithInterpreter, pythonView } from "./helpers/oracle.js";

interface Module {
  name: string;
  file: string;
  /** Names it binds at the end of its body (`NAME_<i> = ...`). */
  defines: string[];
}

function generate(seed: number): string {
  const random = mulberry32(seed);
  const rand = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const root = realpathSync(mkdtempSync(join(tmpdir(), `snag-cyclic-${seed}-`)));
  const files = new Map<string, string[]>();
  const modules: Module[] = [];
  let counter = 0;
  const addPackage = (name: string, depth: number) => {
    const dir = name.split(".").join("/");
    files.set(`${dir}/__init__.py`, []);
    modules.push({ name, file: `${dir}/__init__.py`, defines: [`P${counter++}`] });
    for (let m = 1 + rand(4); m > 0; m--) {
      const mod = `${name}.m${counter}`;
      files.set(`${dir}/m${counter}.py`, []);
      modules.push({ name: mod, file: `${dir}/m${counter}.py`, defines: [`N${counter++}`, `N${counter++}`] });
    }
    if (depth < 2) for (let s = rand(3); s > 0; s--) addPackage(`${name}.s${counter++}`, depth + 1);
  };
  for (let p = 2 + rand(4); p > 0; p--) addPackage(`top${counter++}`, 0);
  const relative = (from: Module, to: Module): string | undefined => {
    // `from .x import` spelling when `to` sits in the importer's own package.
    const pkg = from.file.endsWith("__init__.py") ? from.name : from.name.slice(0, from.name.lastIndexOf("."));
    if (!to.name.startsWith(`${pkg}.`) || to.name.slice(pkg.length + 1).includes(".")) return undefined;
    return `.${to.name.slice(pkg.length + 1)}`;
  };
  for (const mod of modules) {
    const lines = files.get(mod.file)!;
    // Some names are bound before the imports run, so some cycles work and some do not.
    const early = mod.defines.filter(() => rand(2) === 0);
    for (const d of early) lines.push(`${d} = ${JSON.stringify(d)}`);
    const isInit = mod.file.endsWith("__init__.py");
    const own = modules.filter((m) => m.name.startsWith(`${mod.name}.`) && !m.name.slice(mod.name.length + 1).includes("."));
    // Re-exports first: the pattern that makes every package a cycle with its submodules.
    if (isInit) for (const sub of own) if (rand(3) > 0) lines.push(`from .${sub.name.split(".").pop()} import ${pick(sub.defines)}`);
    for (let s = rand(3) === 0 ? 1 + rand(2) : 0; s > 0; s--) {
      const other = pick(modules);
      if (other === mod) continue;
      const name = pick(other.defines);
      const rel = relative(mod, other);
      const spelled = rel && rand(2) === 0 ? rel : other.name;
      const statement = rand(5) === 0 ? `import ${other.name}` : `from ${spelled} import ${name}`;
      switch (rand(20)) {
        case 0:
          lines.push("try:", `    ${statement}`, "except ImportError:", "    pass");
          break;
        case 1:
          lines.push(`from ${spelled} import NOT_THERE_${rand(3)}`);
          break;
        default:
          lines.push(statement);
      }
    }
    if (rand(40) === 0) lines.push("import snag_certainly_absent_module");
    if (rand(40) === 0) lines.push('raise RuntimeError("refuses to import")');
    for (const d of mod.defines) if (!early.includes(d)) lines.push(`${d} = ${JSON.stringify(d)}`);
  }
  for (const [file, lines] of files) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    writeFileSync(join(root, file), `${lines.join("\n")}\n`);
  }
  // Test files importing a few modules each, in one pytest session.
  mkdirSync(join(root, "tests"));
  for (let t = 0; t < 4; t++) {
    const lines = Array.from({ length: 1 + rand(3) }, () => {
      const m = pick(modules);
      return rand(2) === 0 ? `import ${m.name}` : `from ${m.name} import ${pick(m.defines)}`;
    });
    writeFileSync(join(root, "tests", `test_t${t}.py`), `${lines.join("\n")}\n\n\ndef test_it():\n    pass\n`);
  }
  writeFileSync(join(root, "pyproject.toml"), '[tool.pytest.ini_options]\npythonpath = ["."]\ntestpaths = ["tests"]\n');
  return root;
}

describe("packages that are import cycles with their own modules", () => {
  // SNAG_CYCLIC_SEEDS=FROM-TO searches further (e.g. 1-500) without changing the suite.
  const [from, to] = (process.env.SNAG_CYCLIC_SEEDS ?? "1-24").split("-").map(Number) as [number, number];
  for (let seed = from; seed <= to; seed++) {
    it(`agree with CPython and pytest (seed ${seed})`, async () => {
      const root = generate(seed);
      const result = await scan(root);
      const checked = pythonView(check(result));
      expect(checked.modules.length).toBeGreaterThan(3);
      expect(compareWithInterpreter(result, checked)).toEqual([]);
    });
  }
});
