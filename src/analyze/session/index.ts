/**
 * The pytest session preflight: what stops a whole run before (or right after) a single test
 * file is collected. In the order pytest meets them at start-up:
 *
 * 1. `-p NAME` (and `pytest_plugins` of an initial conftest) naming a module that does not
 *    import: pytest dies with a traceback, exit 1;
 * 2. `required_plugins` that no installed plugin distribution satisfies, `minversion` above the
 *    installed pytest: exit 4;
 * 3. an initial conftest that fails to import (found by check, see `initialConftests`): exit 4;
 * 4. an `addopts` option nothing registers: "unrecognized arguments", exit 4;
 * and after collection, 5. an ini key nothing registers, under strict config: exit 4.
 *
 * What is registered is read from the installed sources of pytest and its plugins; which plugin
 * a missing name belongs to comes from a table of well-known plugins.
 */
import { existsSync } from "../../cache/observed-fs.js";
import { relative, resolve as resolvePath, sep } from "node:path";
import { bool, iniAddoptsStrictFlagsWork, lineList, type PytestSettings } from "../../discover/pytest-config.js";
import type { RuleId } from "../model.js";
import type { Finding } from "../model.js";
import type { Scan } from "../../pipeline/scan.js";
import { normalizeDistName } from "../../resolve/distributions.js";
import { spellingSuggestion } from "../../rules/spelling.js";
import { parseArgs, type ParsedArgs } from "./addopts.js";
import type { OptionSpec } from "./addoption-scan.js";
import { distributionForIni, distributionForOption } from "./known-plugins.js";
import { builtinPlugins, entryPointPlugins, registrationsOf, sourceOf, type PluginInfo } from "./registry.js";
import { satisfies } from "./versions.js";
import { importWarningsAsErrors } from "./warnings.js";

export interface SessionCause {
  rule: RuleId;
  target: string;
  file: string;
  line: number;
  column: number;
  exception: string;
  message: string;
  /** The distribution to install, when a missing plugin is the reason. */
  distribution?: string;
}

export interface SessionVerdict {
  collectable: boolean;
  /** What `pytest --collect-only` exits with when the session stops (absent while it runs on). */
  exitCode?: number;
  /** `startup`: before any file is collected; `after-collection`: once collection is over. */
  stage?: "startup" | "after-collection";
  cause?: SessionCause;
}

export interface SessionPreflight {
  verdict: SessionVerdict;
  findings: Finding[];
  /** Plugins the session loads, with what they register. */
  plugins: PluginInfo[];
  args: ParsedArgs;
  /** Root-relative conftests pytest loads before collecting (a failure there stops the session). */
  initialConftests: ReadonlySet<string>;
  strictConfig: boolean;
  /** Standard-library imports that raise (a warning turned error) during collection. */
  importWarning?: (module: string) => { category: string; message: string } | undefined;
}

/** The plugins `-p no:NAME` in addopts keeps from loading. */
export function pluginsDisabledBy(settings: PytestSettings): Set<string> {
  const early = parseArgs(settings.addopts, [{ names: ["-p"], arity: "one" }]);
  return new Set(early.plugins.filter((p) => p.startsWith("no:")).map((p) => p.slice(3)));
}

