/**
 * Defer an import that fails (or costs) at import time: move it into the functions that use it,
 * keep it for type checkers under `if TYPE_CHECKING:` when annotations name it, and quote the
 * annotations Python would otherwise evaluate. In test files, `pytest.importorskip` instead: the
 * file is skipped, not an error, when the module is absent.
 */
import type { TestVerdict } from "../../analyze/model.js";
import type { PyImport } from "../../parse/python/facts.js";
import type { FixContext } from "../context.js";
import { withEol } from "../document.js";
import type { Fix, TextEdit } from "../model.js";
import { bodyInsertion, importStatementAt, ownLines, usesOf } from "../python-source.js";

/** The text of an import statement for the given bound names only. */
function statementText(imp: PyImport, onlyNames?: ReadonlySet<string>): string {
  if (imp.kind === "from") {
    const names = imp.names.filter((n) => !onlyNames || onlyNames.has(n.alias ?? n.name));
    return `from ${".".repeat(imp.level)}${imp.module} import ${names.map((n) => (n.alias ? `${n.name} as ${n.alias}` : n.name)).join(", ")}`;
  }
  return `import ${imp.module}${imp.alias ? ` as ${imp.alias}` : ""}`;
}

export function boundByImport(imp: PyImport): string[] {
  if (imp.kind === "from") return imp.names.map((n) => n.alias ?? n.name);
  return [imp.alias ?? imp.module.split(".")[0]!];
}

