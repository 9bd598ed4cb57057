/**
 * What `snag check` predicts for a repository's TypeScript/JavaScript modules and test files: the
 * imports tsc cannot resolve (missing-module) and the names it cannot find (missing-export), and
 * for each module and test file whether loading it fails as vitest loads it: every static import
 * that survives type erasure must resolve for the runner (which ignores tsconfig `paths` unless
 * its config applies them), then modules evaluate depth first, so a cycle whose module reads a
 * class, `let` or `const` of a module still evaluating throws "Cannot access 'X' before
 * initialization", and a name its module does not export is `undefined` where it is used.
 */
import { stronglyConnectedComponents } from "graphology-components";
import graphology from "graphology";
import { existsSync } from "../../cache/observed-fs.js";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { isScriptTestFile, type ScriptImport } from "../../parse/typescript/facts.js";
import { erasedImports } from "../../parse/typescript/erasure.js";
import type { ScriptModule, ScriptScan } from "../../pipeline/scan-scripts.js";
import type { MissingWhy } from "../../resolve/scripts.js";
import type { Cause, Finding, Hop, ModuleVerdict, TestVerdict } from "../model.js";
import { exportNames, lookupExport, type ModuleLookup } from "./exports.js";
import { HEAVY_NPM_PACKAGES } from "../../rules/heavy-import.js";
import { spellingSuggestion } from "../../rules/spelling.js";
import { countReachingStarts } from "../../graph/reach.js";

const { DirectedGraph } = graphology;

export interface ScriptCheck {
  modules: (ModuleVerdict & { language: "typescript" | "javascript" })[];
  tests: (TestVerdict & { language: "typescript" | "javascript" })[];
  findings: Finding[];
  languageOf(file: string): "typescript" | "javascript";
}


/** Declarations in their temporal dead zone until their statement runs. */
const TDZ = new Set(["class", "const", "let", "default-expression", "enum"]);

interface Failure {
  cause: Cause;
  /** From the module loaded down to the one holding the failing statement. */
  chain: Hop[];
}

