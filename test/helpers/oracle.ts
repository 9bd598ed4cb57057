/**
 * Oracles for `snag check`: what really happens when CPython imports each module in a fresh
 * interpreter, and when pytest collects the test files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckResult } from "../../src/analyze/check.js";
import type { Scan } from "../../src/pipeline/scan.js";
import { python } from "./fixtures.js";

const IMPORT_EACH = new URL("../oracle/import_each.py", import.meta.url).pathname;
const PLUGIN_DIR = new URL("../oracle/", import.meta.url).pathname;

interface ImportTruth {
  ok: boolean;
  exception?: string;
  message?: string;
  /** ModuleNotFoundError.name: the module CPython could not find. */
  name?: string;
  file?: string;
  line?: number;
}

export function importTruth(result: Scan, modules: string[]): Record<string, ImportTruth> {
  const input = JSON.stringify({ path: result.resolved.sysPath, root: result.discovery.root, modules });
  return JSON.parse(python(result.env.executable!, [IMPORT_EACH], { input })) as Record<string, ImportTruth>;
}

interface CollectTruth {
  exitstatus: number;
  reports: { nodeid: string; outcome: string; longrepr?: string }[];
}

export function collectTruth(root: string, exe: string): CollectTruth {
  const dir = mkdtempSync(join(tmpdir(), "snag-collect-"));
  const out = join(dir, "reports.json");
  try {
    return collectInto(root, exe, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function collectInto(root: string, exe: string, out: string): CollectTruth {
  try {
    python(exe, ["-P", "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "collect_plugin"], {
      cwd: root,
      env: { PYTHONPATH: PLUGIN_DIR, SNAG_COLLECT_OUT: out },
    });
  } catch {
    // Collection errors make pytest exit non-zero; the plugin has written its reports.
  }
  // A session that stops at start-up (a usage error, a failing initial conftest) collects nothing
  // and never reaches the plugin's sessionfinish.
  if (!existsSync(out)) return { exitstatus: -1, reports: [] };
  return JSON.parse(readFileSync(out, "utf8")) as CollectTruth;
}

/** The innermost `path:line: in <module>` frame of a collection error inside the fixture. */
function failingFrame(longrepr: string | undefined): string | undefined {
  if (!longrepr) return undefined;
  const frames = [...longrepr.matchAll(/^([^\s:][^:\n]*\.py):(\d+): in /gm)].map((m) => `${m[1]}:${m[2]}`);
  const syntax = /^\s*File "([^"]+)", line (\d+)/m.exec(longrepr);
  if (frames.length === 0 && syntax) return `${syntax[1]}:${syntax[2]}`;
  return frames[frames.length - 1];
}

export function compareWithInterpreter(result: Scan, checked: CheckResult): string[] {
  const mismatches: string[] = [];
  const truth = importTruth(
    result,
    checked.modules.map((m) => m.module),
  );
  for (const m of checked.modules) {
    const real = truth[m.module]!;
    if (real.exception === "OracleError") {
      mismatches.push(`module ${m.module}: oracle failed: ${real.message}`);
      continue;
    }
    if (m.importable !== real.ok) {
      mismatches.push(`module ${m.module}: snag importable=${m.importable} (${m.cause?.message ?? ""}), CPython ok=${real.ok} (${real.exception}: ${real.message} at ${real.file}:${real.line})`);
      continue;
    }
    if (!m.importable && m.cause) {
      const where = `${m.cause.file}:${m.cause.line}`;
      if (m.cause.exception !== real.exception || where !== `${real.file}:${real.line}`) {
        mismatches.push(`module ${m.module}: snag ${m.cause.exception} at ${where}, CPython ${real.exception} at ${real.file}:${real.line} (${real.message})`);
      } else if (real.name !== undefined && m.cause.target !== real.name) {
        mismatches.push(`module ${m.module}: snag says '${m.cause.target}' is missing, CPython '${real.name}'`);
      }
    }
  }

  const collected = collectTruth(result.discovery.root, result.env.executable!);
  const byNode = new Map(collected.reports.map((r) => [r.nodeid, r]));
  for (const t of checked.tests) {
    if (t.kind !== "test") continue;
    const report = byNode.get(t.file);
    const realCollectable = report !== undefined && report.outcome !== "failed";
    if (realCollectable !== t.collectable) {
      const why = report?.longrepr?.split("\n").filter((l) => l.startsWith("E ")).join(" | ") ?? `no report (exit ${collected.exitstatus})`;
      mismatches.push(`test ${t.file}: snag collectable=${t.collectable} (${t.cause?.message ?? ""}), pytest ${realCollectable ? "collected it" : `failed: ${why}`}`);
      continue;
    }
    if (!t.collectable && report && t.cause && t.cause.rule !== "test-module-collision") {
      const frame = failingFrame(report.longrepr);
      const where = `${t.cause.file}:${t.cause.line}`;
      if (frame !== undefined && frame !== where) mismatches.push(`test ${t.file}: snag fails at ${where}, pytest at ${frame}`);
    }
  }
  return mismatches;
}


/** The Python part of a check: what CPython and pytest can be asked about. */
export function pythonView(checked: CheckResult): CheckResult {
  const py = (x: { language?: string }) => (x.language ?? "python") === "python";
  return { ...checked, modules: checked.modules.filter(py), tests: checked.tests.filter(py), findings: checked.findings.filter(py) };
}

/** Fixtures with Python files in them (the TypeScript-only ones are judged by tsc and node instead). */
export function hasPython(dir: string): boolean {
  const walk = (d: string): boolean =>
    readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? e.name !== "node_modules.fixture" && walk(join(d, e.name)) : e.name.endsWith(".py")));
  return walk(dir);
}

/** An interpreter's verdict on each source (python3's by default): does compile() accept it. */
export function compiles(sources: string[], exe = "python3"): boolean[] {
  const script = [
    "import json, sys, warnings",
    "warnings.simplefilter('ignore')",
    "def ok(s):",
    "    try:",
    "        compile(s, 'm', 'exec', dont_inherit=True)",
    "        return True",
    "    except (SyntaxError, ValueError):",
    "        return False",
    "print(json.dumps([ok(s) for s in json.load(sys.stdin)]))",
  ].join("\n");
  return JSON.parse(python(exe, ["-c", script], { input: JSON.stringify(sources) })) as boolean[];
}
