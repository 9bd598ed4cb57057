/**
 * The plugins a pytest session loads and what each registers, the way pytest starts: its default
 * plugins (minus `-p no:NAME`), the `pytest11` entry points of installed distributions (unless
 * autoloading is off), the modules named by `-p NAME`, then the initial conftests. Everything is
 * read statically; nothing is imported.
 */
import { readdirSync, readFileSync } from "../../cache/observed-fs.js";
import { dirname, join } from "node:path";
import type { EnvMemo } from "../../cache/env-memo.js";
import type { Distribution } from "../../resolve/distributions.js";
import type { Finder } from "../../resolve/finder.js";
import { actionArities, defaultPluginNames, scanRegistrations, stringConstants, type Arity, type Known, type OptionSpec } from "./addoption-scan.js";

export interface PluginInfo {
  /** The name `-p no:NAME` refers to: the entry-point name, or the module name. */
  name: string;
  module: string;
  distribution?: Distribution;
  /** Absolute source file read for its registrations (absent: not found or not Python source). */
  file?: string;
  options: OptionSpec[];
  ini: string[];
  markers: string[];
  /** Registers names snag cannot read statically (see Registrations). */
  openOptions?: boolean;
  openIni?: boolean;
}

export interface EntryPointPlugin {
  name: string;
  module: string;
  distribution: Distribution;
}

/** The `[pytest11]` entry points of the installed distributions. */
export function entryPointPlugins(distributions: readonly Distribution[]): EntryPointPlugin[] {
  const out: EntryPointPlugin[] = [];
  for (const dist of distributions) {
    let text: string;
    try {
      text = readFileSync(join(dist.metaDir, "entry_points.txt"), "utf8");
    } catch {
      continue;
    }
    const section = /^\[pytest11\][^\n]*\n([^[]*)/m.exec(text)?.[1] ?? "";
    for (const line of section.split(/\r?\n/)) {
      const m = /^\s*([^=\s][^=]*?)\s*=\s*([\w.]+)/.exec(line);
      if (m) out.push({ name: m[1]!, module: m[2]!, distribution: dist });
    }
  }
  return out;
}

type Read = { options: OptionSpec[]; ini: string[]; markers: string[]; openOptions?: boolean; openIni?: boolean };
const cache = new Map<string, Read>();

/** pytest's own custom argparse actions and string constants, which its plugins (and others) use. */
let known: Known = {};

/** What one source file registers (memoised by path: installed plugins do not change mid-run). */
export function registrationsOf(file: string): Read {
  const hit = cache.get(file);
  if (hit) return hit;
  let out: Read = { options: [], ini: [], markers: [] };
  try {
    out = scanRegistrations(readFileSync(file, "utf8"), known);
  } catch {
    // An unreadable plugin registers nothing snag can see.
  }
  cache.set(file, out);
  return out;
}

/** A module's source file through the finder, when it is Python source. */
export function sourceOf(finder: Finder, module: string): string | undefined {
  const found = finder.find(module);
  if (!found.found) return undefined;
  const file = found.location.file;
  return file && file.endsWith(".py") ? file : undefined;
}

/**
 * pytest's own plugins, from the installed `_pytest` package: `config/__init__.py` and every
 * default plugin. Reading them is the same on every run until pytest changes: `memo` keeps it.
 */
export function builtinPlugins(finder: Finder, disabled: ReadonlySet<string>, memo?: EnvMemo): PluginInfo[] {
  const init = sourceOf(finder, "_pytest");
  if (!init) return [];
  const read = () => {
    const plugins = readBuiltinPlugins(finder, init, disabled);
    return { plugins, actions: [...(known.actions ?? [])], constants: [...(known.constants ?? [])] };
  };
  const got = memo ? memo.get("pytest-plugins", JSON.stringify([init, [...disabled].sort()]), read) : read();
  // pytest's custom actions and constants are what other plugins' registrations are read with.
  known = { actions: new Map(got.actions), constants: new Map(got.constants) };
  return got.plugins;
}

function readBuiltinPlugins(finder: Finder, init: string, disabled: ReadonlySet<string>): PluginInfo[] {
  const root = dirname(init);
  const configInit = join(root, "config", "__init__.py");
  let names: string[] = [];
  try {
    names = defaultPluginNames(readFileSync(configInit, "utf8"));
  } catch {
    return [];
  }
  // Custom actions and constants are defined once and used across pytest's plugins
  // (HelpAction, OverrideIniAction, EMPTY_PARAMETERSET_OPTION, Config.VERBOSITY_*).
  const actions = new Map<string, Arity>();
  const constants = new Map<string, string>();
  for (const f of pythonFiles(root)) {
    try {
      const src = readFileSync(f, "utf8");
      for (const [k, v] of actionArities(src)) actions.set(k, v);
      for (const [k, v] of stringConstants(src)) if (!constants.has(k)) constants.set(k, v);
    } catch {
      // A file snag cannot read defines nothing.
    }
  }
  known = { actions, constants };
  const out: PluginInfo[] = [{ name: "config", module: "_pytest.config", file: configInit, ...registrationsOf(configInit) }];
  for (const name of names) {
    if (disabled.has(name)) continue;
    const file = sourceOf(finder, `_pytest.${name}`);
    out.push({ name, module: `_pytest.${name}`, ...(file ? { file, ...registrationsOf(file) } : { options: [], ini: [], markers: [] }) });
  }
  return out;
}

/** Every .py file below a directory (pytest's own package: a few dozen files, no links to follow). */
function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isDirectory() && e.name !== "__pycache__") out.push(...pythonFiles(join(dir, e.name)));
    else if (e.isFile() && e.name.endsWith(".py")) out.push(join(dir, e.name));
  }
  return out;
}