export function checkScripts(scan: ScriptScan, root: string, heavyPackages: readonly string[] = []): ScriptCheck {
  const modules: ModuleLookup = (abs) => scan.modules.get(abs);
  const local = scan.files.map((f) => scan.modules.get(join(root, f))!).filter(Boolean);
  const findings = new Map<string, Finding>();
  const addFinding = (key: string, f: Omit<Finding, "blastRadius">) => {
    const existing = findings.get(key);
    if (existing) {
      existing.sites ??= [{ file: existing.file, line: existing.line, column: existing.column }];
      if (!existing.sites.some((s) => s.file === f.file && s.line === f.line && s.column === f.column)) existing.sites.push({ file: f.file, line: f.line, column: f.column });
    } else findings.set(key, { ...f, blastRadius: { tests: 0, modules: 0 } });
  };

  /** Each failing statement's cause → the root cause (finding) it belongs to. */
  const keyOf = new Map<Cause, string>();

  // Static problems: what tsc reports whether or not anything loads the module.
  const linkProblems = new Map<ScriptModule, { index: number; cause: Cause; key: string }[]>();
  for (const m of local) {
    const problems: { index: number; cause: Cause; key: string }[] = [];
    if (m.facts.syntaxError) {
      const cause: Cause = { rule: "syntax-error", target: m.file, file: m.file, line: m.facts.syntaxError.line, column: m.facts.syntaxError.column, exception: "SyntaxError", message: m.facts.syntaxError.message };
      const key = `syntax-error\0${m.file}`;
      addFinding(key, { rule: "syntax-error", severity: "error", file: m.file, line: cause.line, column: cause.column, message: `${m.file} does not parse: ${cause.message}`, target: m.file });
      problems.push({ index: -1, cause, key });
    }
    /** One statement of a missing-module root cause; `fails` when the runner cannot load it either. */
    const missing = (imp: ScriptImport, index: number, key: string, message: string, classification: string, suggestion: string, fails: boolean) => {
      addFinding(key, { rule: "missing-module", severity: "error", file: m.file, line: imp.line, column: imp.column, message, target: imp.specifier, classification, suggestion });
      if (fails) problems.push({ index, key, cause: { rule: "missing-module", target: imp.specifier, file: m.file, line: imp.line, column: imp.column, exception: "Error", message } });
    };
    m.facts.imports.forEach((imp, index) => {
      const target = m.targets[index];
      const runtime = m.runtime[index];
      if (!target) return;
      const ambient = target.kind === "missing" && ambientIn(scan, imp.specifier);
      // A `declare module` for a non-file name (`virtual:…`) is usually a bundler plugin's module: the runner's to provide.
      if (ambient && runtime?.kind === "missing" && !imp.specifier.startsWith(".")) return;
      // Found by tsc (or declared ambiently, or silenced) but not by the runner: the import fails only when it runs.
      const tscMisses = target.kind === "missing" && target.why !== "broken-manifest" && !ambient && tscReports(m, imp.line);
      if (runtime?.kind === "missing" && !tscMisses) {
        const bare = !imp.specifier.startsWith(".") && !imp.specifier.startsWith("/");
        const message = runtime.why === "broken-manifest" ? `${runtime.message} while importing '${imp.specifier}' from ${m.file}` : `Cannot find ${bare ? "package" : "module"} '${imp.specifier}' imported from ${m.file}`;
        // A broken package.json is one root cause for every import through it.
        const key = `missing-module\0runtime\0${runtime.why === "broken-manifest" ? runtime.message : bare ? imp.specifier : resolvePath(dirname(m.abs), imp.specifier)}`;
        const alias = scan.configs.pathsAliasFor(m.abs, imp.specifier);
        const suggestion =
          runtime.why === "broken-manifest"
            ? "make that package.json valid JSON: Node and vitest refuse to load a module through it (tsc reads it as empty)"
            : alias !== undefined
            ? `tsconfig "paths" maps '${alias}' for tsc, but Vite and vitest do not read tsconfig paths: add vite-tsconfig-paths (or a matching resolve.alias) to the vitest config`
            : target.kind === "file"
              ? `tsc finds ${target.path.startsWith(root) ? target.path.slice(root.length + 1) : target.path}, the test runner does not (${runtime.message}); import what the package offers at run time`
              : `only a \`declare module\` makes tsc accept '${imp.specifier}'; nothing provides it at run time`;
        missing(imp, index, key, message, "runtime-only", suggestion, true);
        return;
      }
      if (target.kind === "missing") {
        if (!tscMisses) return;
        const message = target.why === "needs-extension" ? target.message : `Cannot find module '${imp.specifier}' or its corresponding type declarations.`;
        // One root cause per module that is not there: importers of the same missing file, alias or package share it.
        const key = `missing-module\0${target.why === "needs-extension" ? `ext\0${m.file}\0${imp.line}\0${imp.column}` : target.why === "relative" ? resolvePath(dirname(m.abs), imp.specifier) : (target.packageName ?? imp.specifier)}`;
        const classification = target.why === "relative" && movedScript(scan, imp.specifier) ? "moved" : classificationOf(target.why);
        // The runner may still load what tsc cannot type (a JSON file without resolveJsonModule, a package without types).
        missing(imp, index, key, message, classification, suggestionFor(imp.specifier, target.why, m, scan, root, target.packageName, target.suggestion), runtime?.kind === "missing");
        return;
      }
      if (target.kind !== "file" || (imp.kind !== "import" && imp.kind !== "reexport")) return;
      const from = modules(target.path);
      if (!from) return;
      for (const n of imp.names) {
        const found = lookupExport(from, n.imported, modules);
        if (found.kind !== "absent" || !tscReports(m, n.line)) continue;
        const candidates = exportNames(from, modules);
        const { message, classification, hint } = missingExportMessage(imp.specifier, n.imported, from, candidates);
        const key = `missing-export\0${from.abs}\0${n.imported}`;
        addFinding(key, {
          rule: "missing-export",
          severity: "error",
          file: m.file,
          line: n.line,
          column: n.column,
          message,
          target: n.imported,
          classification,
          suggestion: hint,
        });
      }
    });
    undeclared(m, addFinding);
    for (const p of problems) keyOf.set(p.cause, p.key);
    linkProblems.set(m, problems);
  }

  // Link: a module fails when it, or anything it statically loads, has a problem.
  const linkMemo = new Map<ScriptModule, Failure | null>();
  const linking = new Set<ScriptModule>();
  const linkFailure = (m: ScriptModule): Failure | null => {
    const memo = linkMemo.get(m);
    if (memo !== undefined) return memo;
    if (linking.has(m)) return null;
    linking.add(m);
    let result: Failure | null = null;
    const own = linkProblems.get(m) ?? [];
    const syntax = own.find((p) => p.index === -1);
    if (syntax) result = { cause: syntax.cause, chain: [{ module: m.file, file: m.file, line: syntax.cause.line }] };
    else {
      for (const index of runtimeImports(m)) {
        const p = own.find((x) => x.index === index);
        if (p) {
          result = { cause: p.cause, chain: [{ module: m.file, file: m.file, line: p.cause.line }] };
          break;
        }
        const t = m.runtime[index];
        const next = t?.kind === "file" ? modules(t.path) : undefined;
        if (!next || !next.local) continue;
        const deeper = linkFailure(next);
        if (deeper) {
          result = { cause: deeper.cause, chain: [{ module: m.file, file: m.file, line: m.facts.imports[index]!.line }, ...deeper.chain] };
          break;
        }
      }
    }
    linking.delete(m);
    linkMemo.set(m, result);
    return result;
  };

  // Evaluation: only modules that can reach a cycle can read a binding before it is initialised.
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const m of local) graph.mergeNode(m.abs);
  for (const m of local) {
    for (const index of runtimeImports(m)) {
      const t = m.runtime[index];
      if (t?.kind === "file" && graph.hasNode(t.path)) graph.mergeEdge(m.abs, t.path);
    }
  }
  const cyclic = new Set<string>();
  for (const component of stronglyConnectedComponents(graph)) {
    if (component.length > 1 || graph.hasEdge(component[0]!, component[0]!)) for (const n of component) cyclic.add(n);
  }
  const reachesCycle = new Map<string, boolean>();
  const reaches = (abs: string, seen = new Set<string>()): boolean => {
    const known = reachesCycle.get(abs);
    if (known !== undefined) return known;
    if (seen.has(abs)) return false;
    seen.add(abs);
    let r = cyclic.has(abs);
    if (!r) graph.forEachOutNeighbor(abs, (n: string) => void (r ||= reaches(n, seen)));
    reachesCycle.set(abs, r);
    return r;
  };

  /**
   * The first statement of `m`'s own body that throws, given which modules are still evaluating:
   * a class, `let` or `const` of one of them read before it is initialised (ReferenceError), or
   * `undefined` called, constructed, extended or dereferenced: a `var` not yet assigned, or, in a
   * transpiled TypeScript module, a named import its module does not export (TypeError).
   */
  const ownEvaluationFailure = (m: ScriptModule, evaluating: (abs: string) => boolean): Failure | null => {
    for (const use of m.facts.evaluationUses) {
      const binding = bindingOf(m, use.name);
      if (!binding || binding.imported === "*") continue;
      const t = m.targets[binding.index];
      const from = t?.kind === "file" ? modules(t.path) : undefined;
      if (!from) continue;
      const found = lookupExport(from, binding.imported, modules);
      const at = { file: m.file, line: use.line, column: use.column };
      const chain = [{ module: m.file, file: m.file, line: use.line }];
      const onUndefined = undefinedMessage(use.name, use.use, use.property);
      if (found.kind === "absent") {
        // vitest's module runner reads a name a source module does not export as `undefined`.
        if (!onUndefined) continue;
        const specifier = m.facts.imports[binding.index]!.specifier;
        const cause: Cause = { rule: "missing-export", target: binding.imported, module: specifier, ...at, exception: "TypeError", message: onUndefined };
        const key = `missing-export\0${from.abs}\0${binding.imported}`;
        // tsc was silenced on the import (or does not check the file): the finding is the runner's.
        if (!findings.has(key)) {
          const imported = m.facts.imports[binding.index]!.names.find((n) => n.local === use.name);
          addFinding(key, {
            rule: "missing-export",
            severity: "error",
            file: m.file,
            line: imported?.line ?? use.line,
            column: imported?.column ?? use.column,
            message: `${onUndefined}: '${specifier}' does not export '${binding.imported}'`,
            target: binding.imported,
            classification: "runtime-only",
            suggestion: `${from.file} exports ${exportNames(from, modules).slice(0, 6).join(", ") || "nothing by that name"}`,
          });
        }
        keyOf.set(cause, key);
        return { cause, chain };
      }
      if (found.kind !== "found" || found.typeOnly || found.module === m || !evaluating(found.module.abs)) continue;
      const kind = found.declaration;
      if (kind !== undefined && TDZ.has(kind)) {
        return { cause: { rule: "import-cycle", target: use.name, module: found.module.file, ...at, exception: "ReferenceError", message: `Cannot access '${use.name}' before initialization` }, chain };
      }
      if (kind === "var" && onUndefined) return { cause: { rule: "import-cycle", target: use.name, module: found.module.file, ...at, exception: "TypeError", message: onUndefined }, chain };
    }
    return null;
  };

  // Outside cycles, what a module's evaluation does depends on nothing but the module: memoised.
  const acyclicMemo = new Map<ScriptModule, Failure | null>();
  const acyclicFailure = (m: ScriptModule): Failure | null => {
    const memo = acyclicMemo.get(m);
    if (memo !== undefined) return memo;
    let result: Failure | null = null;
    for (const index of runtimeImports(m)) {
      const t = m.runtime[index];
      const next = t?.kind === "file" ? modules(t.path) : undefined;
      if (!next || !next.local) continue;
      const failed = acyclicFailure(next);
      if (failed) {
        result = { cause: failed.cause, chain: [{ module: m.file, file: m.file, line: m.facts.imports[index]!.line }, ...failed.chain] };
        break;
      }
    }
    result ??= ownEvaluationFailure(m, () => false);
    acyclicMemo.set(m, result);
    return result;
  };

  // Through a cycle, it depends on where evaluation entered it: simulated from each entry.
  const evaluationFailure = (entry: ScriptModule): Failure | null => {
    if (!reaches(entry.abs)) return acyclicFailure(entry);
    const state = new Map<string, "evaluating" | "done">();
    const evaluate = (m: ScriptModule): Failure | null => {
      state.set(m.abs, "evaluating");
      for (const index of runtimeImports(m)) {
        const t = m.runtime[index];
        const next = t?.kind === "file" ? modules(t.path) : undefined;
        if (!next || !next.local || state.has(next.abs)) continue;
        const failed = reaches(next.abs) ? evaluate(next) : acyclicFailure(next);
        state.set(next.abs, state.get(next.abs) ?? "done");
        if (failed) return { cause: failed.cause, chain: [{ module: m.file, file: m.file, line: m.facts.imports[index]!.line }, ...failed.chain] };
      }
      const own = ownEvaluationFailure(m, (abs) => state.get(abs) === "evaluating");
      if (own) return own;
      state.set(m.abs, "done");
      return null;
    };
    return evaluate(entry);
  };

  const failureOf = new Map<ScriptModule, Failure | null>();
  for (const m of local) failureOf.set(m, linkFailure(m) ?? evaluationFailure(m));

  for (const m of local) {
    const failed = failureOf.get(m);
    if (failed?.cause.rule !== "import-cycle") continue;
    const c = failed.cause;
    const partner = c.module ?? "";
    const key = `import-cycle\0${c.file}\0${c.line}\0${c.column}`;
    keyOf.set(c, key);
    addFinding(key, {
      rule: "import-cycle",
      severity: "error",
      file: c.file,
      line: c.line,
      column: c.column,
      message: `${c.exception}: ${c.message}: ${c.file} reads '${c.target}' while ${partner}, which imports it back, has not finished evaluating`,
      target: c.target,
      classification: "runtime",
      suggestion: `read '${c.target}' inside a function, or move what both modules need into a third module that neither imports back`,
      chain: failed.chain,
    });
  }

  const verdicts: ScriptCheck["modules"] = local.map((m) => {
    const failed = failureOf.get(m);
    return { language: m.facts.language, module: m.file, file: m.file, importable: !failed, ...(failed ? { cause: failed.cause, chain: failed.chain } : {}) };
  });
  const tests: ScriptCheck["tests"] = local
    .filter((m) => isScriptTestFile(m.file))
    .map((m) => {
      const failed = failureOf.get(m);
      return { language: m.facts.language, file: m.file, module: m.file, kind: "test", collectable: !failed, ...(failed ? { cause: failed.cause, chain: failed.chain } : {}) };
    });

  heavyImports(local, tests, modules, new Set([...HEAVY_NPM_PACKAGES, ...heavyPackages]), findings, addFinding);

  // Blast radius: the modules and test files each root cause stops.
  for (const v of verdicts) if (v.cause) bump(findings, keyOf.get(v.cause), "modules");
  for (const t of tests) if (t.cause) bump(findings, keyOf.get(t.cause), "tests");
  for (const f of findings.values()) f.chain ??= exampleChain(f, tests, verdicts);
  const languages = new Map(local.map((m) => [m.file, m.facts.language]));
  return { modules: verdicts, tests, findings: [...findings.values()], languageOf: (file) => languages.get(file) ?? "typescript" };
}

