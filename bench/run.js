// npm run bench: generated repositories of increasing size (SNAG_BENCH_SIZES, default 1000,10000;
// add 50000 for the memory check), each measured in fresh processes through the real `snag check`
// launcher: cold (no cache at all) SNAG_BENCH_RUNS times (default 3; the median is reported, as
// one run on a shared machine can be off by a third), then after one file changed (the facts cache
// and the environment memo are warm; one file is parsed again) and unchanged (the memoised run is
// replayed). `ruff analyze graph` runs on the same tree as often, when ruff can be had (SNAG_RUFF,
// or a venv under bench/out/ built from the local wheel store), and the full-parse floor once.
// Then the same for generated TypeScript repositories (SNAG_BENCH_TS_SIZES, default 10000; empty
// to skip), with `tsc --noEmit` on the same tree as the reference when SNAG_BENCH_TSC=1 (it
// type-checks everything, so it is slow). Then real code, which the generated trees are not: the
// directories in SNAG_BENCH_REAL (comma-separated; default the standard library of the python3 on
// PATH; empty to skip), cold with --no-cache so nothing is written into them, against ruff.
// Prints tables and writes bench/out/results.json.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepo, generateTsRepo } from "./generate.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = join(here, "out");
mkdirSync(out, { recursive: true });
const RUNS = Math.max(1, Number(process.env.SNAG_BENCH_RUNS ?? 3));

function findRuff() {
  if (process.env.SNAG_RUFF) return process.env.SNAG_RUFF;
  const venv = join(out, "ruff-venv");
  const exe = join(venv, "bin", "ruff");
  if (existsSync(exe)) return exe;
  // pip is set up with a local wheel store here; elsewhere this simply fails and ruff is skipped.
  const made = spawnSync("python3", ["-m", "venv", venv]).status === 0 && spawnSync(join(venv, "bin", "python"), ["-m", "pip", "install", "-q", "ruff"], { stdio: "ignore", timeout: 300_000 }).status === 0;
  return made && existsSync(exe) ? exe : undefined;
}

function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { wallMs: Math.round(performance.now() - t0), stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** One `snag check` of `root` through the real launcher, timed from outside (node's own startup included, as a user sees it). */
function cli(root, flags = []) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(here, "cli-once.js"), root, ...flags], { encoding: "utf8", maxBuffer: 1 << 28 });
  const wallMs = Math.round(performance.now() - t0);
  const m = JSON.parse(r.stderr.trim().split("\n").pop());
  if (m.exitCode !== 0) throw new Error(`snag check ${root} failed: ${r.stderr}`);
  const { summary } = JSON.parse(r.stdout);
  return { wallMs, cpuMs: m.cpuMs, maxRssMiB: m.maxRssMiB, files: summary.modules, blocked: summary.blocked };
}

/** RUNS cold runs (cache removed before each), then one after `edit` changed a file, then one unchanged. */
function coldChangedWarm(root, edit) {
  const colds = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(join(root, ".snag-cache"), { recursive: true, force: true });
    colds.push(cli(root));
  }
  edit();
  const changed = cli(root);
  const warm = cli(root);
  return { colds, changed, warm };
}

function row(n, bytes, { colds, changed, warm }) {
  const coldMs = median(colds.map((c) => c.wallMs));
  return {
    generated: n,
    files: colds[0].files,
    megabytes: +(bytes / 1e6).toFixed(1),
    coldMs,
    coldRunsMs: colds.map((c) => c.wallMs),
    coldCpuMs: median(colds.map((c) => c.cpuMs)),
    changedMs: changed.wallMs,
    warmMs: warm.wallMs,
    filesPerSecond: Math.round((colds[0].files / coldMs) * 1000),
    maxRssMiB: Math.max(...colds.map((c) => c.maxRssMiB), changed.maxRssMiB, warm.maxRssMiB),
  };
}

const ruff = findRuff();
const sizes = (process.env.SNAG_BENCH_SIZES ?? "1000,10000").split(",").filter(Boolean).map(Number);
const rows = [];
for (const n of sizes) {
  const root = join(tmpdir(), `snag-bench-${n}`);
  const { bytes } = generateRepo(root, n, { brokenEvery: 97 });
  const runs = coldChangedWarm(root, () => appendFileSync(join(root, "src", "pkg0", "sub0", "mod1.py"), "\nCHANGED = True\n"));
  const floor = JSON.parse(execFileSync(process.execPath, [join(here, "parse-floor.js"), root], { encoding: "utf8" }));
  const ruffMs = ruff ? median(Array.from({ length: RUNS }, () => timed(ruff, ["analyze", "graph", root]).wallMs)) : undefined;
  const r = row(n, bytes, runs);
  rows.push({ ...r, parseFloorMs: floor.wallMs, ...(ruffMs !== undefined ? { ruffMs, ratioToRuff: +(r.coldMs / ruffMs).toFixed(1) } : {}), blocked: runs.colds[0].blocked });
}
const tsRows = [];
const tsSizes = (process.env.SNAG_BENCH_TS_SIZES ?? "10000").split(",").filter(Boolean).map(Number);
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
for (const n of tsSizes) {
  const root = join(tmpdir(), `snag-bench-ts-${n}`);
  const { bytes } = generateTsRepo(root, n, { brokenEvery: 97 });
  const runs = coldChangedWarm(root, () => appendFileSync(join(root, "src", "pkg0", "sub0", "mod1.ts"), "\nexport const changed = true;\n"));
  let tscMs;
  if (process.env.SNAG_BENCH_TSC === "1") {
    const t3 = performance.now();
    spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json"), "--noEmit"], { stdio: "ignore" });
    tscMs = Math.round(performance.now() - t3);
  }
  const r = row(n, bytes, runs);
  tsRows.push({ ...r, ...(tscMs !== undefined ? { tscMs, ratioToTsc: +(r.coldMs / tscMs).toFixed(2) } : {}) });
}

