/**
 * The TypeScript/JavaScript half of a scan, after the parse stage: every import of the
 * repository's scripts is resolved (for tsc and for the runner), and the package files that named
 * imports land in are read too (their declaration files say what they export), following their
 * own re-exports.
 */
import { existsSync, readFileSync, statSync, note } from "../cache/observed-fs.js";
import { dirname, join, relative, sep } from "node:path";
import { errorText } from "../discover/walk.js";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { emptyScriptFacts, scriptLanguageOf, type ScriptFacts, type ScriptLanguage } from "../parse/typescript/facts.js";
import { MAX_FILE_BYTES } from "../parse/index.js";
import { parseScriptBytes } from "../parse/typescript/parse-script.js";
import { runnerAppliesPaths, ScriptResolver, type ScriptTarget } from "../resolve/scripts.js";
import { nodeEsmResolution, ProjectConfigs } from "../resolve/tsconfig.js";

export interface ScriptModule {
  /** Root-relative for the repository's files; absolute for package files outside it. */
  file: string;
  abs: string;
  /** One of the repository's scripts (not a package's file). */
  local: boolean;
  facts: ScriptFacts;
  /** Where each of `facts.imports` lands for tsc, index for index. */
  targets: ScriptTarget[];
  /** Where each lands when the test runner loads the module (resolve/scripts.ts: the runtime view). */
  runtime: ScriptTarget[];
  /** For a JavaScript file: whether its tsconfig checks JavaScript (`checkJs`), so tsc reports its errors. */
  checkJs?: boolean;
  /** The nearest package.json above a repository script: what it may import from node_modules. */
  manifest?: Manifest;
}

export interface Manifest {
  /** Root-relative. */
  file: string;
  name?: string;
  /** `"module"` or `"commonjs"` (the default): how Node reads its .js files. */
  type?: string;
  /** dependencies, devDependencies, peerDependencies and optionalDependencies, by name. */
  declared: Set<string>;
}

export interface ScriptScan {
  /** By absolute path. */
  modules: Map<string, ScriptModule>;
  /** The repository's scripts, root-relative, sorted. */
  files: string[];
  /** The repository's tsconfig files, as read for this scan. */
  configs: ProjectConfigs;
  /** The repository's declaration files, by absolute path: what they declare ambiently counts for tsc. */
  declarations: Map<string, ScriptModule>;
  diagnostics: Diagnostic[];
}

/** Package files are read only as deep as their re-export chains go; no real chain is longer. */
const MAX_PACKAGE_DEPTH = 16;

export function scanScripts(root: string, parsed: ReadonlyMap<string, ScriptFacts>, files: readonly string[], projectFiles: readonly string[], declarationFiles: readonly string[] = []): ScriptScan {
  const modules = new Map<string, ScriptModule>();
  const diagnostics: Diagnostic[] = [];
  // The resolver reads these itself; noting them lets an unchanged run be replayed and a changed one not.
  for (const f of projectFiles) note(join(root, f));
  const configs = new ProjectConfigs(root);
  const resolver = new ScriptResolver(root, configs);
  const runtimeWithPaths = new ScriptResolver(root, configs, "runtime", true);
  const runtimeWithoutPaths = new ScriptResolver(root, configs, "runtime", false);
  const pathsByDir = new Map<string, boolean>();
  const runtimeFor = (abs: string) => {
    const dir = dirname(abs);
    let applies = pathsByDir.get(dir);
    if (applies === undefined) pathsByDir.set(dir, (applies = runnerAppliesPaths(abs, root)));
    return applies ? runtimeWithPaths : runtimeWithoutPaths;
  };
  const rel = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith("..") ? abs : r.split(sep).join("/");
  };

  const manifests = new Map<string, Manifest | null>();
  const manifestFor = (dir: string): Manifest | undefined => {
    const known = manifests.get(dir);
    if (known !== undefined) return known ?? undefined;
    let found: Manifest | null = null;
    const path = join(dir, "package.json");
    try {
      const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      const declared = new Set<string>();
      for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
        const deps = json[field];
        if (deps && typeof deps === "object") for (const name of Object.keys(deps)) declared.add(name);
      }
      found = { file: rel(path), ...(typeof json.name === "string" ? { name: json.name } : {}), ...(typeof json.type === "string" ? { type: json.type } : {}), declared };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") diagnostics.push(diagnostic("config-error", rel(path), `cannot read package.json: ${errorText(err)}`));
      const parent = dirname(dir);
      found = dir !== root && parent !== dir && parent.startsWith(root) ? (manifestFor(parent) ?? null) : null;
    }
    manifests.set(dir, found);
    return found ?? undefined;
  };

  const load = (abs: string, local: boolean): ScriptModule => {
    const file = rel(abs);
    const language = scriptLanguageOf(abs) ?? "javascript";
    // The repository's scripts come parsed (parse stage, threads and cache); a package's are read here.
    const facts = parsed.get(file) ?? readPackageFile(abs, language);
    const targets = facts.imports.map((imp) => resolver.resolve(abs, imp.specifier));
    if (local) requireExtensions(configs, abs, facts, targets, manifestFor(dirname(abs)));
    const runner = local ? runtimeFor(abs) : undefined;
    const runtime = runner ? facts.imports.map((imp) => runner.resolve(abs, imp.specifier)) : [];
    for (const t of [...targets, ...runtime]) if (t.kind === "file") note(t.path);
    const manifest = local ? manifestFor(dirname(abs)) : undefined;
    const checkJs = local && language === "javascript" ? configs.optionsOf(abs).checkJs === true : undefined;
    return { file, abs, local, facts, targets, runtime, ...(manifest ? { manifest } : {}), ...(checkJs !== undefined ? { checkJs } : {}) };
  };

  for (const f of files) {
    const abs = join(root, f);
    modules.set(abs, load(abs, true));
  }
  // Package files whose exports a named import, re-export or star depends on.
  const queue: { abs: string; depth: number }[] = [];
  const want = (m: ScriptModule, depth: number) => {
    m.facts.imports.forEach((imp, i) => {
      const t = m.targets[i];
      if (t?.kind !== "file" || modules.has(t.path)) return;
      const needsExports = imp.names.length > 0 || imp.kind === "star" || imp.kind === "reexport";
      if (needsExports && depth < MAX_PACKAGE_DEPTH && !/\.(json|node)$/.test(t.path)) queue.push({ abs: t.path, depth: depth + 1 });
    });
  };
  for (const m of modules.values()) want(m, 0);
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i]!;
    if (modules.has(next.abs)) continue;
    const m = load(next.abs, false);
    modules.set(next.abs, m);
    want(m, next.depth);
  }
  for (const r of [resolver, runtimeWithPaths]) for (const problem of r.configProblems) diagnostics.push(diagnostic("config-error", ".", `${problem}; resolved without it, as tsc does (TS5083)`));
  const declarations = new Map<string, ScriptModule>();
  for (const f of declarationFiles) {
    const abs = join(root, f);
    declarations.set(abs, modules.get(abs) ?? load(abs, false));
  }
  return { modules, files: [...files], configs, declarations, diagnostics };
}