/**
 * A static import of a heavy package that test files load: each of them pays for it (or cannot
 * load at all where it is not installed). Counted through the imports that survive erasure.
 */
function heavyImports(local: ScriptModule[], tests: TestVerdict[], modules: ModuleLookup, heavy: ReadonlySet<string>, findings: Map<string, Finding>, addFinding: (key: string, f: Omit<Finding, "blastRadius">) => void): void {
  const sites: { m: ScriptModule; index: number; pkg: string }[] = [];
  for (const m of local) {
    for (const index of runtimeImports(m)) {
      const t = m.runtime[index];
      const pkg = t?.kind === "file" ? t.inPackage : t?.kind === "missing" ? t.packageName : undefined;
      if (pkg && heavy.has(pkg)) sites.push({ m, index, pkg });
    }
  }
  if (sites.length === 0) return;
  // How many test files load each module with a heavy import, over the runtime imports.
  const byFile = new Map(local.map((m) => [m.file, m]));
  const counts = countReachingStarts(
    tests.map((t) => t.file).filter((f) => byFile.has(f)),
    sites.map((s) => s.m.file),
    (file) => {
      const m = byFile.get(file)!;
      const out: string[] = [];
      for (const index of runtimeImports(m)) {
        const r = m.runtime[index];
        const next = r?.kind === "file" ? modules(r.path) : undefined;
        if (next?.local && byFile.has(next.file)) out.push(next.file);
      }
      return out;
    },
  );
  for (const { m, index, pkg } of sites) {
    const count = counts.get(m.file) ?? 0;
    if (count === 0) continue;
    const imp = m.facts.imports[index]!;
    const key = `heavy-import\0${m.file}\0${imp.line}\0${imp.column}`;
    addFinding(key, {
      rule: "heavy-import",
      severity: "warning",
      file: m.file,
      line: imp.line,
      column: imp.column,
      message: `'${pkg}' is imported at module level; ${count} test file${count === 1 ? "" : "s"} pay for it on load`,
      target: pkg,
      suggestion: `load '${pkg}' where it is needed (await import("${imp.specifier}")), or import type when only its types are used`,
    });
    findings.get(key)!.blastRadius.tests = count;
  }
}

