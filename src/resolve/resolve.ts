/**
 * The resolve stage: give every scanned file its module name and every import statement its
 * targets, the way CPython will find them on the sys.path of the test run.
 */
import { relative, resolve as resolvePath, sep } from "node:path";
import { NONE, type PyFileFacts, type PyImport } from "../parse/python/facts.js";
import type { PytestSettings } from "../discover/pytest-config.js";
import type { EnvMemo } from "../cache/env-memo.js";
import { DistributionIndex } from "./distributions.js";
import { ModuleFinder, type Finder, type FindResult, type Location, type LocationKind } from "./finder.js";
import type { PythonEnvironment } from "./interpreter.js";
import { computeRoots, type TestModule } from "./roots.js";

export type Origin = "local" | "stdlib" | "third-party" | "external";

/** Shared: one object per module found, so never to be changed by its users. */
export interface ResolvedModule {
  name: string;
  kind: LocationKind;
  origin: Origin;
  /** Root-relative for local files, absolute otherwise. */
  file?: string;
  /** Installed distribution that provides it (third-party only). */
  distribution?: string;
}

export type MissingReason = "not-found" | "not-a-package" | "relative-no-parent" | "relative-beyond-top" | "removed";

export interface ImportResolution {
  /** Index into the file's `imports` facts. */
  index: number;
  /** The absolute module the statement imports, after resolving leading dots. */
  absolute?: string;
  /** Modules this statement makes Python find, outermost first (`a`, `a.b`, `a.b.c`); shared by every import of the same module. */
  chain: readonly ResolvedModule[];
  missing?: { name: string; reason: MissingReason };
  /** For `from m import n`: each name that is also a submodule of `m`. */
  submodules: readonly { name: string; module: ResolvedModule }[];
}

export interface ModuleRecord {
  /** Root-relative file. */
  file: string;
  /** Dotted name it is imported under; for files no sys.path entry reaches, pytest's basedir name. */
  name: string;
  /** Reachable under `name` from the sys.path of the test run. */
  rooted: boolean;
  isPackage: boolean;
  /** Collected by pytest as a test module or loaded as a conftest. */
  test?: "test" | "conftest";
}

export interface ResolveOutput {
  sysPath: string[];
  modules: ModuleRecord[];
  tests: TestModule[];
  /** Per root-relative file, one resolution per import fact (same order). */
  imports: Map<string, ImportResolution[]>;
  distributions: DistributionIndex;
  /** CPython's finders on the test run's sys.path, adjusted to the target Python's standard library. */
  finder: Finder;
  classify: (loc: Location) => ResolvedModule;
}

export interface ResolveInput {
  root: string;
  files: readonly string[];
  env: PythonEnvironment;
  pytest: PytestSettings;
  /** What earlier runs learnt about the environment (cache/env-memo.ts). */
  memo?: EnvMemo;
}

export function resolveProject(opts: ResolveInput & { facts: ReadonlyMap<string, PyFileFacts> }): ResolveOutput {
  const resolver = startResolve(opts);
  for (const [file, facts] of opts.facts) resolver.add(file, facts);
  return resolver.finish();
}

/**
 * Resolution in two steps: everything that needs only the file list and the environment (sys.path,
 * the finders, installed distributions, each file's module name) at once, then each file's
 * imports as its facts come in, in any order: the scan feeds it files as they are parsed.
 */
export interface Resolver {
  /** Every scanned file's module, in file order (known from the start). */
  readonly modules: readonly ModuleRecord[];
  readonly finder: Finder;
  readonly classify: (loc: Location) => ResolvedModule;
  /** Resolves one file's imports; undefined for a file that is not one of the scanned modules. */
  add(file: string, facts: PyFileFacts): ImportResolution[] | undefined;
  /** The output, once every file's facts have been added. */
  finish(): ResolveOutput;
}

