/**
 * Point importers at where things are: a moved module's names at their definitions, a name that
 * moved out of its module at the module that defines it, a path written from the wrong root
 * (`src.integration` when `src` itself is on sys.path) at the name Python finds.
 */
import type { Finding } from "../../analyze/model.js";
import { boundNames } from "../../analyze/namespace.js";
import type { ImportedName, PyImport } from "../../parse/python/facts.js";
import { sitesOf, type FixContext } from "../context.js";
import { withEol } from "../document.js";
import type { Fix, TextEdit } from "../model.js";
import { importStatementAt, ownLines } from "../python-source.js";
import { closest } from "./bridge-module.js";

/** Where `name` should be imported from: the moved module when it binds it, else its closest definition. */
export function canonicalModule(ctx: FixContext, name: string, near: string, moved?: string): string | undefined {
  if (moved) {
    const file = ctx.localFile(moved);
    const facts = file ? ctx.facts(file) : undefined;
    if (facts && boundNames(facts, ctx.scan.target).includes(name)) return moved;
  }
  const defs = ctx.definitions(name).map((d) => d.module).filter((m) => m !== near);
  return closest(defs, near);
}

function nameText(n: ImportedName): string {
  return n.alias ? `${n.name} as ${n.alias}` : n.name;
}

/**
 * Rewrite one from-import so that each name comes from `moduleOf(name)` (undefined: keep where it
 * is). One target module → only the module path changes; several → the statement is split.
 */
function rewriteFrom(ctx: FixContext, file: string, imp: PyImport, moduleOf: (name: string) => string | undefined): TextEdit[] | string {
  const doc = ctx.doc(file);
  if (typeof doc === "string") return doc;
  const node = importStatementAt(ctx.tree(doc), imp.line, imp.column);
  if (!node || node.type !== "import_from_statement") return `no from-import at ${file}:${imp.line}`;
  const groups = new Map<string, ImportedName[]>();
  const original = `${".".repeat(imp.level)}${imp.module}`;
  for (const n of imp.names) {
    const m = moduleOf(n.name) ?? original;
    (groups.get(m) ?? groups.set(m, []).get(m)!).push(n);
  }
  if (groups.size === 1) {
    const moduleNode = node.childForFieldName("module_name");
    const [module] = groups.keys();
    if (!moduleNode || module === undefined) return `no module name at ${file}:${imp.line}`;
    return module === original ? [] : [{ file, start: moduleNode.startIndex, end: moduleNode.endIndex, text: module }];
  }
  const lines = ownLines(doc.text, node);
  if (!lines) return `${file}:${imp.line} shares its line with other code`;
  const text = [...groups].map(([m, names]) => `${lines.indent}from ${m} import ${names.map(nameText).join(", ")}\n`).join("");
  return [{ file, start: lines.start, end: lines.end, text: withEol(doc, text) }];
}

/** missing-module, moved: every importer imports each name from where it is defined. */
export function rewriteToDefinitionsFix(ctx: FixContext, finding: Finding, moved: string | undefined): Fix | string {
  const edits: TextEdit[] = [];
  for (const site of sitesOf(finding)) {
    const found = ctx.importAt(site.file, site.line, site.column);
    if (!found || found.imp.kind !== "from") return `${site.file}:${site.line} is not a from-import`;
    const absolute = ctx.absoluteOf(site.file, found.index) ?? finding.target;
    for (const n of found.imp.names) {
      if (n.name === "*") return `${site.file}:${site.line} is a star import`;
      if (!canonicalModule(ctx, n.name, absolute, moved)) return `'${n.name}' is defined nowhere in the repository`;
    }
    const result = rewriteFrom(ctx, site.file, found.imp, (name) => canonicalModule(ctx, name, absolute, moved));
    if (typeof result === "string") return result;
    edits.push(...result);
  }
  const files = new Set(edits.map((e) => e.file)).size;
  return { kind: "rewrite-import", title: `Import from where the names are defined, in the ${files === 1 ? "file that imports" : `${files} files that import`} '${finding.target}'`, safety: "safe", edits, creates: [] };
}

/** missing-symbol, moved: the names the module lacks come from the module that defines them. */
export function rewriteMovedNameFix(ctx: FixContext, finding: Finding): Fix | string {
  const edits: TextEdit[] = [];
  let source = "";
  for (const site of sitesOf(finding)) {
    const found = ctx.importAt(site.file, site.line, site.column);
    if (!found || found.imp.kind !== "from") return `${site.file}:${site.line} is not a from-import`;
    const absolute = ctx.absoluteOf(site.file, found.index);
    if (!absolute) return `the module imported at ${site.file}:${site.line} is unknown`;
    const module = canonicalModule(ctx, finding.target, absolute);
    if (!module) return `'${finding.target}' is defined nowhere in the repository`;
    source = module;
    const result = rewriteFrom(ctx, site.file, found.imp, (name) => (name === finding.target ? module : undefined));
    if (typeof result === "string") return result;
    edits.push(...result);
  }
  return { kind: "rewrite-import", title: `Import '${finding.target}' from '${source}', where it is defined`, safety: "safe", edits, creates: [] };
}

/** missing-module, wrong-root: drop the leading segments that are not on sys.path. */
export function rootFix(ctx: FixContext, finding: Finding): Fix | string {
  const edits: TextEdit[] = [];
  let example = "";
  for (const site of sitesOf(finding)) {
    const found = ctx.importAt(site.file, site.line, site.column);
    if (!found) return `no import statement at ${site.file}:${site.line}`;
    const { imp } = found;
    if (imp.level > 0) return `${site.file}:${site.line} is a relative import`;
    const parts = imp.module.split(".");
    let rooted: string | undefined;
    for (let i = 1; i < parts.length && !rooted; i++) {
      const candidate = parts.slice(i).join(".");
      if (ctx.localFile(candidate)) rooted = candidate;
    }
    if (!rooted) return `no shorter name for '${imp.module}' is importable`;
    if (imp.kind === "import" && !imp.alias) return `'import ${imp.module}' binds '${parts[0]}', which the rest of ${site.file} uses; rewrite it by hand`;
    const doc = ctx.doc(site.file);
    if (typeof doc === "string") return doc;
    const node = importStatementAt(ctx.tree(doc), imp.line, imp.column);
    const moduleNode =
      imp.kind === "from"
        ? node?.childForFieldName("module_name")
        : node?.descendantsOfType("dotted_name").find((d) => d.text.replace(/\s+/g, "") === imp.module);
    if (!moduleNode) return `no module name at ${site.file}:${site.line}`;
    edits.push({ file: site.file, start: moduleNode.startIndex, end: moduleNode.endIndex, text: rooted });
    example ||= `'${imp.module}' → '${rooted}'`;
  }
  const files = new Set(edits.map((e) => e.file)).size;
  return { kind: "root-fix", title: `Import from the root pytest puts on sys.path: ${example}${files > 1 ? ` (${files} files)` : ""}`, safety: "safe", edits, creates: [] };
}
