/**
 * A name imported under an old spelling: import the name the module defines now, and rename its
 * uses in the importing file; or keep the old name alive in the defining module.
 */
import type { Finding } from "../../analyze/model.js";
import { sitesOf, type FixContext } from "../context.js";
import type { Fix, TextEdit } from "../model.js";
import { ownLines, statementAt, usesOf } from "../python-source.js";

export function renameImportFix(ctx: FixContext, finding: Finding, to: string): Fix | string {
  const old = finding.target;
  const edits: TextEdit[] = [];
  for (const site of sitesOf(finding)) {
    const found = ctx.importAt(site.file, site.line, site.column);
    if (!found || found.imp.kind !== "from") return `${site.file}:${site.line} is not a from-import`;
    const doc = ctx.doc(site.file);
    if (typeof doc === "string") return doc;
    const tree = ctx.tree(doc);
    const entry = found.imp.names.find((n) => n.name === old);
    if (!entry) return `'${old}' is not imported at ${site.file}:${site.line}`;
    const nameNode = tree.rootNode.descendantForPosition({ row: entry.line - 1, column: entry.column - 1 });
    if (nameNode.text !== old) return `cannot find '${old}' at ${site.file}:${entry.line}`;
    const oldUses = usesOf(tree, old);
    const newUses = usesOf(tree, to);
    // Renaming every use is clean only when the file binds the old name once and never mentions the new one.
    if (entry.alias || oldUses.rebound || newUses.sites.length > 0 || newUses.rebound) {
      edits.push({ file: site.file, start: nameNode.startIndex, end: nameNode.endIndex, text: entry.alias ? to : `${to} as ${old}` });
      continue;
    }
    edits.push({ file: site.file, start: nameNode.startIndex, end: nameNode.endIndex, text: to });
    for (const use of oldUses.sites) {
      const node = use.node;
      edits.push({ file: site.file, start: node.startIndex, end: node.endIndex, text: to });
    }
  }
  return { kind: "rename-import", title: `Import '${to}' instead of '${old}' and rename its uses`, safety: "safe", edits, creates: [] };
}

/** `Old = New` after New's definition, so old importers keep working. */
export function compatAliasFix(ctx: FixContext, module: string, old: string, to: string): Fix | string {
  const file = ctx.localFile(module);
  if (!file) return `'${module}' is not a module in the repository`;
  const facts = ctx.facts(file);
  const binding = facts?.bindings.find((b) => b.name === to && b.context.length === 0 && (b.kind === "class" || b.kind === "def" || b.kind === "assign"));
  if (!binding) return `'${to}' is not defined at module level in ${file}`;
  const doc = ctx.doc(file);
  if (typeof doc === "string") return doc;
  const stmt = statementAt(ctx.tree(doc), binding.line, binding.column, ["decorated_definition", "class_definition", "function_definition", "expression_statement"]);
  const top = stmt?.parent?.type === "decorated_definition" ? stmt.parent : stmt;
  const lines = top && ownLines(doc.text, top);
  if (!top || !lines) return `cannot find the end of '${to}' in ${file}`;
  const blank = top.type === "expression_statement" ? "" : "\n\n";
  const text = `${blank}${old} = ${to}  # the old name, for existing importers\n`;
  return {
    kind: "compat-alias",
    title: `Keep the old name in ${file}: ${old} = ${to}`,
    safety: "safe",
    edits: [{ file, start: lines.end, end: lines.end, text: doc.eol === "\n" ? text : text.replace(/\n/g, "\r\n") }],
    creates: [],
  };
}
