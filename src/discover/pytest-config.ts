/**
 * pytest's configuration as pytest itself finds it when run as `pytest` from the scanned directory:
 * the first of pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml, tox.ini,
 * setup.cfg holding pytest settings, in that directory or the nearest ancestor (locate_config),
 * then the rootdir fallbacks (setup.py, a pyproject.toml without settings, the directory itself).
 */
import { readFileSync, statSync } from "../cache/observed-fs.js";
import { dirname, join, resolve } from "node:path";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { parseIni } from "./ini.js";
import { readToml } from "./toml.js";
import { shlexSplit } from "./shlex.js";

export type ImportMode = "prepend" | "append" | "importlib";

/** A raw pytest setting: a string in ini mode, any TOML value in toml mode. */
export interface RawSetting {
  value: unknown;
  line?: number;
}

export interface PytestSettings {
  /** Absolute rootdir. */
  rootdir: string;
  /** Absolute path of the config file pytest uses, if any. */
  inifile?: string;
  /** `ini` values are strings (INI files, [tool.pytest.ini_options]); `toml` keeps native types ([tool.pytest]). */
  mode: "ini" | "toml";
  raw: Map<string, RawSetting>;
  /** Absolute directories pytest inserts at the front of sys.path, in sys.path order. */
  pythonpath: string[];
  testpaths: string[];
  pythonFiles: string[];
  norecursedirs: string[];
  /** `addopts` from the config file followed by `$PYTEST_ADDOPTS`. */
  addopts: string[];
  /** The two sources apart: pytest 9 ignores strictness flags that come from the config file's addopts. */
  addoptsSources: { ini: string[]; env: string[] };
  importMode: ImportMode;
  /** Registered markers, `name` only, with the line in the config file. */
  markers: { name: string; line?: number }[];
}

/**
 * Whether `--strict-*` flags in the config file's `addopts` take effect. Checked against pytest
 * itself: 9.0 (9.0.3) ignores them there, while the command line and $PYTEST_ADDOPTS work; 8.x and
 * 9.1 honour them.
 */
export function iniAddoptsStrictFlagsWork(pytestVersion: string | undefined): boolean {
  return !(pytestVersion && /^9\.0(\.|$)/.test(pytestVersion));
}

/**
 * Whether unknown markers are errors: `--strict-markers` or `--strict` where they take effect
 * (see iniAddoptsStrictFlagsWork), else an explicit `strict_markers` ini value, else `strict`.
 */
export function strictMarkersFor(settings: PytestSettings, pytestVersion: string | undefined): boolean {
  const flags = iniAddoptsStrictFlagsWork(pytestVersion) ? [...settings.addoptsSources.ini, ...settings.addoptsSources.env] : settings.addoptsSources.env;
  if (flags.includes("--strict-markers")) return true;
  const explicit = bool(settings.raw, "strict_markers");
  if (explicit !== undefined) return explicit;
  return flags.includes("--strict") || bool(settings.raw, "strict") === true;
}

const CONFIG_NAMES = ["pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"];

const DEFAULT_NORECURSE = ["*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"];

interface Located {
  file: string;
  mode: "ini" | "toml";
  raw: Map<string, RawSetting>;
}

