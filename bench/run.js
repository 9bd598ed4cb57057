// npm run bench: generated repositories of increasing size (SNAG_BENCH_SIZES, default 1000,10000;
// add 50000 for the memory check), each measured in fresh processes through the real `snag check`
// launcher: cold (empty cache), after one file changed (facts cache: one file parsed again), and
// unchanged (the memoised run is replayed); `ruff analyze graph` on the same tree when ruff can be
// had (SNAG_RUFF, or a venv under bench/out/ built from the local wheel store), and the full-parse
// floor. Prints a table and writes bench/out/results.json.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRepo } from "./generate.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = join(here, "out");
mkdirSync(out, { recursive: true });

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

const ruff = findRuff();
const sizes = (process.env.SNAG_BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const rows = [];
for (const n of sizes) {
  const root = join(tmpdir(), `snag-bench-${n}`);
  const { bytes } = generateRepo(root, n, { brokenEvery: 97 }); // also empties any cache
  const cli = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(here, "cli-once.js"), root], { encoding: "utf8", maxBuffer: 1 << 28 });
    const wallMs = Math.round(performance.now() - t0); // node's own startup included, as a user sees it
    const m = JSON.parse(r.stderr.trim().split("\n").pop());
    if (m.exitCode !== 0) throw new Error(`snag check ${root} failed: ${r.stderr}`);
    const { summary } = JSON.parse(r.stdout);
    return { wallMs, maxRssMiB: m.maxRssMiB, files: summary.modules, blocked: summary.blocked };
  };
  const cold = cli();
  appendFileSync(join(root, "src", "pkg0", "sub0", "mod1.py"), "\nCHANGED = True\n");
  const changed = cli();
  const warm = cli();
  const floor = JSON.parse(execFileSync(process.execPath, [join(here, "parse-floor.js"), root], { encoding: "utf8" }));
  const ruffMs = ruff ? timed(ruff, ["analyze", "graph", root]).wallMs : undefined;
  rows.push({
    generated: n,
    files: cold.files,
    megabytes: +(bytes / 1e6).toFixed(1),
    coldMs: cold.wallMs,
    changedMs: changed.wallMs,
    warmMs: warm.wallMs,
    filesPerSecond: Math.round((cold.files / cold.wallMs) * 1000),
    maxRssMiB: Math.max(cold.maxRssMiB, changed.maxRssMiB, warm.maxRssMiB),
    parseFloorMs: floor.wallMs,
    ...(ruffMs !== undefined ? { ruffMs, ratioToRuff: +(cold.wallMs / ruffMs).toFixed(1) } : {}),
    blocked: cold.blocked,
  });
}
const cols = ["modules", "files", "MB", "cold s", "1 changed s", "unchanged s", "files/s", "peak RSS MiB", "parse floor s", "ruff s", "snag/ruff"];
console.log(`| ${cols.join(" | ")} |\n|${cols.map(() => " --- ").join("|")}|`);
for (const r of rows) {
  const s = (ms) => (ms === undefined ? "n/a" : (ms / 1000).toFixed(2));
  console.log(`| ${[r.generated, r.files, r.megabytes, s(r.coldMs), s(r.changedMs), s(r.warmMs), r.filesPerSecond, r.maxRssMiB, s(r.parseFloorMs), s(r.ruffMs), r.ratioToRuff ?? "n/a"].join(" | ")} |`);
}
writeFileSync(join(out, "results.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ruff: ruff ? timed(ruff, ["--version"]).stdout.trim() : null, rows }, null, 2)}\n`);
