/**
 * The warm path of `snag check`: before the parser, the graph library and the command-line
 * library are even loaded, look for a memoised run of this exact command (cache/run-memo.ts) and,
 * when nothing it looked at has changed, print what it printed and exit as it exited.
 *
 * It reads the command line only far enough to find the repository and the cache directory;
 * anything it does not recognise means "run for real", so a mistake here costs speed, never a
 * wrong answer (the memo key holds the whole command line anyway).
 */
import { resolve } from "node:path";
import { openCacheDir } from "../cache/dir.js";
import { currentContext, freshRun, runKey } from "../cache/run-memo.js";
import { cacheDisabled } from "./cache-flags.js";

const WITH_VALUE = new Set(["-f", "--format", "--fail-on", "--baseline", "--python", "--python-version", "--cache-dir"]);
const FLAGS = new Set(["--summary", "-v", "--verbose", "-q", "--quiet", "--no-env"]);

/** Where `snag check …` would scan and keep its cache, or undefined when replay should not be tried. */
export function replayTarget(argv: readonly string[]): { root: string; cacheDir?: string } | undefined {
  const args = argv.slice(2);
  if (args[0] !== "check") return undefined;
  let path: string | undefined;
  let cacheDir: string | undefined;
  for (let i = 1; i < args.length; i++) {
    let arg = args[i] as string;
    let value: string | undefined;
    if (arg.startsWith("--") && arg.includes("=")) {
      value = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    if (arg === "--exclude") {
      // Variadic, as commander reads it: every following word up to the next option.
      if (value === undefined) {
        if (i + 1 >= args.length || (args[i + 1] as string).startsWith("-")) return undefined;
        while (i + 1 < args.length && !(args[i + 1] as string).startsWith("-")) i++;
      }
    } else if (WITH_VALUE.has(arg)) {
      if (value === undefined) {
        if (i + 1 >= args.length) return undefined;
        value = args[++i] as string;
      }
      if (arg === "--cache-dir") cacheDir = value;
    } else if (FLAGS.has(arg) && value === undefined) {
      // no value
    } else if (!arg.startsWith("-") && path === undefined && value === undefined) {
      path = arg;
    } else {
      return undefined; // --no-cache, --write-baseline, --help, `--`, bundled short flags, a second path…
    }
  }
  return { root: resolve(path ?? "."), ...(cacheDir !== undefined ? { cacheDir } : {}) };
}

/** Replays a fresh memoised run and returns its exit code, or undefined to run for real. */
export function replay(argv: readonly string[], write: { out: (t: string) => void; err: (t: string) => void }): number | undefined {
  try {
    const target = replayTarget(argv);
    if (!target || cacheDisabled({})) return undefined;
    const dir = openCacheDir(target.root, target.cacheDir ?? (process.env.SNAG_CACHE_DIR || undefined), { create: false });
    if (!dir) return undefined;
    const record = freshRun(dir, runKey(currentContext(argv)));
    if (!record) return undefined;
    if (record.err) write.err(record.err);
    write.out(record.out);
    return record.code;
  } catch {
    return undefined;
  }
}
