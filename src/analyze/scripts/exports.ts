/**
 * What a script module exports, followed through `export { x } from`, `export { x }` of an import,
 * and `export *`, as tsc and Node link it. "unknown" is said whenever a module's exports are only
 * known at run time (CommonJS, `export =`, ambient declarations), so no finding rests on a guess.
 */
import type { DeclarationKind } from "../../parse/typescript/facts.js";
import type { ScriptModule } from "../../pipeline/scan-scripts.js";

export type ExportLookup =
  | { kind: "found"; module: ScriptModule; name: string; declaration?: DeclarationKind; typeOnly: boolean }
  | { kind: "absent" }
  | { kind: "unknown" };

export type ModuleLookup = (abs: string) => ScriptModule | undefined;

/** Whether a module's named exports can be known from its text. */
export function exportsKnowable(m: ScriptModule): boolean {
  const f = m.facts;
  if (f.syntaxError || f.partial || f.exportAssignment || f.ambientModules.length > 0) return false;
  if (/\.(json|node)$/.test(m.abs)) return false;
  const esm = f.exports.length > 0 || f.imports.some((i) => i.kind === "import" || i.kind === "reexport" || i.kind === "star");
  if (f.commonjs || !esm) return false;
  return true;
}

export function lookupExport(m: ScriptModule, name: string, modules: ModuleLookup, seen: Set<string> = new Set()): ExportLookup {
  const key = `${m.abs}\0${name}`;
  if (seen.has(key)) return { kind: "absent" };
  seen.add(key);
  if (!exportsKnowable(m)) return { kind: "unknown" };
  const f = m.facts;
  const entry = f.exports.find((e) => e.name === name);
  if (entry) {
    // `export { a as name } from "x"` and `export * as name from "x"`.
    for (let i = 0; i < f.imports.length; i++) {
      const imp = f.imports[i]!;
      if (imp.kind === "star" && imp.namespace === name) return { kind: "found", module: m, name, declaration: "namespace", typeOnly: imp.typeOnly };
      if (imp.kind !== "reexport") continue;
      const n = imp.names.find((x) => x.local === name);
      if (!n) continue;
      return follow(m, i, n.imported, modules, seen, n.typeOnly);
    }
    if (entry.kind !== undefined) return { kind: "found", module: m, name: entry.local ?? name, declaration: entry.kind, typeOnly: entry.typeOnly };
    const local = entry.local ?? name;
    if (f.declarations[local] === "import") {
      for (let i = 0; i < f.imports.length; i++) {
        const imp = f.imports[i]!;
        if (imp.kind !== "import" && imp.kind !== "import-equals") continue;
        if (imp.namespace === local) return { kind: "found", module: m, name: local, declaration: "namespace", typeOnly: imp.typeOnly || entry.typeOnly };
        if (imp.defaultLocal === local) return follow(m, i, "default", modules, seen, imp.typeOnly || entry.typeOnly);
        const n = imp.names.find((x) => x.local === local);
        if (n) return follow(m, i, n.imported, modules, seen, n.typeOnly || entry.typeOnly);
      }
    }
    const declaration = f.declarations[local];
    return { kind: "found", module: m, name: local, ...(declaration ? { declaration } : {}), typeOnly: entry.typeOnly || declaration === "type" };
  }
  if (name === "default") return { kind: "absent" };
  // `export *` never re-exports `default`; a name two stars both offer is ambiguous and tsc drops it.
  let found: ExportLookup | undefined;
  for (let i = 0; i < f.imports.length; i++) {
    const imp = f.imports[i]!;
    if (imp.kind !== "star" || imp.namespace !== undefined) continue;
    const r = follow(m, i, name, modules, seen, imp.typeOnly);
    if (r.kind === "unknown") return r;
    if (r.kind === "found" && !found) found = r;
  }
  return found ?? { kind: "absent" };
}

function follow(m: ScriptModule, index: number, name: string, modules: ModuleLookup, seen: Set<string>, typeOnly: boolean): ExportLookup {
  const target = m.targets[index];
  if (target?.kind !== "file") return { kind: "unknown" };
  const next = modules(target.path);
  if (!next) return { kind: "unknown" };
  const r = lookupExport(next, name, modules, seen);
  return r.kind === "found" && typeOnly ? { ...r, typeOnly: true } : r;
}

/** Every name a module exports, in the order tsc lists them (own exports first, then stars'). */
export function exportNames(m: ScriptModule, modules: ModuleLookup, seen: Set<string> = new Set()): string[] {
  if (seen.has(m.abs)) return [];
  seen.add(m.abs);
  const out = m.facts.exports.map((e) => e.name);
  m.facts.imports.forEach((imp, i) => {
    if (imp.kind !== "star" || imp.namespace !== undefined) return;
    const t = m.targets[i];
    const next = t?.kind === "file" ? modules(t.path) : undefined;
    if (next) for (const n of exportNames(next, modules, seen)) if (n !== "default" && !out.includes(n)) out.push(n);
  });
  return out;
}