export function preflightSession(scan: Scan, pytestVersion: string | undefined): SessionPreflight {
  const settings = scan.discovery.pytest;
  const root = scan.discovery.root;
  const finder = scan.resolved.finder;
  const rel = (abs: string) => (abs.startsWith(root + sep) ? abs.slice(root.length + 1).split(sep).join("/") : abs);
  const configFile = settings.inifile ? rel(settings.inifile) : "pytest.ini";
  const lineOf = (key: string) => settings.raw.get(key)?.line ?? 1;
  const addoptsAt = (token: string) =>
    settings.addoptsSources.env.includes(token) && !settings.addoptsSources.ini.includes(token) ? { file: "$PYTEST_ADDOPTS", line: 0 } : { file: configFile, line: lineOf("addopts") };

  // -p is read before anything else: it decides which plugins load at all.
  const early = parseArgs(settings.addopts, [{ names: ["-p"], arity: "one" }]);
  const disabled = pluginsDisabledBy(settings);
  const autoload = !process.env.PYTEST_DISABLE_PLUGIN_AUTOLOAD && !settings.addopts.includes("--disable-plugin-autoload");

  // pytest's own plugins: usually read by the scan already, while files were parsed.
  const plugins = [...(scan.pytestPlugins ?? builtinPlugins(finder, disabled, scan.memo))];
  const entryPoints = entryPointPlugins(scan.resolved.distributions.all);
  const wanted = new Set(early.plugins.filter((p) => !p.startsWith("no:")));
  for (const ep of entryPoints) {
    if (disabled.has(ep.name) || (!autoload && !wanted.has(ep.name))) continue;
    const file = sourceOf(finder, ep.module);
    plugins.push({ name: ep.name, module: ep.module, distribution: ep.distribution, ...(file ? { file, ...registrationsOf(file) } : { options: [], ini: [], markers: [] }) });
  }

  const findings: Finding[] = [];
  let verdict: SessionVerdict = { collectable: true };
  const stop = (cause: SessionCause, exitCode: number, stage: SessionVerdict["stage"] = "startup") => {
    if (verdict.collectable) verdict = { collectable: false, exitCode, stage, cause };
  };
  const finding = (cause: SessionCause, severity: Finding["severity"], suggestion: string, blocks: number): Finding => ({
    rule: cause.rule,
    severity,
    file: cause.file,
    line: cause.line,
    column: cause.column,
    message: cause.message,
    target: cause.target,
    blastRadius: { tests: blocks, modules: 0 },
    suggestion,
    ...(cause.distribution ? { classification: "plugin-not-installed" } : {}),
  });
  const testCount = scan.resolved.tests.filter((t) => t.kind === "test").length;

  // 1. `-p NAME`: a builtin plugin, an entry-point name, or a module to import.
  const builtinNames = new Set(["pytester", "pytester_assertions", "terminalprogress", ...plugins.filter((p) => p.module.startsWith("_pytest.")).map((p) => p.name)]);
  for (const name of wanted) {
    if (plugins.some((p) => p.name === name) || entryPoints.some((e) => e.name === name)) continue;
    const module = builtinNames.has(name) ? `_pytest.${name}` : name;
    if (finder.find(module).found) {
      const file = sourceOf(finder, module);
      plugins.push({ name, module, ...(file ? { file, ...registrationsOf(file) } : { options: [], ini: [], markers: [] }) });
      continue;
    }
    const at = addoptsAt(name);
    const cause: SessionCause = { rule: "missing-plugin", target: name, file: at.file, line: at.line, column: 1, exception: "ImportError", message: `ImportError: Error importing plugin "${name}": No module named '${name.split(".")[0]}'` };
    stop(cause, 1);
    findings.push(finding(cause, "error", `'-p ${name}' in addopts names a module that is not installed: install the package that provides it, or remove '-p ${name}'.`, testCount));
  }

  // 2. required_plugins and minversion.
  const required = listValue(settings.raw.get("required_plugins")?.value);
  if (required.length > 0) {
    const loadedDists = plugins.filter((p) => p.distribution).map((p) => p.distribution!);
    const missing = required.filter((req) => {
      const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$/.exec(req);
      if (!m) return true;
      const dist = loadedDists.find((d) => d.normalized === normalizeDistName(m[1]!));
      return !dist || (m[2]!.trim() !== "" && !satisfies(dist.version, m[2]!));
    });
    if (missing.length > 0) {
      const cause: SessionCause = { rule: "missing-plugin", target: missing.join(", "), file: configFile, line: lineOf("required_plugins"), column: 1, exception: "UsageError", message: `Missing required plugins: ${missing.join(", ")}`, distribution: missing[0]!.split(/[<>=!~ ;[]/)[0]! };
      stop(cause, 4);
      findings.push(finding(cause, "error", `Install ${missing.map((m) => `'${m}'`).join(", ")} in the environment the tests run in (required_plugins in ${configFile}).`, testCount));
    }
  }
  const minversion = settings.raw.get("minversion")?.value;
  if (minversion !== undefined && pytestVersion && !satisfies(pytestVersion, `>=${String(minversion).trim()}`)) {
    const cause: SessionCause = { rule: "missing-plugin", target: "pytest", file: configFile, line: lineOf("minversion"), column: 1, exception: "UsageError", message: `${configFile}: 'minversion' requires pytest-${String(minversion).trim()}, actual pytest-${pytestVersion}'`, distribution: "pytest" };
    stop(cause, 4);
    findings.push(finding(cause, "error", `Upgrade pytest to ${String(minversion).trim()} or later, or lower minversion.`, testCount));
  }

  // Initial conftests: their pytest_plugins load now (a missing one kills start-up), and the
  // options and ini keys they register count for what follows.
  // The paths pytest collects come from a parse with the options known before any conftest.
  const initialConftests = initialConftestFiles(scan, parseArgs(settings.addopts, plugins.flatMap((p) => p.options)).positional);
  for (const file of [...initialConftests].sort()) {
    const facts = scan.facts.get(file);
    if (!facts) continue;
    plugins.push({ name: file, module: file, file: resolvePath(root, file), ...registrationsOf(resolvePath(root, file)) });
    for (const spec of facts.pytestPlugins) {
      const module = spec;
      if (finder.find(module).found) {
        const src = sourceOf(finder, module);
        if (src) plugins.push({ name: module, module, file: src, ...registrationsOf(src) });
        continue;
      }
      const cause: SessionCause = { rule: "missing-plugin", target: module, file, line: 1, column: 1, exception: "ImportError", message: `ImportError: Error importing plugin "${module}": No module named '${module.split(".")[0]}'` };
      stop(cause, 1);
      findings.push(finding(cause, "error", `pytest_plugins in ${file} names '${module}', which does not import: install it or remove it from pytest_plugins.`, testCount));
    }
  }

  // 4. Every addopts option must be registered by a loaded plugin.
  const options: OptionSpec[] = plugins.flatMap((p) => p.options);
  const args = parseArgs(settings.addopts, options);
  // When a loaded plugin registers options snag cannot read, only a well-known plugin's option
  // whose plugin is not loaded is certain to be unknown.
  const openOptions = plugins.some((p) => p.openOptions);
  const loadedDists = new Set(plugins.filter((p) => p.distribution).map((p) => p.distribution!.normalized));
  const certainlyUnknown = (token: string) => {
    if (!openOptions) return true;
    const dist = distributionForOption(token);
    return dist !== undefined && !loadedDists.has(normalizeDistName(dist));
  };
  if (args.unrecognized.length > 0 && args.unrecognized.every(certainlyUnknown)) {
    const first = args.unrecognized[0]!;
    const at = addoptsAt(first);
    const known = new Set(options.flatMap((o) => o.names));
    const cause: SessionCause = { rule: "unknown-option", target: args.unrecognized.join(" "), file: at.file, line: at.line, column: 1, exception: "UsageError", message: `pytest: error: unrecognized arguments: ${args.unrecognized.join(" ")}` };
    const hints = args.unrecognized.map((token) => optionHint(token, known, disabled, scan));
    const dist = args.unrecognized.map((t) => distributionForOption(t)).find((d) => d !== undefined);
    if (dist) cause.distribution = dist;
    stop(cause, 4);
    findings.push(finding(cause, "error", hints.join(" "), testCount));
  }

  // 5. Ini keys: a warning, or the end of the run under strict config.
  const strictConfig = strictConfigFor(settings, pytestVersion);
  const knownIni = new Set(plugins.flatMap((p) => p.ini));
  const openIni = plugins.some((p) => p.openIni);
  for (const [key, setting] of [...settings.raw].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (knownIni.has(key)) continue;
    const dist = distributionForIni(key);
    if (openIni && (dist === undefined || loadedDists.has(normalizeDistName(dist)))) continue;
    const cause: SessionCause = { rule: "unknown-ini-key", target: key, file: configFile, line: setting.line ?? 1, column: 1, exception: "UsageError", message: strictConfig ? `Unknown config option: ${key}` : `PytestConfigWarning: Unknown config option: ${key}` };
    if (dist) cause.distribution = dist;
    const hint = dist
      ? `'${key}' is a setting of ${dist}, which is not installed (or not loaded): install it, or remove '${key}' from ${configFile}.`
      : `No installed plugin registers '${key}'${didYouMean(key, knownIni)}: remove it from ${configFile} or install the plugin that reads it.`;
    if (strictConfig) stop(cause, 4, "after-collection");
    findings.push(finding(cause, strictConfig ? "error" : "warning", hint, strictConfig ? testCount : 0));
  }

  const out: SessionPreflight = { verdict, findings, plugins, args, initialConftests, strictConfig };
  if (!disabled.has("warnings")) {
    const ini = lineList(settings.raw, "filterwarnings").map((l) => l.text);
    const cli = [...(args.values.get("-W") ?? [])];
    const policy = importWarningsAsErrors(ini, cli, scan.target.version.slice(0, 2).join("."));
    if (policy) out.importWarning = policy;
  }
  return out;
}

function optionHint(token: string, known: ReadonlySet<string>, disabled: ReadonlySet<string>, scan: Scan): string {
  const name = token.startsWith("--") ? token.split("=")[0]! : token.slice(0, 2);
  const dist = distributionForOption(token);
  if (dist) {
    const installed = scan.resolved.distributions.all.find((d) => d.normalized === normalizeDistName(dist));
    const off = [...disabled].find((d) => entryPointPlugins(installed ? [installed] : []).some((e) => e.name === d));
    if (installed && off) return `'${name}' comes from ${dist}, which is installed but disabled by '-p no:${off}' in addopts: drop one or the other.`;
    if (installed) return `'${name}' comes from ${dist}, which is installed but not loaded as a plugin (is plugin autoloading off?).`;
    return `'${name}' comes from ${dist}, which is not installed: install it, or remove '${token}' from addopts.`;
  }
  return `No installed plugin registers '${name}'${didYouMean(name, known)}: remove it from addopts, or install the plugin that provides it.`;
}

function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = spellingSuggestion(name, candidates);
  return s ? ` (did you mean '${s}'?)` : "";
}

