/**
 * Which names a local module binds at module level, optionally only those bound before a given
 * line (a module that is still initialising, in an import cycle), and what `from m import *`
 * takes from it.
 */
import { guardOf, type TargetPython } from "../graph/guard.js";
import type { PyBinding, PyFileFacts } from "../parse/python/facts.js";

/** Guards under which a statement does not run while the module is imported. */
const NOT_AT_IMPORT = new Set(["deferred", "type-checking", "main", "dead"]);

export function runsAtImport(binding: Pick<PyBinding, "context">, target: TargetPython): boolean {
  return !NOT_AT_IMPORT.has(guardOf(binding.context, target));
}

export type StarSource = (starImportIndex: number) => ReadonlySet<string> | "any" | undefined;

export interface NamespaceQuery {
  facts: PyFileFacts;
  target: TargetPython;
  /** Lines of import statements that failed (and were caught): what they would bind is not bound. */
  failedLines?: ReadonlySet<number>;
  /** Names a star import at fact index i provides; "any" when unknowable. */
  starNames: StarSource;
}

/** Does the module bind `name` (before `beforeLine`, if given)? "any" answers yes to everything. */
/** Attributes every module has before its first line runs. */
const MODULE_DUNDERS = new Set(["__name__", "__doc__", "__file__", "__spec__", "__loader__", "__package__", "__builtins__", "__cached__", "__dict__", "__path__"]);

export function binds(q: NamespaceQuery, name: string, beforeLine?: number): boolean {
  const { facts } = q;
  if (MODULE_DUNDERS.has(name)) return true;
  if (facts.dynamicNamespace) return true;
  if (facts.hasModuleGetattr && (beforeLine === undefined || getattrDefinedBefore(facts, beforeLine))) return true;
  let bound = false;
  for (const b of facts.bindings) {
    if (b.name !== name) continue;
    if (beforeLine !== undefined && b.line >= beforeLine) break;
    if (b.kind === "global") continue;
    if (b.kind === "import" && q.failedLines?.has(b.line)) continue;
    if (!runsAtImport(b, q.target)) continue;
    // A `del` at module level unbinds only when it certainly runs.
    bound = b.kind !== "del" ? true : guardOf(b.context, q.target) === "top" ? false : bound;
  }
  if (bound) return true;
  return starProvides(q, name, beforeLine);
}

function getattrDefinedBefore(facts: PyFileFacts, line: number): boolean {
  return facts.bindings.some((b) => b.name === "__getattr__" && b.kind === "def" && b.line < line);
}

function starProvides(q: NamespaceQuery, name: string, beforeLine?: number): boolean {
  for (let i = 0; i < q.facts.imports.length; i++) {
    const imp = q.facts.imports[i]!;
    if (beforeLine !== undefined && imp.line >= beforeLine) break;
    if (imp.kind !== "from" || !imp.names.some((n) => n.name === "*")) continue;
    if (!runsAtImport(imp, q.target)) continue;
    const names = q.starNames(i);
    if (names === "any" || names?.has(name)) return true;
  }
  return false;
}

/**
 * What `from m import *` binds: `__all__` when it is a literal, otherwise every public name.
 * Returns "any" when `__all__` is computed or the namespace is dynamic.
 */
export function starExports(q: NamespaceQuery, seen: Set<PyFileFacts> = new Set()): ReadonlySet<string> | "any" {
  const { facts } = q;
  if (facts.dynamicNamespace) return "any";
  if (facts.dunderAll) return facts.dunderAll.dynamic ? "any" : new Set(facts.dunderAll.names);
  if (seen.has(facts)) return new Set();
  seen.add(facts);
  const out = new Set<string>();
  for (const b of facts.bindings) {
    if (b.kind === "global" || b.kind === "del" || b.name.startsWith("_")) continue;
    if (b.kind === "import" && q.failedLines?.has(b.line)) continue;
    if (runsAtImport(b, q.target)) out.add(b.name);
  }
  for (let i = 0; i < facts.imports.length; i++) {
    const imp = facts.imports[i]!;
    if (imp.kind !== "from" || !imp.names.some((n) => n.name === "*") || !runsAtImport(imp, q.target)) continue;
    const names = q.starNames(i);
    if (names === "any") return "any";
    for (const n of names ?? []) if (!n.startsWith("_")) out.add(n);
  }
  return out;
}

/** All names a module binds at import, for did-you-mean suggestions. */
export function boundNames(facts: PyFileFacts, target: TargetPython): string[] {
  const out = new Set<string>();
  for (const b of facts.bindings) if (b.kind !== "global" && b.kind !== "del" && runsAtImport(b, target)) out.add(b.name);
  return [...out].sort();
}
