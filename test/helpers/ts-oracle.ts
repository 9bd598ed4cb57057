/**
 * Oracles for TypeScript/JavaScript fixtures: what the real `tsc` reports for a project, and what
 * really happens when `node` runs an entry point. Fixtures are copied to a fresh temporary directory
 * first (materialised), so that a checked-in `node_modules.fixture/` becomes `node_modules/` and npm
 * workspace links exist, as after `npm install`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { copyFixtureInto } from "./fixtures.js";

const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");

export interface TscDiagnostic {
  /** Relative to the materialised fixture directory, `/`-separated. */
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

export interface NodeRun {
  ok: boolean;
  /** e.g. "ReferenceError", from the first `XxxError: message` line of stderr. */
  errorName?: string;
  message?: string;
  status?: number | null;
  stderr?: string;
}

/**
 * Copy `fixtures/<fixture>` into a fresh temporary directory, rename `node_modules.fixture/` (at any
 * depth) to `node_modules/`, and link npm workspaces into the root `node_modules/` the way
 * `npm install` does. Returns the absolute (real) path.
 */
export function materialize(fixture: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "snag-ts-")));
  copyFixtureInto(fixture, dir);
  renameFixtureNodeModules(dir);
  linkWorkspaces(dir);
  return dir;
}

function renameFixtureNodeModules(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === "node_modules.fixture") {
      const target = join(dir, "node_modules");
      if (existsSync(target)) throw new Error(`${target} already exists next to node_modules.fixture`);
      renameSync(path, target);
    } else if (entry.name !== "node_modules") {
      renameFixtureNodeModules(path);
    }
  }
}

function linkWorkspaces(root: string): void {
  const pkgPath = join(root, "package.json");
  if (!existsSync(pkgPath)) return;
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { workspaces?: string[] | { packages?: string[] } };
  const patterns = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? []);
  for (const pattern of patterns) {
    for (const wsDir of expandWorkspacePattern(root, pattern)) {
      const wsPkgPath = join(wsDir, "package.json");
      if (!existsSync(wsPkgPath)) continue;
      const name = (JSON.parse(readFileSync(wsPkgPath, "utf8")) as { name?: string }).name;
      if (!name) continue;
      const link = join(root, "node_modules", ...name.split("/"));
      if (existsSync(link)) continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(relative(dirname(link), wsDir), link, "dir");
    }
  }
}

/** The workspace globs npm fixtures use: literal paths and a trailing or inner single `*` segment. */
function expandWorkspacePattern(root: string, pattern: string): string[] {
  let dirs = [root];
  for (const segment of pattern.replace(/\/+$/, "").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment.includes("*")) {
      const re = new RegExp(`^${segment.split("*").map(escapeRegExp).join("[^/]*")}$`);
      dirs = dirs.flatMap((d) =>
        existsSync(d)
          ? readdirSync(d, { withFileTypes: true })
              .filter((e) => e.isDirectory() && e.name !== "node_modules" && re.test(e.name))
              .map((e) => join(d, e.name))
          : [],
      );
    } else {
      dirs = dirs.map((d) => join(d, segment)).filter((d) => existsSync(d) && statSync(d).isDirectory());
    }
  }
  return dirs.sort();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function runTsc(dir: string, args: string[]): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, [TSC, ...args, "--pretty", "false"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  // Exit 0: clean; 1/2: diagnostics (2 = some outputs skipped). Anything else is tsc itself failing.
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) {
    throw new Error(`tsc exited with ${r.status}: ${r.stderr}${r.stdout}`);
  }
  return { stdout: r.stdout, status: r.status };
}

/** Parse `path(line,col): error TSnnnn: message` lines; indented lines continue the previous message. */
export function parseTscOutput(dir: string, stdout: string): TscDiagnostic[] {
  const out: TscDiagnostic[] = [];
  const fileLine = /^(.+)\((\d+),(\d+)\): error TS(\d+): (.*)$/;
  const globalLine = /^error TS(\d+): (.*)$/;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const m = fileLine.exec(line);
    if (m) {
      const abs = isAbsolute(m[1]!) ? m[1]! : resolve(dir, m[1]!);
      out.push({
        file: relative(dir, abs).split(sep).join("/"),
        line: Number(m[2]),
        column: Number(m[3]),
        code: Number(m[4]),
        message: m[5]!,
      });
      continue;
    }
    const g = globalLine.exec(line);
    if (g) {
      // Config-level errors (TS5xxx, TS18003, ...) have no position.
      out.push({ file: "", line: 0, column: 0, code: Number(g[1]), message: g[2]! });
      continue;
    }
    if (/^\s/.test(line) && out.length > 0) {
      out[out.length - 1]!.message += `\n${line.trim()}`;
      continue;
    }
    throw new Error(`unparsed tsc output line: ${JSON.stringify(line)}`);
  }
  return out.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.code - b.code,
  );
}

/** Type-check one project (`project` is relative to `dir`) with the repository's own TypeScript. */
export function tscDiagnostics(dir: string, project = "tsconfig.json"): TscDiagnostic[] {
  const { stdout } = runTsc(dir, ["-p", join(dir, project), "--noEmit"]);
  return parseTscOutput(dir, stdout);
}

/** Type-check and emit (the project's own outDir), for fixtures whose runtime truth needs JavaScript. */
export function tscBuild(dir: string, project = "tsconfig.json"): TscDiagnostic[] {
  const { stdout } = runTsc(dir, ["-p", join(dir, project), "--noEmit", "false"]);
  return parseTscOutput(dir, stdout);
}

/** Run `node <entry>` in `dir`; on failure, the first `XxxError: message` line of stderr. */
export function nodeRun(dir: string, entry: string): NodeRun {
  const r = spawnSync(process.execPath, [entry], {
    cwd: dir,
    encoding: "utf8",
    timeout: 20_000,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.error) throw r.error;
  if (r.status === 0) return { ok: true, status: 0 };
  const m = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)|Error)(?: \[[A-Z_0-9]+\])?: (.*)$/m.exec(r.stderr);
  return { ok: false, status: r.status, stderr: r.stderr, ...(m ? { errorName: m[1]!, message: m[2]! } : {}) };
}

export interface VitestFile {
  /** Root-relative, `/`-separated. */
  file: string;
  /** The file was imported: its tests ran, or it has none ("No test suite found"). */
  loaded: boolean;
  message: string;
}

/**
 * Run the repository's own vitest over a directory, with no config of its own, and say for each
 * test file whether it loaded. A fixture's test files hold no tests, so a file that loads fails
 * only with "No test suite found"; any other failure is the import failing.
 */
export function vitestRun(dir: string): VitestFile[] {
  const bin = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
  const out = join(dir, ".vitest-result.json");
  const r = spawnSync(process.execPath, [bin, "run", "--root", dir, "--reporter=json", `--outputFile=${out}`, "--pool=forks", "--no-file-parallelism"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, CI: "true", NODE_OPTIONS: "", VITEST: undefined, VITEST_MODE: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined, TEST: undefined, NODE_ENV: undefined },
  });
  if (r.error) throw r.error;
  if (!existsSync(out)) throw new Error(`vitest wrote no result (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  const result = JSON.parse(readFileSync(out, "utf8")) as { testResults: { name: string; status: string; message?: string }[] };
  rmSync(out, { force: true });
  return result.testResults
    .map((t) => {
      const message = t.message ?? "";
      return { file: relative(dir, t.name).split(sep).join("/"), loaded: t.status === "passed" || /No test suite found/.test(message), message };
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