/**
 * A package the module imports from node_modules that its nearest package.json does not declare:
 * it resolves today only because something else installed or hoisted it (a workspace sibling, a
 * transitive dependency), and a clean install of this package alone would not have it.
 */
function undeclared(m: ScriptModule, addFinding: (key: string, f: Omit<Finding, "blastRadius">) => void): void {
  const manifest = m.manifest;
  if (!manifest) return;
  m.facts.imports.forEach((imp, index) => {
    const pkg = [m.runtime[index], m.targets[index]].map((t) => (t?.kind === "file" ? t.inPackage : undefined)).find((p) => p !== undefined);
    if (!pkg || pkg === manifest.name || isDeclared(pkg, manifest.declared)) return;
    addFinding(`undeclared-dependency\0${manifest.file}\0${pkg}`, {
      rule: "undeclared-dependency",
      severity: "warning",
      file: m.file,
      line: imp.line,
      column: imp.column,
      message: `'${pkg}' is installed but ${manifest.file} does not declare it`,
      target: pkg,
      classification: "undeclared",
      suggestion: `add "${pkg}" to "dependencies" (or "devDependencies") in ${manifest.file}`,
    });
  });
}

function isDeclared(pkg: string, declared: Set<string>): boolean {
  if (declared.has(pkg)) return true;
  // `@types/foo` declares the types of `foo`, and `foo` is what provides `@types/foo` at run time.
  if (pkg.startsWith("@types/")) {
    const of = pkg.slice(7);
    return declared.has(of.includes("__") ? `@${of.replace("__", "/")}` : of);
  }
  return false;
}