/** `--strict-config`, `strict_config`, or pytest 9's `strict`; an explicit `strict_config` wins over `strict`. */
function strictConfigFor(settings: Scan["discovery"]["pytest"], pytestVersion: string | undefined): boolean {
  const fromIni = iniAddoptsStrictFlagsWork(pytestVersion) ? settings.addoptsSources.ini : [];
  const flags = [...fromIni, ...settings.addoptsSources.env];
  if (flags.includes("--strict-config") || (flags.includes("--strict") && Number(pytestVersion?.split(".")[0] ?? 0) >= 9)) return true;
  const explicit = bool(settings.raw, "strict_config");
  if (explicit !== undefined) return explicit;
  return Number(pytestVersion?.split(".")[0] ?? 0) >= 9 && bool(settings.raw, "strict") === true;
}

function listValue(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.map(String);
  // An ini "args" value: whitespace-separated.
  return String(v).split(/\s+/).filter((s) => s !== "");
}

/**
 * The conftests pytest imports before collecting (`_set_initial_conftests`): for each anchor
 * (the command-line paths, else `testpaths`, else the directory pytest runs in), the conftest of
 * the anchor and of each parent up to the confcutdir (the config file's directory, else the
 * rootdir), and of each `test*` directory directly inside the anchor.
 */
