/**
 * The command line, end to end through `main(argv, io)`: exit codes (0 ok, 1 "no such chain",
 * 2 usage errors), one-line errors without stack traces, and the output formats of `graph` and
 * `why` on a private copy of the seed-torch-chain fixture.
 */
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixtureInto } from "./helpers/fixtures.js";
import { main } from "../src/cli/main.js";

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const ANSI = /\x1b\[[0-9;]*m/g;
const STACK = /\n\s+at .+[(:]/;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(...args: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out: out.replace(ANSI, ""), err: err.replace(ANSI, "") };
}

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `snag-cli-${name}-`)));
  created.push(dir);
  copyFixtureInto(name, dir);
  return dir;
}

/** A one-line `snag: ...` error on stderr, nothing on stdout, no stack trace. */
function expectUsageError(r: Run, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe("");
  expect(r.err).toMatch(/^snag: [^\n]+\n$/);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(STACK);
}

interface GraphJson {
  version: number;
  kind: string;
  root: string;
  python: { version: string; source: string; executable?: string };
  sysPath: string[];
  modules: { id: string; name: string; kind: string; file?: string; test?: string; isPackage?: boolean }[];
  imports: { from: string; to: string; kind: string; file?: string; line: number; column: number; guard: string }[];
  diagnostics: unknown[];
}

let fixture: string;

beforeAll(() => {
  fixture = copyFixture("seed-torch-chain");
});

