/**
 * TypeScript/JavaScript modules join the import graph: one node per repository script (keyed by
 * its root-relative path, which no dotted Python name can equal), per package (`npm:name`), per
 * Node builtin (`node:fs`) and per specifier that resolves nowhere; one edge per import statement,
 * guarded `top` when it loads with the module, `type-checking` when type erasure drops it and
 * `deferred` when it only loads inside a function or through `import()`.
 */
import { posix } from "node:path";
import { isScriptTestFile, type ScriptImport } from "../parse/typescript/facts.js";
import type { ScriptScan } from "../pipeline/scan-scripts.js";
import { erasedImports } from "../parse/typescript/erasure.js";
import type { ImportEdge, ImportGraph, ModuleNode } from "./build.js";

export function addScriptModules(graph: ImportGraph, scripts: ScriptScan): void {
  const ensure = (key: string, node: ModuleNode) => {
    if (!graph.hasNode(key)) graph.addNode(key, node);
    return key;
  };
  const byFile = new Map([...scripts.modules.values()].filter((m) => m.local).map((m) => [m.file, m]));
  for (const file of scripts.files) {
    const m = byFile.get(file);
    if (m) ensure(file, { name: file, kind: "local", language: m.facts.language, file, ...(isScriptTestFile(file) ? { test: "test" as const } : {}) });
  }
  for (const m of scripts.modules.values()) {
    if (!m.local) continue;
    const erased = erasedImports(m.facts);
    m.facts.imports.forEach((imp: ScriptImport, index) => {
      const t = m.targets[index];
      if (!t) return;
      let target: string;
      if (t.kind === "file") {
        const local = scripts.modules.get(t.path);
        if (local?.local) target = local.file;
        else if (t.inPackage) target = ensure(`npm:${t.inPackage}`, { name: t.inPackage, kind: "third-party", language: m.facts.language, file: t.path, distribution: t.inPackage });
        else target = ensure(t.path, { name: t.path, kind: "local", language: m.facts.language, file: t.path });
      } else if (t.kind === "builtin") target = ensure(t.name, { name: t.name, kind: "stdlib", language: m.facts.language });
      else if (t.kind === "ambient") return;
      else {
        // A relative specifier names a file: the same text in two directories is two missing modules.
        const name = t.packageName ? `npm:${t.packageName}` : t.why === "relative" && imp.specifier.startsWith(".") ? posix.join(posix.dirname(m.file), imp.specifier) : imp.specifier;
        target = ensure(`?${name}`, { name: t.packageName ?? name, kind: "missing", language: m.facts.language });
      }
      const edge: ImportEdge = {
        kind: imp.kind,
        file: m.file,
        line: imp.line,
        column: imp.column,
        guard: imp.lazy || imp.kind === "dynamic" ? "deferred" : erased.has(index) ? "type-checking" : "top",
        importIndex: index,
      };
      if (imp.names.length > 0) edge.names = imp.names.map((n) => n.imported);
      graph.addDirectedEdge(m.file, target, edge);
    });
  }
}