export function initialConftestFiles(scan: Scan, positional: readonly string[]): Set<string> {
  const settings = scan.discovery.pytest;
  const root = scan.discovery.root;
  const confcut = settings.inifile ? resolvePath(settings.inifile, "..") : settings.rootdir;
  const relOf = (abs: string) => relative(root, abs).split(sep).join("/");
  const conftests = scan.resolved.tests.filter((t) => t.kind === "conftest").map((t) => t.file);
  // Paths that do not exist anchor nothing; with none left, pytest anchors at the directory it runs in.
  const given = positional.length > 0 ? positional : settings.testpaths.length > 0 ? settings.testpaths : ["."];
  const existing = given.filter((p) => existsSync(resolvePath(root, p)));
  const anchors = (existing.length > 0 ? existing : ["."]).map((p) => relOf(resolvePath(root, p)));
  const dirOf = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "");
  const confcutRel = relOf(confcut);
  const inConfcut = (dir: string) => confcutRel === "" || dir === confcutRel || dir.startsWith(`${confcutRel}/`) || confcutRel.startsWith("..");
  const out = new Set<string>();
  for (const anchor of anchors) {
    const a = anchor === "." ? "" : anchor;
    for (const c of conftests) {
      const d = dirOf(c);
      // The anchor itself and its parents (within the confcutdir), then `anchor/test*/`.
      const isParent = a === d || d === "" || a.startsWith(`${d}/`);
      const testDir = dirOf(d) === a && /^test/.test(d.slice(a === "" ? 0 : a.length + 1));
      if ((isParent && inConfcut(d)) || testDir) out.add(c);
    }
  }
  return out;
}