/** tsc's suggestions for an extensionless relative import: the source's extension → what to write. */
const SUGGESTED_EXTENSIONS: [string, string][] = [[".mts", ".mjs"], [".ts", ".js"], [".cts", ".cjs"], [".mjs", ".mjs"], [".js", ".js"], [".cjs", ".cjs"], [".tsx", ".js"], [".jsx", ".jsx"], [".json", ".json"]];

/**
 * Under node16/nodenext, an ES module's relative imports must name their file's extension, as
 * Node's ESM loader requires: tsc refuses `./math` (TS2835, "Did you mean './math.js'?") where
 * bundler resolution and vitest accept it. Only the types view changes: vitest still loads it.
 */
function requireExtensions(configs: ProjectConfigs, abs: string, facts: ScriptFacts, targets: ScriptTarget[], manifest: Manifest | undefined): void {
  if (!nodeEsmResolution(configs.optionsOf(abs))) return;
  const esmFile = /\.m[jt]s$/.test(abs) || (!/\.c[jt]s$/.test(abs) && manifest?.type === "module");
  facts.imports.forEach((imp, i) => {
    const spec = imp.specifier;
    if (!spec.startsWith("./") && !spec.startsWith("../") && spec !== "." && spec !== "..") return;
    if ((spec.split("/").pop() ?? "").includes(".")) return;
    // import() is an ES import everywhere; require() and import = require() never are.
    const esm = imp.kind === "dynamic" || (esmFile && imp.kind !== "require" && imp.kind !== "import-equals");
    if (!esm || targets[i]?.kind === "missing") return;
    const base = join(dirname(abs), spec);
    const ext = SUGGESTED_EXTENSIONS.find(([actual]) => existsSync(base + actual))?.[1];
    const message = ext
      ? `Relative import paths need explicit file extensions in ECMAScript imports when '--moduleResolution' is 'node16' or 'nodenext'. Did you mean '${spec}${ext}'?`
      : "Relative import paths need explicit file extensions in ECMAScript imports when '--moduleResolution' is 'node16' or 'nodenext'. Consider adding an extension to the import path.";
    targets[i] = { kind: "missing", why: "needs-extension", message, ...(ext ? { suggestion: `${spec}${ext}` } : {}) };
  });
}

/** A package's file (a declaration file, its JavaScript): facts only, its problems are not the repository's. */
function readPackageFile(abs: string, language: ScriptLanguage): ScriptFacts {
  try {
    if (statSync(abs).size > MAX_FILE_BYTES) return unknown(language, "too large to read");
    return parseScriptBytes(readFileSync(abs), abs, "", language).script;
  } catch (err) {
    return unknown(language, `cannot read: ${errorText(err)}`);
  }
}

function unknown(language: ScriptLanguage, message: string): ScriptFacts {
  const facts = emptyScriptFacts(language);
  facts.syntaxError = { line: 1, column: 1, message };
  return facts;
}