/** The TypeError V8 throws when a value that is `undefined` is used this way (none for a plain read). */
function undefinedMessage(name: string, use: string, property?: string): string | undefined {
  switch (use) {
    case "call":
      return `${name} is not a function`;
    case "new":
      return `${name} is not a constructor`;
    case "heritage":
      return "Class extends value undefined is not a constructor or null";
    case "member":
      return property ? `Cannot read properties of undefined (reading '${property}')` : "Cannot read properties of undefined";
    default:
      return undefined;
  }
}

/** Whether tsc reports an error on this line of the module: checked at all, and not silenced by a directive. */
function tscReports(m: ScriptModule, line: number): boolean {
  if (m.facts.checkPragma === "nocheck") return false;
  if (m.facts.suppressedLines.includes(line)) return false;
  if (m.facts.language === "javascript" && m.facts.checkPragma !== "check" && m.checkJs !== true) return false;
  return true;
}

function bump(findings: Map<string, Finding>, key: string | undefined, what: "tests" | "modules"): void {
  const f = key === undefined ? undefined : findings.get(key);
  if (f) f.blastRadius[what]++;
}

function exampleChain(f: Finding, tests: TestVerdict[], modules: ModuleVerdict[]): Hop[] | undefined {
  const hit = [...tests, ...modules].find((v) => v.cause && v.cause.rule === f.rule && v.cause.file === f.file && v.cause.line === f.line);
  return hit?.chain;
}

