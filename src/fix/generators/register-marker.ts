/**
 * An unknown pytest marker: a misspelt built-in (`parameterize`) is respelt where it is used;
 * any other is registered in the file that holds the pytest configuration, in that file's syntax.
 */
import type { Finding } from "../../analyze/model.js";
import { registerMarkerEdits } from "../config-edits.js";
import type { FixContext } from "../context.js";
import type { Fix, TextEdit } from "../model.js";

export const MARKER_TYPOS: Record<string, string> = { parameterize: "parametrize", parametrise: "parametrize", parameterise: "parametrize" };

export function respellMarkerFix(ctx: FixContext, name: string, to: string): Fix | string {
  const edits: TextEdit[] = [];
  for (const mod of ctx.scan.resolved.modules) {
    const uses = ctx.facts(mod.file)?.markers.filter((m) => m.name === name) ?? [];
    if (uses.length === 0) continue;
    const doc = ctx.doc(mod.file);
    if (typeof doc === "string") return doc;
    const tree = ctx.tree(doc);
    for (const use of uses) {
      const node = tree.rootNode.descendantForPosition({ row: use.line - 1, column: use.column - 1 });
      if (node.type !== "identifier" || node.text !== name) return `cannot find the marker at ${mod.file}:${use.line}`;
      edits.push({ file: mod.file, start: node.startIndex, end: node.endIndex, text: to });
    }
  }
  if (edits.length === 0) return `no use of pytest.mark.${name} found`;
  return { kind: "rename-import", title: `Respell pytest.mark.${name} as pytest.mark.${to}`, safety: "safe", edits, creates: [] };
}

export function registerMarkerFix(ctx: FixContext, finding: Finding): Fix | string {
  const name = finding.target;
  const inifile = ctx.scan.discovery.pytest.inifile;
  if (!inifile) return "the project has no pytest configuration file to register markers in";
  const file = ctx.rel(inifile);
  if (file.startsWith("/")) return `the pytest configuration (${inifile}) is outside the repository`;
  const doc = ctx.doc(file);
  if (typeof doc === "string") return doc;
  const edits = registerMarkerEdits({ file, text: doc.text }, name, `tests marked ${name}`);
  if (!edits) return `${file} has no pytest section to add markers to`;
  return { kind: "register-marker", title: `Register the marker '${name}' in ${file}`, safety: "safe", edits, creates: [] };
}