export function startResolve(opts: ResolveInput): Resolver {
  const root = resolvePath(opts.root);
  const abs = (rel: string) => (rel === "" ? root : resolvePath(root, rel));
  const prefix = root.endsWith(sep) ? root : root + sep;
  const rel = (p: string): string | undefined => {
    // Finder paths are already normalised; path.relative is the slow way for the rest.
    if (p.startsWith(prefix) && !/[\\/]\.\.?(?:[\\/]|$)|[\\/][\\/]/.test(p.slice(prefix.length - 1))) return sep === "/" ? p.slice(prefix.length) : p.slice(prefix.length).split(sep).join("/");
    const r = relative(root, p);
    return r === "" ? "" : r.startsWith("..") || resolvePath(root, r) !== p ? undefined : r.split(sep).join("/");
  };
  const env = opts.env;
  const roots = computeRoots({ root, files: opts.files, pytest: opts.pytest, envPath: env.path, abs, rel, rootName: root.slice(root.lastIndexOf(sep) + 1) });
  const noInterpreter = env.source === "none";
  const stdlibTable = new Set(env.stdlibNames);
  const raw = new ModuleFinder({
    path: roots.path,
    // Without an interpreter the standard library is known by name only.
    builtin: new Set(noInterpreter ? env.stdlibNames : env.builtin),
    frozen: new Set(env.frozen),
    preloaded: new Map(Object.entries(env.preloaded).filter(([name]) => !env.thirdPartyDisabled || stdlibTable.has(name.split(".")[0]!))),
    extensionSuffixes: env.extensionSuffixes,
    sourceSuffixes: env.sourceSuffixes,
    bytecodeSuffixes: env.bytecodeSuffixes,
  });
  const sites = env.thirdPartyDisabled ? [] : env.sitePackages;
  const readDistributions = () => DistributionIndex.read(sites, raw);
  const distributions = new DistributionIndex(opts.memo ? opts.memo.get("distributions", JSON.stringify(sites), readDistributions) : readDistributions());
  const siteDirs = env.sitePackages.map((d) => resolvePath(d));
  const stdlibDirs = env.stdlibDirs.map((d) => resolvePath(d));
  const under = (file: string, dirs: string[]) => dirs.find((d) => file === d || file.startsWith(d + sep));

  const classify = memoized(new WeakMap<Location, ResolvedModule>(), (loc: Location): ResolvedModule => {
    const file = loc.file ?? loc.searchLocations?.[0];
    const top = loc.name.split(".")[0]!;
    const out: ResolvedModule = { name: loc.name, kind: loc.kind, origin: "external" };
    if (loc.kind === "builtin" || loc.kind === "frozen" || (loc.kind === "preloaded" && !file)) out.origin = "stdlib";
    if (file) {
      const r = rel(file);
      const site = under(file, siteDirs);
      if (site) {
        out.origin = "third-party";
        const dist = distributions.providers(top).find((d) => resolvePath(d.siteDir) === site) ?? distributions.providers(top)[0];
        if (dist) out.distribution = dist.name;
      } else if (under(file, stdlibDirs)) out.origin = "stdlib";
      else if (r !== undefined) out.origin = "local";
      if (loc.file) out.file = out.origin === "local" && r !== undefined ? r : file;
    }
    return out;
  });

  /** The finder, adjusted for a retargeted Python version (stdlib added or removed by then). */
  const find = memoized(new Map<string, FindResult>(), (name: string): FindResult => {
    const result = raw.find(name);
    const top = name.split(".")[0]!;
    if (result.found && result.chain[0] && classify(result.chain[0]).origin === "stdlib" && !stdlibTable.has(top) && !env.builtin.includes(top)) {
      return { found: false, missing: top, reason: "not-found", chain: [] };
    }
    if (!result.found && result.chain.length === 0 && stdlibTable.has(top) && (noInterpreter || result.missing === top)) {
      // Known to the target's standard library but not on this disk (another version, or no interpreter).
      const parts = name.split(".");
      const chain = parts.map((_, i) => ({ name: parts.slice(0, i + 1).join("."), kind: "builtin" as const }));
      return { found: true, location: chain[chain.length - 1]!, chain };
    }
    return result;
  });
  const finder: Finder = { path: raw.path, find, list: (dir) => raw.list(dir) };
  // One chain per module found, not one per import of it: most imports name a module others import too.
  const chainOf = memoized(new WeakMap<FindResult, readonly ResolvedModule[]>(), (found: FindResult) => (found.chain.length === 0 ? NONE : found.chain.map(classify)));

  // Module names of the scanned files.
  const testByFile = new Map(roots.tests.map((t) => [t.file, t]));
  const modules: ModuleRecord[] = [];
  for (const file of opts.files) {
    const isPackage = file === "__init__.py" || file.endsWith("/__init__.py");
    const test = testByFile.get(file);
    if (test) {
      modules.push({ file, name: test.name, rooted: true, isPackage, test: test.kind });
      continue;
    }
    const named = nameFromPath(file, abs(file), roots.path, rel, (n) => find(n));
    if (named) modules.push({ file, name: named, rooted: true, isPackage });
    else {
      const stem = file.replace(/\.py$/, "").split("/");
      if (isPackage) stem.pop();
      modules.push({ file, name: stem.join(".") || "__init__", rooted: false, isPackage });
    }
  }

  const moduleOf = new Map(modules.map((m) => [m.file, m]));
  const resolved = new Map<string, ImportResolution[]>();
  return {
    modules,
    finder,
    classify,
    add(file, facts) {
      const mod = moduleOf.get(file);
      if (!mod) return undefined;
      const r = facts.imports.map((imp, index) => resolveImport(imp, index, mod, find, classify, chainOf));
      resolved.set(file, r);
      return r;
    },
    finish() {
      // In module order, whatever order the files came in.
      const imports = new Map<string, ImportResolution[]>();
      for (const mod of modules) {
        const r = resolved.get(mod.file);
        if (r) imports.set(mod.file, r);
      }
      return { sysPath: roots.path, modules, tests: roots.tests, imports, distributions, finder, classify };
    },
  };
}

