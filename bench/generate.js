// Generates a synthetic Python repository: nested packages whose __init__ re-exports their
// modules, ~120-line modules importing siblings, and tests importing deep chains.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Modules per directory in both generators. */
const PER_PACKAGE = 20;

/** An empty `root` with its config files, and a writer that counts the source bytes it writes. */
function startRepo(root, dirs, configs) {
  rmSync(root, { recursive: true, force: true });
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const [file, text] of Object.entries(configs)) writeFileSync(join(root, file), text);
  const out = { bytes: 0 };
  out.write = (path, text) => {
    writeFileSync(path, text);
    out.bytes += Buffer.byteLength(text);
  };
  return out;
}

export function generateRepo(root, modules, { brokenEvery = 0 } = {}) {
  const repo = startRepo(root, ["tests"], { "pyproject.toml": '[project]\nname = "bench"\nversion = "0"\ndependencies = []\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n' });
  const perPackage = PER_PACKAGE;
  const packages = Math.ceil(modules / perPackage);
  const write = repo.write;
  for (let p = 0; p < packages; p++) {
    const top = `pkg${Math.floor(p / 10)}`;
    const sub = `sub${p % 10}`;
    const dir = join(root, "src", top, sub);
    mkdirSync(dir, { recursive: true });
    write(join(root, "src", top, "__init__.py"), `"""Package ${top}."""\n`);
    const names = [];
    for (let m = 0; m < perPackage && p * perPackage + m < modules; m++) {
      const name = `mod${m}`;
      names.push(name);
      const lines = [`"""Module ${top}.${sub}.${name}."""`, "from __future__ import annotations", "", "import json", "import os", "from typing import TYPE_CHECKING", ""];
      if (m > 0) lines.push(`from .mod${m - 1} import Thing${m - 1}`);
      if (brokenEvery && (p * perPackage + m) % brokenEvery === 0) lines.push("import snag_bench_absent_dependency");
      lines.push("if TYPE_CHECKING:", "    from collections.abc import Iterable", "");
      lines.push(`class Thing${m}:`, `    """A thing."""`, "");
      for (let f = 0; f < 25; f++) lines.push(`    def method_${f}(self, value: int) -> int:`, `        total = value + ${f}`, `        return total * 2`, "");
      lines.push("", `def helper_${m}(items: "Iterable[int]") -> str:`, "    return json.dumps(sorted(items)) + os.sep", "");
      write(join(dir, `${name}.py`), lines.join("\n"));
    }
    write(join(dir, "__init__.py"), names.map((n, i) => `from .${n} import Thing${i}`).join("\n") + "\n");
    if (p % 2 === 0) write(join(root, "tests", `test_${top}_${sub}.py`), `from ${top}.${sub} import Thing0\nfrom ${top}.${sub}.mod${names.length - 1} import helper_${names.length - 1}\n\n\ndef test_thing():\n    assert Thing0\n`);
  }
  return { bytes: repo.bytes };
}

// Generates a synthetic TypeScript repository of the same shape: nested directories with index.ts
// barrels (`export *`), ~120-line modules importing a sibling, and *.test.ts files importing deep
// chains; every `brokenEvery`-th module imports a file that does not exist.
export function generateTsRepo(root, modules, { brokenEvery = 0 } = {}) {
  const repo = startRepo(root, ["src"], {
    "package.json": '{ "name": "bench-ts", "private": true, "type": "module" }\n',
    "tsconfig.json": '{ "compilerOptions": { "strict": true, "noEmit": true, "module": "esnext", "moduleResolution": "bundler", "target": "es2022", "types": [] }, "include": ["src"] }\n',
  });
  const perPackage = PER_PACKAGE;
  const packages = Math.ceil(modules / perPackage);
  const write = repo.write;
  for (let p = 0; p < packages; p++) {
    const dir = join(root, "src", `pkg${Math.floor(p / 10)}`, `sub${p % 10}`);
    mkdirSync(dir, { recursive: true });
    const names = [];
    for (let m = 0; m < perPackage && p * perPackage + m < modules; m++) {
      const name = `mod${m}`;
      names.push(name);
      const lines = [`// Module ${p}.${m}.`, ""];
      if (m > 0) lines.push(`import { Thing${m - 1} } from "./mod${m - 1}";`);
      if (brokenEvery && (p * perPackage + m) % brokenEvery === 0) lines.push('import { gone } from "./snag-bench-absent";', "export const uses = gone;");
      lines.push('import type { Options } from "./types";', "");
      lines.push(`export class Thing${m} {`);
      for (let f = 0; f < 25; f++) lines.push(`  method${f}(value: number, options?: Options): number {`, `    const total = value + ${f};`, `    return options?.twice ? total * 2 : total;`, "  }");
      lines.push("}", "", `export function helper${m}(items: number[]): string {`, "  return JSON.stringify([...items].sort());", "}", "");
      write(join(dir, `${name}.ts`), lines.join("\n"));
    }
    write(join(dir, "types.ts"), "export interface Options {\n  twice?: boolean;\n}\n");
    write(join(dir, "index.ts"), names.map((n) => `export * from "./${n}";`).join("\n") + "\n");
    if (p % 2 === 0) write(join(dir, "index.test.ts"), `import { Thing0 } from "./index";\nimport { helper${names.length - 1} } from "./mod${names.length - 1}";\n\nif (!Thing0 || !helper${names.length - 1}) throw new Error("broken");\n`);
  }
  return { bytes: repo.bytes };
}
