import { relative, sep } from "node:path";
import type { ScanOptions } from "../pipeline/scan.js";

export interface EnvironmentFlags {
  python?: string;
  env?: boolean;
  pythonVersion?: string;
  exclude?: string[];
}

export function scanOptions(flags: EnvironmentFlags): ScanOptions {
  const o: ScanOptions = {};
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