const runtimeMemo = new WeakMap<ScriptModule, number[]>();

/**
 * Imports loaded while the module links, in source order: what type erasure and laziness leave.
 * Asked for by every pass (link, evaluation, cycles, heavy imports), so worked out once per module.
 */
function runtimeImports(m: ScriptModule): number[] {
  let out = runtimeMemo.get(m);
  if (!out) {
    const erased = erasedImports(m.facts);
    out = [];
    m.facts.imports.forEach((imp, index) => {
      if (!imp.lazy && imp.kind !== "dynamic" && !erased.has(index)) out!.push(index);
    });
    runtimeMemo.set(m, out);
  }
  return out;
}

function bindingOf(m: ScriptModule, local: string): { index: number; imported: string } | undefined {
  for (let index = 0; index < m.facts.imports.length; index++) {
    const imp = m.facts.imports[index]!;
    if (imp.kind !== "import") continue;
    if (imp.defaultLocal === local) return { index, imported: "default" };
    if (imp.namespace === local) return { index, imported: "*" };
    const n = imp.names.find((x) => x.local === local);
    if (n) return { index, imported: n.imported };
  }
  return undefined;
}

const ambientCache = new WeakMap<ScriptScan, { exact: Set<string>; patterns: [string, string][] }>();

/** Whether an ambient `declare module` anywhere in the program declares the specifier, as tsc matches them. */
function ambientIn(scan: ScriptScan, specifier: string): boolean {
  let known = ambientCache.get(scan);
  if (!known) {
    known = { exact: new Set(), patterns: [] };
    for (const m of [...scan.modules.values(), ...scan.declarations.values()]) {
      for (const name of m.facts.ambientModules) {
        const star = name.indexOf("*");
        if (star < 0) known.exact.add(name);
        else known.patterns.push([name.slice(0, star), name.slice(star + 1)]);
      }
    }
    ambientCache.set(scan, known);
  }
  if (known.exact.has(specifier)) return true;
  return known.patterns.some(([prefix, suffix]) => specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix));
}

function classificationOf(why: MissingWhy): string {
  switch (why) {
    case "relative":
      return "missing-file";
    case "alias":
      return "broken-alias";
    case "not-exported":
      return "not-exported";
    case "not-installed":
      return "not-installed";
    case "no-types":
      return "no-types";
    case "needs-extension":
      return "needs-extension";
    case "broken-manifest":
      return "broken-manifest";
  }
}

/**
 * tsc's diagnostic for a name a module does not export, in tsc's order (checker.ts
 * errorNoModuleMemberSymbol): a spelling suggestion (TS2724), else a default export to import
 * instead (TS2614), else a local declaration exported under another name (TS2460) or not at all
 * (TS2459), else TS2305.
 */