export function loadPytestSettings(invocationDir: string, diagnostics: Diagnostic[], relTo: (abs: string) => string): PytestSettings {
  const start = resolve(invocationDir);
  let located: Located | undefined;
  let firstPyproject: string | undefined;
  search: for (let dir = start; ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name);
      if (!isFile(file)) continue;
      if (name === "pyproject.toml" && !firstPyproject) firstPyproject = file;
      const loaded = loadConfigFile(file, diagnostics, relTo);
      if (loaded) {
        located = loaded;
        break search;
      }
    }
    if (dirname(dir) === dir) break;
  }
  let rootdir: string;
  if (located) rootdir = dirname(located.file);
  else if (firstPyproject) {
    rootdir = dirname(firstPyproject);
    located = { file: firstPyproject, mode: "ini", raw: new Map() };
  } else {
    rootdir = start;
    for (let dir = start; ; dir = dirname(dir)) {
      if (isFile(join(dir, "setup.py"))) {
        rootdir = dir;
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  return settingsFrom(rootdir, located, diagnostics, relTo);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** pytest's load_config_dict_from_file: undefined when the file holds no pytest settings. */
function loadConfigFile(file: string, diagnostics: Diagnostic[], relTo: (abs: string) => string): Located | undefined {
  let text: string;
  try {
    // No BOM stripping: pytest does not strip one either, and fails on such a file.
    text = readFileSync(file, "utf8");
  } catch (err) {
    diagnostics.push(diagnostic("config-error", relTo(file), `cannot read: ${(err as Error).message}`));
    return undefined;
  }
  const name = file.slice(file.lastIndexOf("/") + 1);
  if (name.endsWith(".toml")) {
    const data = readToml(text, relTo(file), diagnostics);
    if (!data) return undefined;
    if (name === "pytest.toml" || name === ".pytest.toml") {
      return { file, mode: "toml", raw: tomlSettings(asTable(data.pytest), text) };
    }
    const tool = asTable(asTable(data.tool).pytest);
    const { ini_options: iniOptions, ...native } = tool;
    if (Object.keys(native).length > 0) return { file, mode: "toml", raw: tomlSettings(native, text) };
    if (iniOptions !== undefined) {
      const raw = tomlSettings(asTable(iniOptions), text);
      // ini mode: scalars become strings, lists stay lists.
      for (const s of raw.values()) if (!Array.isArray(s.value)) s.value = String(s.value);
      return { file, mode: "ini", raw };
    }
    return undefined;
  }
  const { file: ini, errors } = parseIni(text);
  for (const e of errors) diagnostics.push(diagnostic("config-error", relTo(file), `malformed INI: ${e.message}`, { line: e.line, severity: "error" }));
  const section = name.endsWith(".cfg") ? "tool:pytest" : "pytest";
  const sec = ini.sections.get(section);
  if (!sec) return name === "pytest.ini" || name === ".pytest.ini" ? { file, mode: "ini", raw: new Map() } : undefined;
  const raw = new Map<string, RawSetting>();
  for (const [k, v] of sec.values) raw.set(k, { value: v.value, line: v.line });
  return { file, mode: "ini", raw };
}

function asTable(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function tomlSettings(table: Record<string, unknown>, text: string): Map<string, RawSetting> {
  const raw = new Map<string, RawSetting>();
  const lines = text.split(/\r?\n/);
  for (const [k, value] of Object.entries(table)) {
    const idx = lines.findIndex((l) => new RegExp(`^\\s*["']?${k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']?\\s*=`).test(l));
    raw.set(k, idx === -1 ? { value } : { value, line: idx + 1 });
  }
  return raw;
}

/** An ini "args"/"paths" value: a string is shlex-split, a list is taken as is. */
function args(raw: Map<string, RawSetting>, key: string): string[] | undefined {
  const s = raw.get(key);
  if (!s) return undefined;
  if (Array.isArray(s.value)) return s.value.map(String);
  return shlexSplit(String(s.value)).words;
}

/** An ini "linelist" value. */
export function lineList(raw: Map<string, RawSetting>, key: string): { text: string; line?: number }[] {
  const s = raw.get(key);
  if (!s) return [];
  const items = Array.isArray(s.value) ? s.value.map(String) : String(s.value).split("\n");
  return items
    .map((text, i) => ({ text: text.trim(), line: s.line === undefined ? undefined : Array.isArray(s.value) ? s.line : s.line + i }))
    .filter((x) => x.text.length > 0)
    .map((x) => (x.line === undefined ? { text: x.text } : { text: x.text, line: x.line }));
}

export function bool(raw: Map<string, RawSetting>, key: string): boolean | undefined {
  const s = raw.get(key);
  if (!s) return undefined;
  if (typeof s.value === "boolean") return s.value;
  // pytest's _strtobool.
  const t = String(s.value).trim().toLowerCase();
  if (["y", "yes", "t", "true", "on", "1"].includes(t)) return true;
  if (["n", "no", "f", "false", "off", "0"].includes(t)) return false;
  return undefined;
}

function settingsFrom(rootdir: string, located: Located | undefined, diagnostics: Diagnostic[], relTo: (abs: string) => string): PytestSettings {
  const raw = located?.raw ?? new Map<string, RawSetting>();
  const base = located ? dirname(located.file) : rootdir;
  const iniAddopts = args(raw, "addopts") ?? [];
  const envAddopts = shlexSplit(process.env.PYTEST_ADDOPTS ?? "").words;
  const addopts = [...iniAddopts, ...envAddopts];
  let importMode: ImportMode = "prepend";
  for (let i = 0; i < addopts.length; i++) {
    const a = addopts[i]!;
    const value = a.startsWith("--import-mode=") ? a.slice("--import-mode=".length) : a === "--import-mode" ? addopts[i + 1] : undefined;
    if (value === "prepend" || value === "append" || value === "importlib") importMode = value;
    else if (value !== undefined && located) {
      diagnostics.push(diagnostic("config-error", relTo(located.file), `unknown --import-mode ${JSON.stringify(value)} (pytest will refuse to start)`, { severity: "error" }));
    }
  }
  const markers = lineList(raw, "markers").map((m) => {
    const name = /^[^:(\s]+/.exec(m.text)?.[0] ?? m.text;
    return m.line === undefined ? { name } : { name, line: m.line };
  });
  const settings: PytestSettings = {
    rootdir,
    mode: located?.mode ?? "ini",
    raw,
    pythonpath: (args(raw, "pythonpath") ?? []).map((p) => resolve(base, p)),
    testpaths: args(raw, "testpaths") ?? [],
    pythonFiles: args(raw, "python_files") ?? ["test_*.py", "*_test.py"],
    norecursedirs: args(raw, "norecursedirs") ?? DEFAULT_NORECURSE,
    addopts,
    addoptsSources: { ini: iniAddopts, env: envAddopts },
    importMode,
    markers,
  };
  if (located) settings.inifile = located.file;
  return settings;
}
