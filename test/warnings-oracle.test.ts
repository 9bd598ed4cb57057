/**
 * The table of standard-library modules that warn when imported, held to each installed
 * interpreter: under `-W error`, `import X` must fail with exactly the category and message the
 * table gives for that version, and modules outside the table must import cleanly.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importWarningsAsErrors, WARNS_ON_IMPORT } from "../src/analyze/session/warnings.js";

const PYENV = join(homedir(), ".pyenv", "versions");
const interpreters = Object.keys(WARNS_ON_IMPORT)
  .map((v) => {
    const dir = existsSync(PYENV) ? readdirSync(PYENV).find((d) => d.startsWith(`${v}.`)) : undefined;
    return { version: v, exe: dir ? join(PYENV, dir, "bin", "python") : `python${v}` };
  })
  .filter(({ exe }) => spawnSync(exe, ["-c", "pass"]).status === 0);

const ALL = [...new Set(Object.values(WARNS_ON_IMPORT).flatMap((t) => [...t.keys()]))];
const CLEAN = ["os", "json", "asyncio", "importlib", "re", "email", "unittest", "typing"];

describe.skipIf(interpreters.length === 0)("modules that warn on import", () => {
  it.each(interpreters)("python $version", ({ version, exe }) => {
    const script = `
import json, sys, warnings
out = {}
for name in sys.argv[1:]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            __import__(name)
            out[name] = None
        except Warning as w:
            out[name] = [type(w).__name__, str(w)]
        except ImportError:
            out[name] = "ImportError"
    for m in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[m]
print(json.dumps(out))`;
    const r = spawnSync(exe, ["-I", "-c", script, ...ALL, ...CLEAN], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const real = JSON.parse(r.stdout) as Record<string, [string, string] | null | "ImportError">;
    const table = WARNS_ON_IMPORT[version]!;
    for (const name of [...ALL, ...CLEAN]) {
      const want = table.get(name);
      const got = real[name];
      if (want) expect(got, `${name} on ${version}`).toEqual([want.category, want.message]);
      else expect(Array.isArray(got), `${name} on ${version} warned: ${JSON.stringify(got)}`).toBe(false);
    }
  });
});

describe("filters", () => {
  it("error alone turns every known import warning into an error", () => {
    const policy = importWarningsAsErrors(["error"], [], "3.11")!;
    expect(policy("imp")?.category).toBe("DeprecationWarning");
    expect(policy("os")).toBeUndefined();
  });
  it("a later ignore wins, by category or by message", () => {
    expect(importWarningsAsErrors(["error", "ignore::DeprecationWarning"], [], "3.11")).toBeUndefined();
    const policy = importWarningsAsErrors(["error", "ignore:the imp module:DeprecationWarning"], [], "3.11")!;
    expect(policy("imp")).toBeUndefined();
    expect(policy("telnetlib")).toBeDefined();
  });
  it("-W from the command line comes after the ini filters", () => {
    expect(importWarningsAsErrors(["ignore::DeprecationWarning"], ["error::DeprecationWarning"], "3.11")?.("imp")).toBeDefined();
    expect(importWarningsAsErrors(["error"], ["ignore"], "3.11")).toBeUndefined();
  });
  it("predicts nothing it cannot judge: a module field, a package's category, an unknown version", () => {
    expect(importWarningsAsErrors(["error", "ignore:::mypkg.*"], [], "3.11")).toBeUndefined();
    expect(importWarningsAsErrors(["error", "ignore::pytest.PytestDeprecationWarning"], [], "3.11")).toBeUndefined();
    expect(importWarningsAsErrors(["error"], [], "3.9")).toBeUndefined();
    expect(importWarningsAsErrors(["error::UserWarning"], [], "3.11")).toBeUndefined();
  });
});