/** Move the import at `site` into the functions that use its names. A string says why it cannot be. */
export function lazyImportFix(ctx: FixContext, site: { file: string; line: number; column: number }, what: string): Fix | string {
  const doc = ctx.doc(site.file);
  if (typeof doc === "string") return doc;
  const found = ctx.importAt(site.file, site.line, site.column);
  if (!found) return `no import statement at ${site.file}:${site.line}`;
  const { imp } = found;
  const where = `${site.file}:${imp.line}`;
  if (imp.kind !== "import" && imp.kind !== "from") return `${where} is not a plain import`;
  if (imp.context.length > 0) return `the import at ${where} is inside a block (try/if/class/def); snag only moves module-level imports`;
  if (imp.names.some((n) => n.name === "*")) return `${where} is a star import: the names it binds are not known`;
  const tree = ctx.tree(doc);
  const node = importStatementAt(tree, imp.line, imp.column);
  if (!node) return `no import statement at ${where}`;
  const siblings = ctx.facts(site.file)!.imports.filter((i) => i !== imp && i.line === imp.line && i.column === imp.column);
  if (siblings.length > 0) return `${where} imports several modules in one statement; split it first`;
  const lines = ownLines(doc.text, node);
  if (!lines) return `${where} shares its line with other code`;

  const facts = ctx.facts(site.file)!;
  const moduleName = ctx.scan.resolved.modules.find((m) => m.file === site.file)?.name;
  const futureAnnotations = facts.imports.some((i) => i.kind === "future" && i.names.some((n) => n.name === "annotations"));
  const [major = 3, minor = 0] = ctx.scan.target.version;
  const postponed = futureAnnotations || major > 3 || minor >= 14;
  const perFunction = new Map<number, { fn: Parameters<typeof bodyInsertion>[1]; names: Set<string> }>();
  const quote: TextEdit[] = [];
  let typeOnly = false;
  for (const name of boundByImport(imp)) {
    if (facts.dunderAll?.names.includes(name)) return `'${name}' is re-exported through __all__ in ${site.file}`;
    const importer = moduleName ? reExportedBy(ctx, moduleName, name) : undefined;
    if (importer) return `${importer} imports '${name}' from ${site.file}`;
    const uses = usesOf(tree, name);
    if (uses.rebound) return `'${name}' is bound again in ${site.file}`;
    if (uses.inStringAnnotations) typeOnly = true;
    for (const use of uses.sites) {
      if (use.kind === "import-time") return `'${name}' is used when ${site.file} is imported (line ${use.node.startPosition.row + 1}), so ${what} cannot be deferred`;
      if (use.kind === "annotation") {
        typeOnly = true;
        if (postponed) continue;
        const text = use.type.text;
        if (/["'\n]/.test(text)) return `the annotation at ${site.file}:${use.type.startPosition.row + 1} cannot be quoted safely`;
        if (!quote.some((q) => q.start === use.type.startIndex)) quote.push({ file: site.file, start: use.type.startIndex, end: use.type.endIndex, text: JSON.stringify(text) });
        continue;
      }
      const entry = perFunction.get(use.fn.id) ?? { fn: use.fn, names: new Set<string>() };
      entry.names.add(name);
      perFunction.set(use.fn.id, entry);
    }
  }

  const edits: TextEdit[] = [...quote];
  for (const { fn, names } of [...perFunction.values()].sort((a, b) => a.fn.startIndex - b.fn.startIndex)) {
    const at = bodyInsertion(doc.text, fn);
    if (!at) return `the function at ${site.file}:${fn.startPosition.row + 1} has no body snag can add a line to`;
    edits.push({ file: site.file, start: at.offset, end: at.offset, text: withEol(doc, `${at.indent}${statementText(imp, names)}\n`) });
  }
  let replacement = "";
  if (typeOnly) {
    const hasTypeChecking = facts.bindings.some((b) => b.name === "TYPE_CHECKING" && b.context.length === 0 && b.line < imp.line);
    const typingModule = facts.imports.some((i) => i.kind === "import" && i.module === "typing" && !i.alias && i.context.length === 0 && i.line < imp.line);
    const guard = hasTypeChecking ? "TYPE_CHECKING" : typingModule ? "typing.TYPE_CHECKING" : "TYPE_CHECKING";
    const prelude = hasTypeChecking || typingModule ? "" : "from typing import TYPE_CHECKING\n\n";
    replacement = withEol(doc, `${prelude}if ${guard}:\n    ${statementText(imp)}\n`);
  }
  // A removed line must not leave a run of blank lines (or blank lines at the top of the file).
  const end = replacement === "" && (lines.start === 0 || blankBefore(doc.text, lines.start)) ? skipBlankLines(doc.text, lines.end) : lines.end;
  edits.push({ file: site.file, start: lines.start, end, text: replacement });
  const stmt = statementText(imp);
  const title =
    perFunction.size === 0 && !typeOnly
      ? `Remove '${stmt}' from ${site.file}: nothing there uses what it binds`
      : `Move '${stmt}' in ${site.file} ${perFunction.size > 0 ? `into the function${perFunction.size === 1 ? "" : "s"} that use${perFunction.size === 1 ? "s" : ""} it` : "out of the import path"}${typeOnly ? ", keeping it for type checkers under TYPE_CHECKING" : ""}`;
  return {
    kind: "lazy-import",
    title,
    safety: "review",
    edits,
    creates: [],
  };
}

/** The first local module that imports `name` from module `moduleName`, if any. */
function reExportedBy(ctx: FixContext, moduleName: string, name: string): string | undefined {
  for (const [file, resolutions] of ctx.scan.resolved.imports) {
    const imports = ctx.facts(file)?.imports ?? [];
    for (const r of resolutions) {
      const imp = imports[r.index];
      if (r.absolute === moduleName && imp?.kind === "from" && imp.names.some((n) => n.name === name || n.name === "*")) return file;
    }
  }
  return undefined;
}

/**
 * `pytest.importorskip(module)` before the line where each blocked test file starts down the
 * failing chain: the file is reported as skipped instead of failing collection.
 */
export function importorskipFix(ctx: FixContext, tests: readonly TestVerdict[], module: string): Fix | string {
  const edits: TextEdit[] = [];
  for (const t of tests) {
    const hop = t.chain?.[0];
    if (!hop || hop.file !== t.file) return `no chain starts in ${t.file}`;
    const doc = ctx.doc(t.file);
    if (typeof doc === "string") return doc;
    const facts = ctx.facts(t.file);
    const imp = facts?.imports.find((i) => i.line === hop.line && i.kind !== "dynamic");
    if (!facts || !imp) return `no import statement at ${t.file}:${hop.line}`;
    if (imp.context.length > 0) return `the import at ${t.file}:${hop.line} is inside a block`;
    const node = importStatementAt(ctx.tree(doc), imp.line, imp.column);
    const lines = node && ownLines(doc.text, node);
    if (!lines) return `${t.file}:${hop.line} shares its line with other code`;
    const hasPytest = facts.imports.some((i) => i.kind === "import" && i.module === "pytest" && !i.alias && i.context.length === 0 && i.line < imp.line);
    const text = `${hasPytest ? "" : "import pytest\n\n"}pytest.importorskip(${JSON.stringify(module)})\n`;
    edits.push({ file: t.file, start: lines.start, end: lines.start, text: withEol(doc, text) });
  }
  if (edits.length === 0) return "no test file is blocked by it";
  const files = tests.length === 1 ? tests[0]!.file : `${tests.length} test files`;
  return {
    kind: "importorskip",
    title: `Skip ${files} when '${module}' is not installed (pytest.importorskip)`,
    safety: "review",
    edits,
    creates: [],
  };
}

function blankBefore(text: string, lineStartOffset: number): boolean {
  const prevStart = text.lastIndexOf("\n", lineStartOffset - 2) + 1;
  return /^[ \t]*\r?\n$/.test(text.slice(prevStart, lineStartOffset));
}

function skipBlankLines(text: string, offset: number): number {
  const m = /^([ \t]*\r?\n)+/.exec(text.slice(offset));
  return m ? offset + m[0].length : offset;
}
