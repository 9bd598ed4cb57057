/**
 * Fixes for TypeScript/JavaScript findings, each the smallest edit that makes tsc and Node agree:
 * a moved module gets its importers' specifiers rewritten, or a re-export bridge at the old path;
 * a renamed export is imported under its new name (aliased to the old one, so no use changes), or
 * the old name is exported again beside the new one; a declared but unexported name is exported.
 */
import { dirname } from "node:path";
import type Parser from "tree-sitter";
import type { Finding } from "../../analyze/model.js";
import { movedScript, specifierFor } from "../../analyze/scripts/check.js";
import { scriptTree } from "../../parse/typescript/extract.js";
import { sitesOf, type FixContext } from "../context.js";
import type { Document } from "../document.js";
import type { Fix, TextEdit } from "../model.js";

type Node = Parser.SyntaxNode;

export function scriptFixes(ctx: FixContext, finding: Finding): (Fix | string)[] {
  switch (finding.rule) {
    case "missing-module":
      if (finding.classification === "moved") return [rewriteSpecifierFix(ctx, finding), bridgeFix(ctx, finding)];
      if (finding.classification === "needs-extension") return [addExtensionFix(ctx, finding)];
      if (finding.classification === "not-installed") return [`install '${finding.target}' (npm install), or remove the import; snag does not edit package.json for npm`];
      return [`nothing in the repository looks like '${finding.target}'; snag will not invent it`];
    case "missing-export": {
      const suggested = /Did you mean '([^']+)'\?/.exec(finding.message)?.[1] ?? /but it is exported as '([^']+)'/.exec(finding.message)?.[1];
      if (finding.classification === "not-exported") return [exportNameFix(ctx, finding)];
      if (suggested) return [renameImportFix(ctx, finding, suggested), reexportOldNameFix(ctx, finding, suggested)];
      return [`no exported name is close to '${finding.target}'; snag does not guess which one was meant`];
    }
    case "import-cycle":
      return ["break the cycle by hand: read the binding inside a function, or move what both modules need into a module neither imports back"];
    case "syntax-error":
      return ["a syntax error needs a person: snag does not guess what the code meant"];
    case "heavy-import":
      return ["turning a static import into `await import()` makes its callers async: a person decides where; snag does not rewrite it"];
    case "undeclared-dependency":
      return [`add '${finding.target}' to package.json by hand (snag does not pick a version range for npm)`];
    default:
      return ["snag has no fix for this rule in TypeScript/JavaScript yet"];
  }
}

function load(ctx: FixContext, file: string): { doc: Document; tree: Parser.Tree } | string {
  const doc = ctx.doc(file);
  if (typeof doc === "string") return doc;
  return { doc, tree: scriptTree(doc.text, file) };
}

/** The string literal naming the module in the statement (or call) starting at a site. */
function specifierNode(tree: Parser.Tree, line: number, column: number): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForPosition({ row: line - 1, column: column - 1 });
  for (; node; node = node.parent) {
    if (node.type === "import_statement" || node.type === "export_statement") {
      const req = node.namedChildren.find((c) => c.type === "import_require_clause");
      return (req ?? node).childForFieldName("source") ?? undefined;
    }
    if (node.type === "call_expression") return node.childForFieldName("arguments")?.namedChildren[0] ?? undefined;
  }
  return undefined;
}

function rewriteSpecifierFix(ctx: FixContext, finding: Finding): Fix | string {
  const moved = movedScript(ctx.scan.scripts, finding.target);
  if (!moved) return `no single module named like '${finding.target}' exists elsewhere`;
  const edits: TextEdit[] = [];
  for (const site of sitesOf(finding)) {
    const loaded = load(ctx, site.file);
    if (typeof loaded === "string") return loaded;
    const node = specifierNode(loaded.tree, site.line, site.column);
    if (!node || node.type !== "string") return `no module specifier at ${site.file}:${site.line}`;
    edits.push({ file: site.file, start: node.startIndex + 1, end: node.endIndex - 1, text: specifierFor(site.file, moved, node.text.slice(1, -1)) });
  }
  return { kind: "rewrite-import", title: `Import '${moved}' where '${finding.target}' was`, safety: "safe", edits, creates: [] };
}

/** `./math` → `./math.js` under node16/nodenext, the spelling tsc suggests. */
function addExtensionFix(ctx: FixContext, finding: Finding): Fix | string {
  const to = /Did you mean '([^']+)'\?/.exec(finding.message)?.[1];
  if (!to) return "no file with a known extension is there: name the file by hand";
  const site = sitesOf(finding)[0]!;
  const loaded = load(ctx, site.file);
  if (typeof loaded === "string") return loaded;
  const node = specifierNode(loaded.tree, site.line, site.column);
  if (!node || node.type !== "string") return `no module specifier at ${site.file}:${site.line}`;
  return { kind: "rewrite-import", title: `Import '${to}' (node16/nodenext ES modules name the file)`, safety: "safe", edits: [{ file: site.file, start: node.startIndex + 1, end: node.endIndex - 1, text: to }], creates: [] };
}