describe("help and version", () => {
  it("--help exits 0 and lists the commands", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Usage: snag /);
    expect(r.out).toContain("graph");
    expect(r.out).toContain("why");
  });

  it("no arguments at all prints the help and exits 0", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/^Usage: snag /);
    expect(r.out + r.err).not.toMatch(STACK);
  });

  // Regression test (src/cli/main.ts, main): with no command, commander itself prints the help to *stderr*
  // (help({ error: true })) and throws "commander.help", which main maps to exit 0; the
  // `if (argv.length <= 2) { io.out(program.helpInformation()) }` block after parseAsync is never
  // reached. So `snag` alone exits 0 with its help on stderr and nothing on stdout. Expected (what
  // the dead block intends): the help on stdout, nothing on stderr. (Alternatively: keep stderr and
  // exit 2 as a usage error, then delete the dead block.)
  it("no arguments prints the help on stdout", async () => {
    const r = await run();
    expect(r.out).toMatch(/^Usage: snag /);
    expect(r.err).toBe("");
  });

  it("--version and -V print package.json's version and exit 0", async () => {
    for (const flag of ["--version", "-V"]) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${PACKAGE_VERSION}\n`);
      expect(r.err).toBe("");
    }
  });

  it("graph --help exits 0 and documents the formats and environment options", async () => {
    const r = await run("graph", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: snag graph /);
    for (const word of ["--format", "json", "dot", "mermaid", "--focus", "--depth", "--python", "--no-env"]) expect(r.out).toContain(word);
  });

  it("why --help exits 0 and documents -C", async () => {
    const r = await run("why", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: snag why /);
    expect(r.out).toContain("<from> <to>");
    expect(r.out).toContain("-C, --path");
  });
});

describe("usage errors", () => {
  it("graph on a path that does not exist exits 2 with one line on stderr", async () => {
    const missing = join(tmpdir(), "snag-cli-definitely-missing", "repo");
    const r = await run("graph", missing);
    expectUsageError(r, new RegExp(`^snag: path does not exist: ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n$`));
  });

  it("graph on a file (not a directory) exits 2", async () => {
    const r = await run("graph", join(fixture, "utils", "metrics.py"));
    expectUsageError(r, /not a directory/);
  });

  it("graph --format yaml is a commander choice error: exit 2, no stack trace", async () => {
    const r = await run("graph", fixture, "--format", "yaml");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/yaml/);
    expect(r.err).toMatch(/json, dot, mermaid/);
    expect(r.err).not.toMatch(STACK);
  });

  it("an unknown command exits 2, no stack trace", async () => {
    const r = await run("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command 'frobnicate'/);
    expect(r.err).not.toMatch(STACK);
  });

  it("graph --depth with a non-number exits 2", async () => {
    expectUsageError(await run("graph", fixture, "--focus", "utils", "--depth", "-1"), /--depth must be a whole number/);
    expectUsageError(await run("graph", fixture, "--focus", "utils", "--depth", "two"), /--depth must be a whole number/);
  });

  it("graph --focus on an unknown module exits 2", async () => {
    expectUsageError(await run("graph", fixture, "--focus", "no.such.module"), /no module or file named "no\.such\.module"/);
  });

  it("why with an unknown FROM, or a bad --format, exits 2", async () => {
    expectUsageError(await run("why", "no_such_module", "torch", "-C", fixture), /no module or file named "no_such_module"/);
    expectUsageError(await run("why", "tests/test_tracker_offline.py", "torch", "-C", fixture, "--format", "yaml"), /--format must be text or json/);
  });

  it("why -C on a path that does not exist exits 2", async () => {
    const r = await run("why", "a", "b", "-C", join(tmpdir(), "snag-cli-definitely-missing"));
    expectUsageError(r, /^snag: path does not exist: /);
  });

  it("--python-version that is not 3.x exits 2", async () => {
    expectUsageError(await run("graph", fixture, "--python-version", "4.1"), /--python-version must look like 3\.12/);
  });
});

describe("graph", () => {
  it("--format json is the versioned contract with the torch chain in it", async () => {
    const r = await run("graph", fixture, "--format", "json");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const g = JSON.parse(r.out) as GraphJson;
    expect(g.version).toBe(1);
    expect(g.kind).toBe("snag-graph");
    expect(g.root).toBe(".");
    expect(g.python.version).toMatch(/^3\.\d+\.\d+$/);
    // Root-relative sys.path entries from pytest's configuration come first.
    expect(g.sysPath).toContain(".");
    expect(g.sysPath.some((p) => p.startsWith(fixture))).toBe(false);
    expect(g.modules).toContainEqual({ id: "?torch", name: "torch", kind: "missing", language: "python" });
    expect(g.modules).toContainEqual(expect.objectContaining({ id: "utils", kind: "local", file: "utils/__init__.py", isPackage: true }));
    expect(g.modules).toContainEqual(expect.objectContaining({ id: "test_tracker_offline", kind: "local", file: "tests/test_tracker_offline.py", test: "test" }));
    expect(g.imports).toContainEqual({
      from: "utils.adapters.model_adapter",
      to: "?torch",
      kind: "import",
      file: "utils/adapters/model_adapter.py",
      line: 14,
      column: 8,
      guard: "top",
    });
    // The optional wandb import is caught.
    expect(g.imports).toContainEqual(expect.objectContaining({ from: "utils.metrics", to: "?wandb", guard: "caught", line: 4 }));
    // Sorted output.
    const ids = g.modules.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(g.diagnostics).toEqual([]);
  });

  it("json is the default format and is byte-identical across runs", async () => {
    const a = await run("graph", fixture);
    const b = await run("graph", fixture, "-f", "json");
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  it("--format dot starts with digraph", async () => {
    const r = await run("graph", fixture, "--format", "dot");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("digraph")).toBe(true);
    expect(r.out).toContain('"utils.adapters.model_adapter" -> "?torch"');
    expect(r.out.trimEnd().endsWith("}")).toBe(true);
  });

  it("--format mermaid starts with flowchart LR", async () => {
    const r = await run("graph", fixture, "-f", "mermaid");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("flowchart LR")).toBe(true);
    expect(r.out).toContain("torch ✗ not found");
  });

  it("--no-stdlib leaves standard-library modules out of the picture", async () => {
    const full = await run("graph", fixture, "-f", "dot");
    const lean = await run("graph", fixture, "-f", "dot", "--no-stdlib");
    expect(full.out).toContain('"dataclasses"');
    expect(lean.code).toBe(0);
    expect(lean.out).not.toContain('"dataclasses"');
    expect(lean.out).toContain('"?torch"');
  });

  it("--focus utils.metrics --depth 1 keeps only its neighbourhood", async () => {
    const r = await run("graph", fixture, "--focus", "utils.metrics", "--depth", "1");
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.out) as GraphJson).modules.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["utils.metrics", "utils", "test_metrics_integration", "?wandb"]));
    for (const far of ["?torch", "utils.adapters.model_adapter", "test_tracker_offline", "json", "dataclasses"]) expect(ids).not.toContain(far);
    const g = JSON.parse(r.out) as GraphJson;
    for (const e of g.imports) {
      expect(ids).toContain(e.from);
      expect(ids).toContain(e.to);
    }
  });

  it("--focus accepts a file path and --depth 0 keeps the module alone", async () => {
    const r = await run("graph", fixture, "--focus", "utils/metrics.py", "--depth", "0");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as GraphJson;
    expect(g.modules.map((m) => m.id)).toEqual(["utils.metrics"]);
    expect(g.imports).toEqual([]);
  });

  it("--focus with mermaid restricts the picture too", async () => {
    const r = await run("graph", fixture, "-f", "mermaid", "--focus", "utils.metrics", "--depth", "1");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("flowchart LR")).toBe(true);
    expect(r.out).toContain('"utils.metrics"');
    expect(r.out).not.toContain("torch");
    expect(r.out).not.toContain("model_adapter");
  });

  it("--no-env still runs and torch is still missing", async () => {
    const r = await run("graph", fixture, "--no-env");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as GraphJson;
    expect(g.modules).toContainEqual(expect.objectContaining({ id: "?torch", kind: "missing" }));
    expect(g.modules.filter((m) => m.kind === "third-party")).toEqual([]);
  });

  it("--exclude leaves matching files out", async () => {
    const r = await run("graph", fixture, "--exclude", "tests/");
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.out) as GraphJson).modules.map((m) => m.id);
    expect(ids).not.toContain("test_tracker_offline");
    expect(ids).toContain("utils.metrics");
  });
});

describe("why", () => {
  it("prints the chain from a test file to torch with file:line per hop", async () => {
    const r = await run("why", "tests/test_tracker_offline.py", "torch", "-C", fixture);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain("test_tracker_offline → torch (3 hops)");
    expect(r.out).toContain("tests/test_tracker_offline.py:3  from utils import MetricsTracker");
    expect(r.out).toContain("utils/__init__.py:14  from .adapters.model_adapter import ModelAdapter");
    expect(r.out).toContain("utils/adapters/model_adapter.py:14  import torch");
    expect(r.out).toContain("✗ torch: not found");
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
  });

  it("accepts dotted names and ./-prefixed paths for FROM", async () => {
    const a = await run("why", "test_tracker_offline", "torch", "-C", fixture);
    const b = await run("why", "./tests/test_tracker_offline.py", "torch", "-C", fixture);
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  it("exits 1 when the modules are not connected", async () => {
    const r = await run("why", "utils.adapters.model_adapter", "json", "-C", fixture);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/utils\.adapters\.model_adapter does not import json/);
    expect(r.err).toBe("");
  });

  it("exits 1 in the other direction of a real chain", async () => {
    const r = await run("why", "torch", "tests/test_tracker_offline.py", "-C", fixture);
    expect(r.code).toBe(1);
  });

  it("--format json gives the chain of 3 hops", async () => {
    const r = await run("why", "tests/test_tracker_offline.py", "torch", "-C", fixture, "--format", "json");
    expect(r.code).toBe(0);
    const w = JSON.parse(r.out) as { version: number; from: string; to: string; found: boolean; chain: { from: string; to: string; kind: string; file: string; line: number; guard: string }[] };
    expect(w).toMatchObject({ version: 1, from: "test_tracker_offline", to: "?torch", found: true });
    expect(w.chain).toEqual([
      { from: "test_tracker_offline", to: "utils", kind: "from", file: "tests/test_tracker_offline.py", line: 3, guard: "top" },
      { from: "utils", to: "utils.adapters.model_adapter", kind: "from", file: "utils/__init__.py", line: 14, guard: "top" },
      { from: "utils.adapters.model_adapter", to: "?torch", kind: "import", file: "utils/adapters/model_adapter.py", line: 14, guard: "top" },
    ]);
  });

  it("--format json for unconnected modules: found false, empty chain, exit 1", async () => {
    const r = await run("why", "utils.adapters.model_adapter", "json", "-C", fixture, "-f", "json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ found: false, chain: [] });
  });

  it("shows the package hop when a submodule runs its package first", async () => {
    const r = await run("why", "utils.metrics", "torch", "-C", fixture);
    expect(r.code).toBe(0);
    expect(r.out).toContain("(importing utils.metrics runs its package utils first)");
    expect(r.out).toContain("utils/adapters/model_adapter.py:14");
  });

  it("--no-env still runs", async () => {
    const r = await run("why", "tests/test_tracker_offline.py", "torch", "-C", fixture, "--no-env");
    expect(r.code).toBe(0);
    expect(r.out).toContain("utils/adapters/model_adapter.py:14");
  });
});

describe("--python", () => {
  it("a nonexistent interpreter exits 2 with a clear message", async () => {
    const r = await run("graph", fixture, "--python", "/nonexistent/python");
    expectUsageError(r, /^snag: Python interpreter not found: \/nonexistent\/python\n$/);
  });

  it("a nonexistent interpreter is an error for why too, even with --no-env", async () => {
    const r = await run("why", "tests/test_tracker_offline.py", "torch", "-C", fixture, "--python", "/nonexistent/python", "--no-env");
    expectUsageError(r, /Python interpreter not found/);
  });

  it("a directory that is not a virtualenv exits 2", async () => {
    const r = await run("graph", fixture, "--python", fixture);
    expectUsageError(r, /Python interpreter not found/);
  });

  /** An executable shell script standing in for a broken interpreter. */
  function fakePython(body: string): string {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "snag-cli-fakepy-")));
    created.push(dir);
    const exe = join(dir, "python3");
    writeFileSync(exe, `#!/bin/sh\n${body}\n`);
    chmodSync(exe, 0o755);
    return exe;
  }

  it("an interpreter that fails with a message on stderr exits 2 and quotes it", async () => {
    const exe = fakePython('echo "boom: this is not python" >&2\nexit 3');
    const r = await run("graph", fixture, "--python", exe);
    expectUsageError(r, /could not query .*python3: boom: this is not python/);
  });

  // Regression test (src/resolve/interpreter.ts, probe): the probe's stdout goes straight into JSON.parse
  // outside the try/catch, so an "interpreter" that exits 0 without printing JSON (e.g.
  // `--python /bin/true`) raises a raw SyntaxError ("Unexpected end of JSON input"); main()
  // rethrows it and bin/snag.js prints "snag: internal error" with a stack trace. Expected: an
  // EnvironmentError, i.e. exit 2 and one line like "snag: could not query /bin/true: ...".
  it("an interpreter that prints no JSON exits 2 with a one-line error (not an internal error)", async () => {
    const exe = fakePython("exit 0");
    const r = await run("graph", fixture, "--python", exe);
    expectUsageError(r, /could not query/);
  });

  // Regression test (src/resolve/interpreter.ts, probe): when the interpreter fails with empty stderr, the
  // detail falls back to the last line of execFileSync's error message, which is the last line of
  // the embedded -c PROBE script, so `--python /bin/false` reports "could not query /bin/false: }))".
  // Expected: a detail that says what happened (e.g. "exited with status 1").
  it("an interpreter that fails silently gets a meaningful message, not a line of the probe script", async () => {
    const exe = fakePython("exit 1");
    const r = await run("graph", fixture, "--python", exe);
    expectUsageError(r, /could not query/);
    expect(r.err).not.toContain("}))");
    expect(r.err).toMatch(/status 1|exit/);
  });
});
