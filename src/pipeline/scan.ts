/**
 * discover → parse → resolve → graph, as one call. Each stage takes plain data and returns plain
 * data; this file only wires them together.
 */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { CacheDir } from "../cache/dir.js";
import { EnvMemo } from "../cache/env-memo.js";
import { FactsCache } from "../cache/facts-cache.js";
import { discover, type Discovery } from "../discover/index.js";
import { loadSnagConfig, type SnagConfig } from "../discover/snag-config.js";
import { RULES } from "../rules/index.js";
import type { ImportGraph } from "../graph/build.js";
import type { CycleInfo } from "../graph/cycles.js";
import { AsParsed } from "./as-parsed.js";
import { pluginsDisabledBy } from "../analyze/session/index.js";
import { builtinPlugins, type PluginInfo } from "../analyze/session/registry.js";
import type { TargetPython } from "../graph/guard.js";
import { compareDiagnostics, type Diagnostic } from "../model/diagnostic.js";
import { confirmSyntaxErrors, interpreterFor } from "../parse/confirm-syntax.js";
import { MIN_FILES_PER_WORKER, parseFiles, type Progress } from "../parse/index.js";
import { ParsePool } from "../parse/pool.js";
import type { PyFileFacts } from "../parse/python/facts.js";
import { loadEnvironment, type PythonEnvironment } from "../resolve/interpreter.js";
import type { ResolveOutput } from "../resolve/resolve.js";
import { scanScripts, type ScriptScan } from "./scan-scripts.js";
import { addScriptModules } from "../graph/scripts.js";
import { mark } from "../model/timings.js";

export interface ScanOptions {
  python?: string;
  noEnv?: boolean;
  pythonVersion?: string;
  exclude?: string[];
  /** Parse progress, for a progress bar. */
  progress?: Progress;
  /** Parse threads (default: SNAG_JOBS, else one per core up to 8). The output does not depend on it. */
  jobs?: number;
  /** Where parse results are kept between runs (cache/dir.ts); none by default. */
  cache?: CacheDir;
  /** Put the standard library's modules and the imports of them in the graph (graph/build.ts); for showing the graph. */
  stdlibInGraph?: boolean;
}

export interface Scan {
  /** snag's own configuration (empty when there is none). */
  config: SnagConfig;
  discovery: Discovery;
  env: PythonEnvironment;
  target: TargetPython;
  facts: Map<string, PyFileFacts>;
  /** sha256 of each parsed file's bytes. */
  hashes: Map<string, string>;
  resolved: ResolveOutput;
  graph: ImportGraph;
  /** The repository's TypeScript/JavaScript modules, resolved (empty when it has none). */
  scripts: ScriptScan;
  diagnostics: Diagnostic[];
  /** What earlier runs learnt about the environment, for the analysis to reuse (cache/env-memo.ts). */
  memo?: EnvMemo;
  /** Import cycles among the Python modules (graph/cycles.ts), found as the graph was built. */
  cycles?: CycleInfo;
  /** pytest's own plugins and what they register (analyze/session/registry.ts), read during the parse. */
  pytestPlugins?: PluginInfo[];
}

export async function scan(root: string, flags: ScanOptions = {}): Promise<Scan> {
  const jobs = flags.jobs ?? defaultJobs();
  // Parse workers start as soon as the walk has found enough files for them to pay, and load
  // while the rest of the repository is walked.
  const workers: { pool?: ParsePool } = {};
  const startWorkers = () => {
    if (jobs > 1) workers.pool = ParsePool.start(jobs - 1);
  };
  try {
    return await scanWith(root, flags, startWorkers, workers);
  } finally {
    workers.pool?.close();
  }
}