export function missingExportMessage(specifier: string, name: string, from: ScriptModule, candidates: string[]): { message: string; code: number; classification: string; hint: string } {
  const mod = `'"${specifier}"'`;
  const suggestion = spellingSuggestion(name, candidates);
  if (suggestion) return { code: 2724, message: `${mod} has no exported member named '${name}'. Did you mean '${suggestion}'?`, classification: "renamed", hint: `import '${suggestion}' instead (${from.file} exports it)` };
  if (from.facts.exports.some((e) => e.name === "default")) {
    return { code: 2614, message: `Module ${mod} has no exported member '${name}'. Did you mean to use 'import ${name} from "${specifier}"' instead?`, classification: "default-export", hint: `${from.file} has a default export: import ${name} from "${specifier}"` };
  }
  if (from.facts.declarations[name] !== undefined) {
    const as = from.facts.exports.find((e) => e.local === name && e.name !== name);
    if (as) return { code: 2460, message: `Module ${mod} declares '${name}' locally, but it is exported as '${as.name}'.`, classification: "renamed", hint: `import '${as.name}' (as '${name}')` };
    return { code: 2459, message: `Module ${mod} declares '${name}' locally, but it is not exported.`, classification: "not-exported", hint: `export '${name}' from ${from.file}` };
  }
  return { code: 2305, message: `Module ${mod} has no exported member '${name}'.`, classification: "absent", hint: `${from.file} exports ${candidates.length > 0 ? candidates.slice(0, 6).join(", ") : "nothing by that name"}` };
}


function suggestionFor(specifier: string, why: MissingWhy, m: ScriptModule, scan: ScriptScan, root: string, pkg: string | undefined, suggestion?: string): string {
  if (why === "needs-extension") return `under node16/nodenext an ES module names the file it imports: write '${suggestion ?? `${specifier}.js`}' (vitest accepts either; tsc and Node do not)`;
  if (why === "no-types") return `Node has '${specifier}', but tsc knows it only through @types/node: install @types/node and keep "node" in compilerOptions.types (if the tsconfig lists types)`;
  if (why === "not-installed") return `install ${pkg ?? specifier} (npm install ${pkg ?? specifier}), or remove the import`;
  if (why === "not-exported") return `${pkg} is installed but its package.json "exports" offer no '${specifier.slice((pkg ?? "").length) || "."}'; import an exported subpath`;
  if (why === "alias") return `the alias leads to a file that does not exist; fix the import or the tsconfig "paths" / package.json "imports" entry`;
  // A file with the same name elsewhere in the repository: the module was moved.
  const moved = movedScript(scan, specifier);
  const here = dirname(join(root, m.file));
  if (moved) return `${moved} looks like the moved module: import '${specifierFor(m.file, moved, specifier)}'`;
  return existsSync(here) ? `no file for '${specifier}' next to ${m.file}; fix the path or restore the module` : `fix the path`;
}

/** The one other script named like a missing relative specifier: where the module went. */
export function movedScript(scan: ScriptScan, specifier: string): string | undefined {
  const stem = basename(specifier).replace(/\.[cm]?[jt]sx?$/, "");
  if (stem === "index" || stem === "" || stem === "." || stem === "..") return undefined;
  const moved = scan.files.filter((f) => basename(f).replace(/\.[cm]?[jt]sx?$/, "") === stem && !isScriptTestFile(f));
  return moved.length === 1 ? moved[0] : undefined;
}

/** How `importer` should name `file`, in the style of the specifier it wrote (with `.js` or without an extension). */
export function specifierFor(importer: string, file: string, style: string): string {
  let rel = relativeSpecifier(dirname(importer), file);
  if (/\.[cm]?js$/.test(style)) rel = rel.replace(/\.([cm]?)tsx?$/, ".$1js");
  else if (!/\.[cm]?[jt]sx?$/.test(style)) rel = rel.replace(/\.[cm]?[jt]sx?$/, "");
  return rel;
}

function relativeSpecifier(fromDir: string, to: string): string {
  if (fromDir === ".") fromDir = "";
  const a = fromDir === "" ? [] : fromDir.split("/");
  const b = to.split("/");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.length - i;
  const rest = b.slice(i).join("/");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}
