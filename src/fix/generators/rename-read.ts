/**
 * A name read at import time that nothing binds, one spelling away from a module-level definition
 * that already ran (a function renamed but still registered under its old name): read the
 * definition instead, at every import-time read of the undefined name in that file. Function
 * bodies are left alone: they do not stop the import, and a local there may shadow the new name.
 */
import type { Explainer } from "../../analyze/explain.js";
import type { Finding } from "../../analyze/model.js";
import type { FixContext } from "../context.js";
import type { Fix, TextEdit } from "../model.js";

export function renameReadFix(ctx: FixContext, explainer: Explainer, finding: Finding): Fix | string {
  const old = finding.target;
  if (finding.classification === "used-before-definition") return `'${old}' is read before its definition runs: move the definition above the read (or the read below it) by hand; snag does not reorder statements`;
  if (finding.classification === "class-scope") return `'${old}' lives in a class body the read cannot see: qualify it or move it to module level, by hand`;
  if (finding.classification === "type-checking-only") return `'${old}' exists only for type checkers: quote the annotation or import it at run time, by hand`;
  const typo = explainer.nameTypo(finding);
  if (!typo) return `'${old}' is defined nowhere in ${finding.file}; snag will not invent it: define it, or change the code that reads it`;
  if (typo.where !== "module" || !typo.certain || typo.line === undefined || typo.line >= finding.line) {
    const where = typo.where === "builtin" ? "a builtin" : typo.where === "class" ? "a class-body name" : "not defined before the read on every path";
    return `check the spelling (did you mean '${typo.name}'? it is ${where}); snag renames only to a module-level definition that runs before the read`;
  }
  const boundAt = typo.line;
  const doc = ctx.doc(finding.file);
  if (typeof doc === "string") return doc;
  const tree = ctx.tree(doc);
  const reads = (ctx.facts(finding.file)?.unboundReads ?? []).filter((r) => r.name === old && r.line > boundAt && !r.classNames?.includes(typo.name));
  const edits: TextEdit[] = [];
  for (const r of reads) {
    const node = tree.rootNode.descendantForPosition({ row: r.line - 1, column: r.column - 1 });
    if (node.type !== "identifier" || node.text !== old) return `cannot find '${old}' at ${finding.file}:${r.line}`;
    edits.push({ file: finding.file, start: node.startIndex, end: node.endIndex, text: typo.name });
  }
  return {
    kind: "rename-import",
    title: `Read '${typo.name}' (defined at line ${boundAt}) instead of the undefined '${old}'`,
    // A spelling guess: the right function, or only a similar name? A person should look.
    safety: "review",
    edits,
    creates: [],
  };
}
