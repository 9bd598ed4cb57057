// Generates a synthetic Python repository: nested packages whose __init__ re-exports their
// modules, ~120-line modules importing siblings, and tests importing deep chains.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function generateRepo(root, modules, { brokenEvery = 0 } = {}) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "tests"), { recursive: true });
  writeFileSync(join(root, "pyproject.toml"), '[project]\nname = "bench"\nversion = "0"\ndependencies = []\n\n[tool.pytest.ini_options]\npythonpath = ["src"]\ntestpaths = ["tests"]\n');
  const perPackage = 20;
  const packages = Math.ceil(modules / perPackage);
  let bytes = 0;
  const write = (path, text) => {
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  };
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
  return { bytes };
}
