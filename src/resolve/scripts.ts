/**
 * Where a TypeScript/JavaScript import lands: for tsc (the "types" view: `types` conditions,
 * declaration files, tsconfig `paths`), and for the test runner (the "runtime" view, as vitest's
 * Vite resolver loads it: `node`/`import` conditions, no declaration files, and tsconfig `paths`
 * only when a Vite/Vitest config brings them in). oxc-resolver does
 * the resolution (tsconfig `extends`/`paths`/`baseUrl`, package.json `exports`/`imports`,
 * node_modules, `.js` specifiers that name `.ts` sources); what is snag's own is saying *why* a
 * specifier is missing: a relative file, an alias, a subpath a package does not export, a package
 * that is not installed.
 */
import { existsSync, readFileSync } from "../cache/observed-fs.js";
import { builtinModules } from "node:module";
import { dirname, join, sep } from "node:path";
import type { NapiResolveOptions, ResolverFactory } from "oxc-resolver";
import { oxcResolver } from "../parse/native.js";
import type { ProjectConfigs } from "./tsconfig.js";

export type ScriptTarget =
  /** A file: one of the repository's modules, or a package's. */
  | { kind: "file"; path: string; inPackage?: string }
  | { kind: "builtin"; name: string }
  /** Declared by a `declare module "x"` block somewhere in the program. */
  | { kind: "ambient" }
  | { kind: "missing"; why: MissingWhy; message: string; packageName?: string; suggestion?: string };

/**
 * relative: the file is not there; alias: a tsconfig `paths` entry or a package.json `imports`
 * `#` entry leads nowhere; not-exported: the package is installed but its `exports` do not offer
 * that subpath (or the subpath file is absent); not-installed: no such package in any node_modules;
 * no-types: a Node builtin, which tsc knows only through @types/node (absent, or left out by
 * compilerOptions.types); needs-extension: an extensionless relative import in an ES module under
 * node16/nodenext resolution (TS2835/TS2834); broken-manifest: a package.json on the way is not
 * valid JSON (tsc reads it as empty and resolves on; Node and Vite refuse to load through it).
 */
export type MissingWhy = "relative" | "alias" | "not-exported" | "not-installed" | "no-types" | "needs-extension" | "broken-manifest";

const BUILTINS = new Set(builtinModules);

/** What tsc and Node both try, TypeScript sources first (a `.js` specifier may name a `.ts` file). */
const EXTENSIONS = [".ts", ".tsx", ".d.ts", ".mts", ".d.mts", ".cts", ".d.cts", ".js", ".jsx", ".mjs", ".cjs", ".json", ".node"];

/** What Vite tries, in its order; a `.js` specifier in a TypeScript importer may name the `.ts` source. */
const RUNTIME_EXTENSIONS = [".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json", ".node"];

export type ResolverView = "types" | "runtime";

export class ScriptResolver {
  private readonly resolver: ResolverFactory;
  /** The same options without tsconfig: for a project whose tsconfig cannot be read (tsc still resolves there). */
  private readonly plain: ResolverFactory;
  /** tsconfig problems met while resolving, once each: the scan reports them as diagnostics. */
  readonly configProblems = new Set<string>();
  private readonly memo = new Map<string, ScriptTarget>();

  /**
   * `view` types: as tsc resolves. runtime: as the test runner loads, with tsconfig `paths` when
   * `withPaths` (a Vite/Vitest config that applies them).
   */
  constructor(
    private readonly root: string,
    private readonly configs: ProjectConfigs,
    private readonly view: ResolverView = "types",
    withPaths = true,
  ) {
    const options: NapiResolveOptions =
      view === "types"
        ? {
            tsconfig: "auto",
            conditionNames: ["types", "import", "require", "node", "default"],
            mainFields: ["types", "typings", "module", "main"],
            extensions: EXTENSIONS,
            extensionAlias: { ".js": [".ts", ".tsx", ".d.ts", ".js", ".jsx"], ".mjs": [".mts", ".d.mts", ".mjs"], ".cjs": [".cts", ".d.cts", ".cjs"], ".jsx": [".tsx", ".jsx"] },
            builtinModules: true,
            nodePath: false,
          }
        : {
            ...(withPaths ? { tsconfig: "auto" as const } : {}),
            conditionNames: ["node", "import", "module", "development", "default"],
            mainFields: ["module", "jsnext:main", "jsnext", "main"],
            extensions: RUNTIME_EXTENSIONS,
            extensionAlias: { ".js": [".js", ".ts", ".tsx"], ".jsx": [".jsx", ".tsx"], ".mjs": [".mjs", ".mts"], ".cjs": [".cjs", ".cts"] },
            builtinModules: true,
            nodePath: false,
          };
    const { ResolverFactory } = oxcResolver();
    this.resolver = new ResolverFactory(options);
    const plain = { ...options };
    delete plain.tsconfig;
    this.plain = new ResolverFactory(plain);
  }