const realRows = [];
const realDirs = (process.env.SNAG_BENCH_REAL ?? defaultRealDir()).split(",").filter(Boolean);
for (const root of realDirs) {
  const colds = Array.from({ length: RUNS }, () => cli(root, ["--no-cache"]));
  const coldMs = median(colds.map((c) => c.wallMs));
  const ruffMs = ruff ? median(Array.from({ length: RUNS }, () => timedAnyStatus(ruff, ["analyze", "graph", root]))) : undefined;
  const megabytes = +(pythonBytes(root) / 1e6).toFixed(1);
  realRows.push({
    root,
    files: colds[0].files,
    megabytes,
    coldMs,
    coldRunsMs: colds.map((c) => c.wallMs),
    coldCpuMs: median(colds.map((c) => c.cpuMs)),
    megabytesPerSecond: +((megabytes / coldMs) * 1000).toFixed(2),
    maxRssMiB: Math.max(...colds.map((c) => c.maxRssMiB)),
    ...(ruffMs !== undefined ? { ruffMs, ratioToRuff: +(coldMs / ruffMs).toFixed(1) } : {}),
  });
}

/** The standard library of the python3 on PATH, or nothing without one. */
function defaultRealDir() {
  const r = spawnSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

/** ruff warns and exits non-zero on the standard library's deliberately broken files; its time still counts. */
function timedAnyStatus(cmd, args) {
  const t0 = performance.now();
  spawnSync(cmd, args, { stdio: "ignore" });
  return Math.round(performance.now() - t0);
}

/** Bytes of the .py files snag scans under `root` (its default excludes, site-packages among them). */
function pythonBytes(root) {
  const script = `import("${join(here, "..", "dist", "discover", "walk.js")}").then(({ walkSources }) => { const fs = require("node:fs"); let n = 0; for (const f of walkSources(process.argv[1], { extensions: [".py"] }).files) n += fs.statSync(require("node:path").join(process.argv[1], f)).size; console.log(n); })`;
  return Number(execFileSync(process.execPath, ["-e", script, root], { encoding: "utf8" }).trim());
}

const s = (ms) => (ms === undefined ? "n/a" : (ms / 1000).toFixed(2));
const cols = ["modules", "files", "MB", `cold s (median of ${RUNS})`, "cold CPU s", "1 changed s", "unchanged s", "files/s", "peak RSS MiB", "parse floor s", "ruff s", "snag/ruff"];
if (rows.length > 0) console.log(`| ${cols.join(" | ")} |\n|${cols.map(() => " --- ").join("|")}|`);
for (const r of rows) console.log(`| ${[r.generated, r.files, r.megabytes, s(r.coldMs), s(r.coldCpuMs), s(r.changedMs), s(r.warmMs), r.filesPerSecond, r.maxRssMiB, s(r.parseFloorMs), s(r.ruffMs), r.ratioToRuff ?? "n/a"].join(" | ")} |`);
if (tsRows.length > 0) {
  const tcols = ["TS modules", "files", "MB", `cold s (median of ${RUNS})`, "cold CPU s", "1 changed s", "unchanged s", "files/s", "peak RSS MiB", "tsc --noEmit s", "snag/tsc"];
  console.log(`\n| ${tcols.join(" | ")} |\n|${tcols.map(() => " --- ").join("|")}|`);
  for (const r of tsRows) console.log(`| ${[r.generated, r.files, r.megabytes, s(r.coldMs), s(r.coldCpuMs), s(r.changedMs), s(r.warmMs), r.filesPerSecond, r.maxRssMiB, s(r.tscMs), r.ratioToTsc ?? "n/a"].join(" | ")} |`);
}
if (realRows.length > 0) {
  const rcols = ["real code", "files", "MB", `cold s (median of ${RUNS})`, "cold CPU s", "MB/s", "peak RSS MiB", "ruff s", "snag/ruff"];
  console.log(`\n| ${rcols.join(" | ")} |\n|${rcols.map(() => " --- ").join("|")}|`);
  for (const r of realRows) console.log(`| ${[r.root, r.files, r.megabytes, s(r.coldMs), s(r.coldCpuMs), r.megabytesPerSecond, r.maxRssMiB, s(r.ruffMs), r.ratioToRuff ?? "n/a"].join(" | ")} |`);
}
writeFileSync(join(out, "results.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, ruff: ruff ? timed(ruff, ["--version"]).stdout.trim() : null, rows, typescript: tsRows, real: realRows }, null, 2)}\n`);
