/**
 * Type erasure, as tsc's transpileModule, esbuild and swc do it one file at a time: which of a
 * script's imports are gone from the JavaScript that runs.
 */
import type { ScriptFacts, ScriptImport } from "./facts.js";

/** Indexes of the imports type erasure drops. */
export function erasedImports(facts: ScriptFacts): Set<number> {
  const out = new Set<number>();
  const values = facts.language === "typescript" ? new Set(facts.valueNames) : undefined;
  facts.imports.forEach((imp, index) => {
    if (imp.typeOnly || (values && erased(imp, values))) out.add(index);
  });
  return out;
}

/**
 * TypeScript drops an import whose bindings are all types or are never read as values (tsc,
 * esbuild and swc alike); an import without bindings is kept for its side effects.
 */
function erased(imp: ScriptImport, values: Set<string>): boolean {
  if (imp.kind === "reexport") return imp.names.length > 0 && imp.names.every((n) => n.typeOnly);
  if (imp.kind !== "import" && imp.kind !== "import-equals") return false;
  const locals = [imp.defaultLocal, imp.namespace, ...imp.names.filter((n) => !n.typeOnly).map((n) => n.local)].filter((x): x is string => x !== undefined);
  const hasBindings = imp.defaultLocal !== undefined || imp.namespace !== undefined || imp.names.length > 0;
  if (!hasBindings) return false;
  return !locals.some((l) => values.has(l));
}