async function scanWith(root: string, flags: ScanOptions, startWorkers: () => void, workers: { pool?: ParsePool }): Promise<Scan> {
  const config = loadSnagConfig(resolve(root), RULES.map((r) => r.id));
  const options = withConfig(flags, config, resolve(root));
  mark("start scan");
  const discovery = discover(root, { exclude: options.exclude ?? [], include: config.include ?? [], roots: config.roots ?? [], whenLarge: { files: 2 * MIN_FILES_PER_WORKER, then: startWorkers } });
  mark("discover");
  const envRequest = { root: discovery.root, ...pick(options) };
  // The interpreter answers in a child process while this one parses.
  const memo = new EnvMemo(options.cache);
  const envPending = loadEnvironment(envRequest, memo);
  envPending.catch(() => undefined); // awaited below; not unhandled if the parse fails first
  // Resolving and the graph follow the parse file by file (as-parsed.ts).
  // pytest's own plugins are read then too: the session preflight needs them, and reading them is
  // a tenth of a second without the environment memo.
  let pytestPlugins: PluginInfo[] | undefined;
  const asParsed = new AsParsed(envPending, {
    root: discovery.root,
    files: discovery.files,
    pytest: discovery.pytest,
    memo,
    stdlib: options.stdlibInGraph === true,
    onReady: (resolver) => {
      pytestPlugins = builtinPlugins(resolver.finder, pluginsDisabledBy(discovery.pytest), memo);
    },
  });
  const factsCache = FactsCache.open(options.cache);
  mark("open facts cache");
  const parsed = await parseFiles(discovery.root, [...discovery.files, ...discovery.scripts], {
    onResult: (file, result) => {
      if (!result.script) asParsed.add(file, result.facts);
    },
    ...(options.progress ? { progress: options.progress } : {}),
    ...(workers.pool ? { pool: workers.pool } : { jobs: 1 }),
    known: factsCache,
    learn: (key, result, file) => factsCache.remember(key, result, file),
    // Without a cache directory no batch is kept: the main thread's own are then never turned into text.
    ...(options.cache ? { learnBatch: (json: string, keys: string[]) => factsCache.addBatch(json, keys) } : {}),
  }).catch((err: unknown) => {
    factsCache.abort();
    throw err;
  });
  mark("parse");
  factsCache.save();
  mark("save facts cache");
  const env = await envPending;
  mark("environment");
  // CPython of the target version confirms what tree-sitter calls a syntax error, and judges the
  // files whose syntax only some versions parse: the environment's interpreter, or another one
  // on the machine for --python-version.
  const target = `${env.version[0]}.${env.version[1]}`;
  const sameVersion = !env.executableVersion || env.executableVersion.join(".") === target;
  const compiler = sameVersion ? env.executable : interpreterFor(target);
  parsed.diagnostics = confirmSyntaxErrors(discovery.root, parsed.facts, parsed.diagnostics, compiler, parsed.versionSensitive, parsed.namedEscapes);
  mark("confirm syntax");
  const { resolved, graph, target: targetPython, cycles } = await asParsed.finish(parsed.facts);
  mark("resolve and graph");
  const scripts = scanScripts(discovery.root, parsed.scripts, discovery.scripts, discovery.projectFiles, discovery.declarationFiles);
  addScriptModules(graph, scripts);
  mark("scripts");
  const diagnostics = dedupe([...discovery.diagnostics, ...parsed.diagnostics, ...scripts.diagnostics].sort(compareDiagnostics));
  return { config, discovery, env, target: targetPython, facts: parsed.facts, hashes: parsed.hashes, resolved, graph, scripts, diagnostics, memo, cycles, ...(pytestPlugins ? { pytestPlugins } : {}) };
}

export function defaultJobs(): number {
  const fromEnv = Number(process.env.SNAG_JOBS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.min(8, availableParallelism());
}

/** Command-line flags win over the configuration file; excludes add up. */
function withConfig(flags: ScanOptions, config: SnagConfig, root: string): ScanOptions {
  const out: ScanOptions = { ...flags };
  // A path in the configuration is relative to the repository; a bare name is looked up on PATH.
  if (out.python === undefined && config.python !== undefined) out.python = config.python.includes("/") ? resolve(root, config.python) : config.python;
  if (out.noEnv === undefined && config.environment === "none") out.noEnv = true;
  if (out.pythonVersion === undefined && config.pythonVersion !== undefined) out.pythonVersion = config.pythonVersion;
  if (config.exclude) out.exclude = [...config.exclude, ...(flags.exclude ?? [])];
  return out;
}

function pick(o: ScanOptions): { python?: string; noEnv?: boolean; pythonVersion?: string } {
  const out: { python?: string; noEnv?: boolean; pythonVersion?: string } = {};
  if (o.python !== undefined) out.python = o.python;
  if (o.noEnv !== undefined) out.noEnv = o.noEnv;
  if (o.pythonVersion !== undefined) out.pythonVersion = o.pythonVersion;
  return out;
}

/** The same problem found by two readers (e.g. pyproject.toml read for pytest and for dependencies) is said once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