/** The first sys.path entry under which `file` is found by its dotted path. */
function nameFromPath(
  file: string,
  absFile: string,
  path: readonly string[],
  rel: (p: string) => string | undefined,
  find: (name: string) => FindResult,
): string | undefined {
  for (const entry of path) {
    if (!(absFile.startsWith(entry + sep))) continue;
    const parts = absFile.slice(entry.length + 1).replace(/\.py$/, "").split(sep);
    if (parts[parts.length - 1] === "__init__") parts.pop();
    if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) continue;
    const name = parts.join(".");
    const found = find(name);
    if (found.found && found.location.file && rel(found.location.file) === file) return name;
  }
  return undefined;
}

export function absoluteModule(imp: PyImport, importer: { name: string; isPackage: boolean }): { name: string } | { error: MissingReason } {
  if (imp.level === 0) return { name: imp.module };
  const parts = importer.name.split(".");
  const pkg = importer.isPackage ? parts : parts.slice(0, -1);
  if (pkg.length === 0) return { error: "relative-no-parent" };
  if (imp.level - 1 >= pkg.length) return { error: "relative-beyond-top" };
  const base = pkg.slice(0, pkg.length - (imp.level - 1));
  return { name: imp.module ? [...base, imp.module].join(".") : base.join(".") };
}

function resolveImport(
  imp: PyImport,
  index: number,
  importer: ModuleRecord,
  find: (name: string) => FindResult,
  classify: (loc: Location) => ResolvedModule,
  chainOf: (found: FindResult) => readonly ResolvedModule[],
): ImportResolution {
  const target = absoluteModule(imp, importer);
  if ("error" in target) return { index, chain: NONE, missing: { name: imp.module, reason: target.error }, submodules: NONE };
  const found = find(target.name);
  const res: ImportResolution = { index, absolute: target.name, chain: chainOf(found), submodules: NONE };
  if (!found.found) {
    res.missing = { name: found.missing, reason: found.reason };
    return res;
  }
  if (imp.kind === "from" && found.location.searchLocations) {
    const submodules: { name: string; module: ResolvedModule }[] = [];
    for (const n of imp.names) {
      if (n.name === "*") continue;
      const sub = find(`${target.name}.${n.name}`);
      if (sub.found) submodules.push({ name: n.name, module: classify(sub.location) });
    }
    if (submodules.length > 0) res.submodules = submodules;
  }
  return res;
}

/** `compute`, asked once per key: the finder hands out one Location per module and every import asks again. */
function memoized<K, V>(memo: { get(key: K): V | undefined; set(key: K, value: V): unknown }, compute: (key: K) => V): (key: K) => V {
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      memo.set(key, value);
    }
    return value;
  };
}
