import { relative, sep } from "node:path";
import { openCacheDir, type CacheDir } from "../cache/dir.js";
import { cacheDisabled } from "./cache-flags.js";
import { scan, type Scan, type ScanOptions } from "../pipeline/scan.js";
import { progressBar, type ProgressBar } from "./progress.js";
import type { PythonEnvironment } from "../resolve/interpreter.js";

export function pythonMeta(env: PythonEnvironment): { executable?: string; version: string; source: string } {
  const python: { executable?: string; version: string; source: string } = { version: env.version.join("."), source: env.source };
  if (env.executable) python.executable = env.executable;
  return python;
}

export interface EnvironmentFlags {
  python?: string;
  env?: boolean;
  pythonVersion?: string;
  exclude?: string[];
  quiet?: boolean;
  /** false with --no-cache. */
  cache?: boolean;
  cacheDir?: string;
}

/** The cache directory for this run, or undefined when it is off or cannot be had. */
export function cacheFor(root: string, flags: EnvironmentFlags, { create = true }: { create?: boolean } = {}): CacheDir | undefined {
  if (cacheDisabled(flags)) return undefined;
  const explicit = flags.cacheDir ?? (process.env.SNAG_CACHE_DIR || undefined);
  return openCacheDir(root, explicit, { create });
}

export function scanOptions(flags: EnvironmentFlags, bar?: ProgressBar, cache?: CacheDir): ScanOptions {
  const o: ScanOptions = {};
  if (cache) o.cache = cache;
  if (bar) o.progress = bar.update;
  if (flags.python !== undefined) o.python = flags.python;
  if (flags.env === false) o.noEnv = true;
  if (flags.pythonVersion !== undefined) o.pythonVersion = flags.pythonVersion;
  if (flags.exclude !== undefined) o.exclude = flags.exclude;
  return o;
}

/** Root-relative with `/` when inside the root (`.` for the root), absolute otherwise. */
export function displayPath(root: string, abs: string): string {
  const r = relative(root, abs);
  if (r === "") return ".";
  if (r.startsWith("..") || r.startsWith(sep)) return abs;
  return r.split(sep).join("/");
}

/** The scan every command starts with, with a progress bar where someone is watching. */
export async function scanWithProgress(root: string, flags: EnvironmentFlags, cache: CacheDir | undefined = cacheFor(root, flags), more: Pick<ScanOptions, "stdlibInGraph"> = {}): Promise<Scan> {
  const bar = progressBar({ quiet: flags.quiet === true });
  try {
    return await scan(root, { ...scanOptions(flags, bar, cache), ...more });
  } finally {
    bar?.done();
  }
}
