/**
 * A whole `snag check` run, kept for replay: what it printed and its exit code, with every path
 * it looked at and that path's state (observed-fs.ts). A re-run with the same command line, the
 * same environment variables and the same snag build replays it when every path is unchanged;
 * one changed, added or removed file anywhere snag looked means a real run.
 *
 * The key leaves out nothing that can change the answer: the raw arguments, the working
 * directory, the variables that choose and steer the interpreter and pytest, whether output goes
 * to a terminal (colours), and the code fingerprint.
 */
import { createHash } from "node:crypto";
import { serialize } from "node:v8";
import { readRecord, type CacheDir } from "./dir.js";
import { codeFingerprint } from "./fingerprint.js";
import { stateOfKey, type PathState } from "./observed-fs.js";

export interface RunRecord {
  format: 1;
  /** `state<TAB>path` lines, sorted by path; a path with `l:` in front was looked at as a symlink. */
  inputs: string;
  out: string;
  err: string;
  code: number;
}

const KEPT = 16;
const ENV_EXACT = new Set(["PATH", "HOME", "VIRTUAL_ENV", "CONDA_PREFIX", "CI", "NO_COLOR", "FORCE_COLOR", "TERM"]);
const ENV_PREFIXES = ["PYTHON", "PYTEST", "SNAG_"];

export interface RunContext {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr are terminals. */
  tty: [boolean, boolean];
}

export function currentContext(argv: readonly string[]): RunContext {
  return { argv, cwd: process.cwd(), env: process.env, tty: [process.stdout.isTTY === true, process.stderr.isTTY === true] };
}

export function runKey(ctx: RunContext): string {
  const env = Object.keys(ctx.env)
    .filter((k) => ENV_EXACT.has(k) || ENV_PREFIXES.some((p) => k.startsWith(p)))
    .sort()
    .map((k) => [k, ctx.env[k]]);
  const material = JSON.stringify({ code: codeFingerprint(), argv: ctx.argv.slice(2), cwd: ctx.cwd, env, tty: ctx.tty, platform: process.platform });
  return createHash("sha256").update(material).digest("hex").slice(0, 32);
}

const entryName = (key: string) => `run-${key}.v8`;

/** The record for `key` when every input it names is as it was; undefined otherwise. */
export function freshRun(dir: CacheDir, key: string): RunRecord | undefined {
  const record = readRecord(dir, entryName(key)) as RunRecord | undefined;
  if (record?.format !== 1 || typeof record.inputs !== "string" || typeof record.out !== "string" || typeof record.err !== "string" || !Number.isInteger(record.code)) return undefined;
  for (const line of record.inputs.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab < 0) return undefined;
    if (stateOfKey(line.slice(tab + 1)) !== line.slice(0, tab)) return undefined;
  }
  return record;
}

export function saveRun(dir: CacheDir, key: string, inputs: Map<string, PathState>, result: { out: string; err: string; code: number }): void {
  const lines = [...inputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, state]) => `${state}\t${path}`);
  const record: RunRecord = { format: 1, inputs: lines.join("\n"), ...result };
  dir.write(entryName(key), serialize(record));
  dir.prune(/^run-[0-9a-f]{32}\.v8$/, KEPT);
}
