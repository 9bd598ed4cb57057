/**
 * discover → parse → resolve → graph, as one call. Each stage takes plain data and returns plain
 * data; this file only wires them together.
 */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { CacheDir } from "../cache/dir.js";
import { FactsCache } from "../cache/facts-cache.js";
import { discover, type Discovery } from "../discover/index.js";
import { loadSnagConfig, type SnagConfig } from "../discover/snag-config.js";
import { RULES } from "../rules/index.js";
import { buildGraph, type ImportGraph } from "../graph/build.js";
import type { TargetPython } from "../graph/guard.js";
import { compareDiagnostics, type Diagnostic } from "../model/diagnostic.js";
import { confirmSyntaxErrors, interpreterFor } from "../parse/confirm-syntax.js";
import { parseFiles, type Progress } from "../parse/index.js";
import type { PyFileFacts } from "../parse/python/facts.js";
import { loadEnvironment, type PythonEnvironment } from "../resolve/interpreter.js";
import { resolveProject, type ResolveOutput } from "../resolve/resolve.js";
import { scanScripts, type ScriptScan } from "./scan-scripts.js";
import { addScriptModules } from "../graph/scripts.js";

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
}

export async function scan(root: string, flags: ScanOptions = {}): Promise<Scan> {
  const config = loadSnagConfig(resolve(root), RULES.map((r) => r.id));
  const options = withConfig(flags, config, resolve(root));
  const discovery = discover(root, { exclude: options.exclude ?? [], include: config.include ?? [], roots: config.roots ?? [] });
  const envRequest = { root: discovery.root, ...pick(options) };
  const env = loadEnvironment(envRequest);
  const factsCache = FactsCache.open(options.cache);
  const parsed = await parseFiles(discovery.root, [...discovery.files, ...discovery.scripts], {
    ...(options.progress ? { progress: options.progress } : {}),
    jobs: options.jobs ?? defaultJobs(),
    known: (hash) => factsCache.get(hash),
    learn: (hash, result) => factsCache.remember(hash, result),
  });
  factsCache.save();
  // CPython of the target version confirms what tree-sitter calls a syntax error, and judges the
  // files whose syntax only some versions parse: the environment's interpreter, or another one
  // on the machine for --python-version.
  const target = `${env.version[0]}.${env.version[1]}`;
  const sameVersion = !env.executableVersion || env.executableVersion.join(".") === target;
  const compiler = sameVersion ? env.executable : interpreterFor(target);
  parsed.diagnostics = confirmSyntaxErrors(discovery.root, parsed.facts, parsed.diagnostics, compiler, parsed.versionSensitive);
  const resolved = resolveProject({ root: discovery.root, files: discovery.files, facts: parsed.facts, env, pytest: discovery.pytest });
  const targetPython: TargetPython = { version: env.version, platform: env.platform, osName: env.osName };
  const graph = buildGraph({ discovery, facts: parsed.facts, resolved, target: targetPython });
  const scripts = scanScripts(discovery.root, parsed.scripts, discovery.scripts, discovery.projectFiles, discovery.declarationFiles);
  addScriptModules(graph, scripts);
  const diagnostics = dedupe([...discovery.diagnostics, ...parsed.diagnostics, ...scripts.diagnostics].sort(compareDiagnostics));
  return { config, discovery, env, target: targetPython, facts: parsed.facts, hashes: parsed.hashes, resolved, graph, scripts, diagnostics };
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