  /** `file` is absolute. Results are memoised per directory and specifier (tsconfig scope aside, they depend on nothing else). */
  resolve(file: string, specifier: string): ScriptTarget {
    const key = `${dirname(file)}\0${specifier}`;
    let hit = this.memo.get(key);
    if (!hit) {
      hit = this.resolveOnce(file, specifier);
      this.memo.set(key, hit);
    }
    return hit;
  }

  private resolveOnce(file: string, specifier: string): ScriptTarget {
    const bare = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
    if (BUILTINS.has(bare)) {
      if (this.view === "types" && !nodeTypesVisible(file, this.root, this.configs)) return { kind: "missing", why: "no-types", message: `no @types/node in the program for '${specifier}'` };
      return { kind: "builtin", name: `node:${bare}` };
    }
    let result: ReturnType<ResolverFactory["resolveFileSync"]>;
    try {
      result = this.resolver.resolveFileSync(file, specifier);
      // tsc reports a tsconfig it cannot read (TS5083) and resolves on without it.
      if (result.error && /^Tsconfig not found|tsconfig/i.test(result.error) && !result.path) {
        this.configProblems.add(result.error);
        result = this.plain.resolveFileSync(file, specifier);
      }
    } catch (err) {
      return { kind: "missing", why: "relative", message: (err as Error).message };
    }
    if (result.builtin) return { kind: "builtin", name: result.builtin.resolved };
    const manifest = /JSONError \{ path: "([^"]*package\.json)"/.exec(result.error ?? "")?.[1];
    if (manifest) return { kind: "missing", why: "broken-manifest", message: `Invalid package config ${manifest}` };
    if (result.path) {
      const pkg = packageOf(result.path);
      return { kind: "file", path: result.path, ...(pkg ? { inPackage: pkg } : {}) };
    }
    return this.whyMissing(file, specifier, result.error ?? "not found");
  }

  private whyMissing(file: string, specifier: string, error: string): ScriptTarget {
    if (specifier.startsWith(".") || specifier.startsWith("/")) return { kind: "missing", why: "relative", message: error };
    if (specifier.startsWith("#")) return { kind: "missing", why: "alias", message: error };
    const name = packageName(specifier);
    const installed = findPackageDir(dirname(file), name, this.root);
    if (installed) return { kind: "missing", why: "not-exported", message: error, packageName: name };
    // A specifier no package can be named like (`@app/x` with `@app` a paths alias, `~/x`) or one
    // matching a tsconfig paths pattern is an alias that leads nowhere.
    if (this.configs.pathsAliasFor(file, specifier) !== undefined) return { kind: "missing", why: "alias", message: error };
    return { kind: "missing", why: "not-installed", message: error, packageName: name };
  }
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** The package a resolved file belongs to when it lies under node_modules. */
function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) return undefined;
  return packageName(path.slice(at + 14).split(sep).join("/"));
}

function findPackageDir(from: string, name: string, root: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) return dirname(candidate);
    if (dir === dirname(dir) || (dir.length < root.length && !root.startsWith(dir))) return undefined;
  }
}

const RUNNER_CONFIGS = ["vitest.config", "vite.config", "vitest.workspace", "vitest.projects"].flatMap((base) => [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].map((ext) => `${base}${ext}`));

/**
 * Whether the test runner of the project holding `file` applies tsconfig `paths`: its Vite/Vitest
 * config (the nearest, up to the root) names vite-tsconfig-paths, `tsconfigPaths`, or a
 * `resolve.alias` (read as mirroring the paths: snag does not run the config to see). Vite itself
 * ignores tsconfig `paths`.
 */
export function runnerAppliesPaths(file: string, root: string): boolean {
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    for (const name of RUNNER_CONFIGS) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      try {
        return /tsconfig-?paths|tsconfigPaths|\balias\b/i.test(readFileSync(path, "utf8"));
      } catch {
        return false;
      }
    }
    if (dir === root || dir === dirname(dir)) break;
  }
  return false;
}

/** Whether tsc sees @types/node from this file: installed above it, and not left out by compilerOptions.types. */
function nodeTypesVisible(file: string, root: string, configs: ProjectConfigs): boolean {
  const types = configs.optionsOf(file).types;
  if (types && !types.includes("node")) return false;
  return findPackageDir(dirname(file), "@types/node", root) !== undefined;
}
