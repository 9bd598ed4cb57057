/**
 * The whole pipeline on damaged input: seeded random byte edits, insertions and truncations of
 * every fixture file, random binary files, deeply nested expressions, a 5 MB generated module and
 * a FIFO named like a module. Nothing may escape as an exception, the report must be valid JSON,
 * identical for one and two parse threads and from run to run, and snag's verdict on each file's
 * syntax must be CPython's: every file that `compile()` rejects is reported, and no file it
 * accepts is.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { scan } from "../src/pipeline/scan.js";
import { checkToJson } from "../src/report/check-json.js";
import { mulberry32 } from "../src/report/html/data.js";
import { FIXTURES } from "./helpers/fixtures.js";


const NASTY = [0x00, 0xff, 0xfe, 0xc3, 0x80, 0x0d, 0x0a, 0x09, 0x0c, 0x22, 0x27, 0x28, 0x29, 0x3a, 0x5c, 0x23, 0x20];

function mutate(bytes: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(bytes);
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (b.length + 1));
    const what = Math.floor(rnd() * 5);
    if (what === 0 && b.length > 0) b[Math.min(at, b.length - 1)] = Math.floor(rnd() * 256);
    else if (what === 1) b = b.subarray(0, at);
    else if (what === 2) b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => NASTY[Math.floor(rnd() * NASTY.length)] as number)), b.subarray(at)]);
    else if (what === 3) b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(rnd() * 40)))]);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(Math.floor(rnd() * b.length), Math.floor(rnd() * b.length) + 30), b.subarray(at)]);
  }
  return b;
}

function fixturePython(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) out.push(...fixturePython(p));
    else if (e.isFile() && e.name.endsWith(".py")) out.push(p);
  }
  return out;
}

let root: string;
const written: string[] = [];

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "snag-fuzz-")));
  const rnd = mulberry32(20261203);
  const put = (rel: string, data: Buffer | string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
    written.push(rel);
  };
  writeFileSync(join(root, "pyproject.toml"), '[tool.pytest.ini_options]\ntestpaths = ["."]\n');
  // Every fixture file, damaged, three times over: enough files for the parse to use two threads.
  const sources = fixturePython(FIXTURES);
  for (let round = 0; round < 3; round++) {
    for (const src of sources) {
      const rel = relative(FIXTURES, src).replace(/[^A-Za-z0-9/._]/g, "_");
      const bytes = readFileSync(src);
      put(`r${round}/${rel}`, rnd() < 0.2 ? bytes : mutate(bytes, rnd));
    }
  }
  for (let i = 0; i < 20; i++) put(`binary/b${i}.py`, Buffer.from(Array.from({ length: Math.floor(rnd() * 4096) }, () => Math.floor(rnd() * 256))));
  put("deep/parens.py", `x = ${"(".repeat(5000)}1${")".repeat(5000)}\n`);
  put("deep/lists.py", `x = ${"[".repeat(3000)}${"]".repeat(3000)}\n`);
  put("deep/unclosed.py", `x = ${"{".repeat(20000)}\n`);
  put("deep/blocks.py", Array.from({ length: 120 }, (_, d) => `${" ".repeat(d)}if x:\n`).join("") + `${" ".repeat(120)}pass\n`);
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 5 * 1024 * 1024; i++) {
    const chunk = `import os as _m${i}\ndef f${i}(a, b=${i}):\n    return (a, b, "${"x".repeat(40)}")\n`;
    lines.push(chunk);
    size += chunk.length;
  }
  put("big/generated.py", lines.join(""));
  mkdirSync(join(root, "fifo"));
  execFileSync("mkfifo", [join(root, "fifo", "pipe.py")]);
}, 120_000);

afterAll(() => {
  if (root && !process.env.SNAG_FUZZ_KEEP) rmSync(root, { recursive: true, force: true });
});

let files: string[] = [];

async function report(jobs: number): Promise<string> {
  const scanned = await scan(root, { jobs, noEnv: true });
  files = scanned.discovery.files;
  return checkToJson(check(scanned), { root: ".", python: { version: scanned.env.version.join("."), source: scanned.env.source }, diagnostics: scanned.diagnostics });
}

/** CPython's verdict per file: compile() only, nothing runs. */
function compileVerdicts(files: string[]): Record<string, boolean> {
  const script = "import json,sys\nout={}\nfor p in json.load(sys.stdin):\n    try:\n        compile(open(p,'rb').read(), p, 'exec', dont_inherit=True)\n        out[p]=True\n    except (SyntaxError, ValueError):\n        out[p]=False\nprint(json.dumps(out))\n";
  const out = execFileSync("python3", ["-I", "-S", "-c", script], { input: JSON.stringify(files.map((f) => join(root, f))), encoding: "utf8", maxBuffer: 1 << 26, timeout: 120_000 });
  const byAbs = JSON.parse(out) as Record<string, boolean>;
  return Object.fromEntries(files.map((f) => [f, byAbs[join(root, f)] as boolean]));
}

describe("fuzzed repository", () => {
  let one: string;

  it("is scanned without an exception into valid JSON, the same for one and two threads and on every run", async () => {
    one = await report(1);
    expect(() => JSON.parse(one)).not.toThrow();
    expect(await report(2)).toBe(one);
    expect(await report(2)).toBe(one);
  }, 600_000);

  it("reports exactly the files CPython cannot compile", () => {
    const parsed = JSON.parse(one) as { diagnostics: { code: string; file: string }[] };
    const flagged = new Set(parsed.diagnostics.filter((d) => ["parse-error", "invalid-encoding", "binary-file"].includes(d.code)).map((d) => d.file));
    const candidates = written.filter((f) => statSync(join(root, f)).isFile());
    const verdicts = compileVerdicts(candidates);
    const missed = candidates.filter((f) => !verdicts[f] && !flagged.has(f));
    const falseAlarms = candidates.filter((f) => verdicts[f] && flagged.has(f));
    expect({ missed, falseAlarms }).toEqual({ missed: [], falseAlarms: [] });
    // The fuzzing is real: plenty of files on both sides.
    expect(candidates.filter((f) => !verdicts[f]).length).toBeGreaterThan(50);
    expect(candidates.filter((f) => verdicts[f]).length).toBeGreaterThan(50);
  }, 300_000);

  it("leaves the FIFO alone instead of blocking on it, and scans everything else", () => {
    expect(files).not.toContain("fifo/pipe.py");
    expect([...files].sort()).toEqual([...written].sort());
  });
});