/** A module at the old path that re-exports the moved one: nothing that imports today changes. */
function bridgeFix(ctx: FixContext, finding: Finding): Fix | string {
  const moved = movedScript(ctx.scan.scripts, finding.target);
  if (!moved) return `no single module named like '${finding.target}' exists elsewhere`;
  const site = sitesOf(finding)[0]!;
  const ext = /\.[cm]?[jt]sx?$/.exec(moved)?.[0] ?? ".ts";
  const base = finding.target.replace(/\.[cm]?[jt]sx?$/, "");
  const file = normalise(`${dirname(site.file)}/${base}${ext}`);
  if (ctx.exists(file)) return `${file} already exists`;
  const spec = specifierFor(file, moved, finding.target);
  const movedModule = [...ctx.scan.scripts.modules.values()].find((m) => m.file === moved);
  const hasDefault = movedModule?.facts.exports.some((e) => e.name === "default") ?? false;
  const text = `// Compatibility bridge: this module moved to ${moved}.\nexport * from "${spec}";\n${hasDefault ? `export { default } from "${spec}";\n` : ""}`;
  return { kind: "bridge-module", title: `Create ${file} re-exporting ${moved}`, safety: "safe", edits: [], creates: [{ file, text }] };
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** `{ old }` → `{ renamed as old }`: the import finds the name, and every use stays as written. */
function renameImportFix(ctx: FixContext, finding: Finding, to: string): Fix | string {
  const edits: TextEdit[] = [];
  for (const site of sitesOf(finding)) {
    const loaded = load(ctx, site.file);
    if (typeof loaded === "string") return loaded;
    let node: Node | null = loaded.tree.rootNode.descendantForPosition({ row: site.line - 1, column: site.column - 1 });
    while (node && node.type !== "import_specifier" && node.type !== "export_specifier") node = node.parent;
    const name = node?.childForFieldName("name");
    if (!node || !name || name.text !== finding.target) return `cannot find '${finding.target}' at ${site.file}:${site.line}`;
    const aliased = node.childForFieldName("alias") !== null;
    edits.push({ file: site.file, start: name.startIndex, end: name.endIndex, text: aliased ? to : `${to} as ${finding.target}` });
  }
  // The suggestion is tsc's, by spelling: the renamed export may have another signature, so a person looks.
  return { kind: "rename-import", title: `Import '${to}' (as '${finding.target}') instead of '${finding.target}'`, safety: "review", edits, creates: [] };
}

/** The module that lost the name, for a finding's first site. */
function definingModule(ctx: FixContext, finding: Finding) {
  const site = sitesOf(finding)[0]!;
  const importer = [...ctx.scan.scripts.modules.values()].find((m) => m.file === site.file && m.local);
  if (!importer) return undefined;
  const index = importer.facts.imports.findIndex((imp) => imp.names.some((n) => n.line === site.line && n.column === site.column));
  const target = importer.targets[index];
  if (target?.kind !== "file") return undefined;
  const m = ctx.scan.scripts.modules.get(target.path);
  return m?.local ? m : undefined;
}

/** `export { renamed as old };` at the end of the defining module, for importers snag cannot see. */
function reexportOldNameFix(ctx: FixContext, finding: Finding, to: string): Fix | string {
  const m = definingModule(ctx, finding);
  if (!m) return `the module '${finding.target}' was expected in is not one of the repository's files`;
  if (!m.facts.exports.some((e) => e.name === to)) return `'${to}' reaches ${m.file} through a re-export; export the old name where '${to}' is defined`;
  return appendLine(ctx, m.file, `export { ${to} as ${finding.target} }; // the old name, for existing importers`, "compat-alias", `Keep the old name in ${m.file}: export { ${to} as ${finding.target} }`, "review");
}

function exportNameFix(ctx: FixContext, finding: Finding): Fix | string {
  const m = definingModule(ctx, finding);
  if (!m) return `the module '${finding.target}' is declared in is not one of the repository's files`;
  return appendLine(ctx, m.file, `export { ${finding.target} };`, "export-name", `Export '${finding.target}' from ${m.file}`);
}

function appendLine(ctx: FixContext, file: string, line: string, kind: Fix["kind"], title: string, safety: Fix["safety"] = "safe"): Fix | string {
  const doc = ctx.doc(file);
  if (typeof doc === "string") return doc;
  if (doc.text.split(/\r?\n/).includes(line)) return `${file} already has '${line}'`;
  const lead = doc.text.length === 0 || doc.text.endsWith("\n") ? "" : doc.eol;
  return { kind, title, safety, edits: [{ file, start: doc.text.length, end: doc.text.length, text: `${lead}${line}${doc.eol}` }], creates: [] };
}
