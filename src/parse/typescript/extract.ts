/**
 * TypeScript / JavaScript source text → facts. The module's statement list is walked for imports,
 * exports and declarations (they may only appear there); grammars/typescript/imports.scm finds
 * `import("…")` and `require("…")` anywhere; a second walk, which stops at function bodies, finds
 * the imported names read while the module evaluates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GRAMMARS_DIR } from "../../paths.js";
import { parserClass, typescriptLanguages, type Parser, type Query, type SyntaxNode, type Tree } from "../native.js";
import type { DeclarationKind, EvaluationUse, ScriptFacts, ScriptImport, ScriptImportedName, ScriptLanguage } from "./facts.js";
import { emptyScriptFacts } from "./facts.js";

type Node = SyntaxNode;

interface Grammar {
  parser: Parser;
  /** Each pattern of imports.scm with the text a file needs for it to match at all (`import(`, `require(`). */
  calls: { query: Query; needs: RegExp }[];
}

const grammars = new Map<"ts" | "tsx", Grammar>();

/** .tsx, .jsx and .js may hold JSX; TSX is the grammar that parses it (and type assertions `<T>x` are not used there). */
function grammarFor(file: string): Grammar {
  const key = /\.(tsx|jsx|js|mjs|cjs)$/.test(file) ? "tsx" : "ts";
  let g = grammars.get(key);
  if (!g) {
    const language = key === "tsx" ? typescriptLanguages().tsx : typescriptLanguages().typescript;
    const Parser = parserClass();
    const parser = new Parser();
    parser.setLanguage(language);
    const source = readFileSync(join(GRAMMARS_DIR, "typescript", "imports.scm"), "utf8");
    // Running a pattern costs a marshalled node per call expression: it runs only on a file that can match it.
    const calls = source
      .split(/\n(?=\(call_expression)/)
      .filter((p) => p.includes("(call_expression"))
      .map((p) => ({ query: new Parser.Query(language, p), needs: /function: \(import\)/.test(p) ? /\bimport\s*\(/ : /\brequire\s*\(/ }));
    g = { parser, calls };
    grammars.set(key, g);
  }
  return g;
}

/** A script's syntax tree, for the fix generators' edits. */
export function scriptTree(text: string, file: string): Tree {
  return grammarFor(file).parser.parse(text, undefined, { bufferSize: text.length + 1 });
}

function pos(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** The value of a string literal (or a template literal without substitutions). */
function literal(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string") return unescape(node.text.slice(1, -1));
  if (node.type === "template_string" && !node.namedChildren.some((c) => c.type === "template_substitution")) return unescape(node.text.slice(1, -1));
  return undefined;
}

function unescape(s: string): string {
  return s.includes("\\") ? s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => (e[0] === "u" || e[0] === "x" ? String.fromCodePoint(parseInt(e.replace(/[ux{}]/g, ""), 16)) : e === "n" ? "\n" : e === "t" ? "\t" : e)) : s;
}

function hasToken(node: Node, token: string): boolean {
  for (const c of node.children) if (!c.isNamed && c.type === token) return true;
  return false;
}

/** `name` of an import/export specifier: an identifier, or a string for `{ "a-b" as c }`. */
function specifierName(node: Node | null): string | undefined {
  if (!node) return undefined;
  return node.type === "string" ? literal(node) : node.text;
}

const FUNCTION_LIKE = new Set(["function_declaration", "generator_function_declaration", "function_expression", "function", "generator_function", "arrow_function", "method_definition"]);
const TYPE_ONLY = new Set(["interface_declaration", "type_alias_declaration", "type_annotation", "type_arguments", "type_parameters", "ambient_declaration", "abstract_method_signature", "index_signature", "implements_clause"]);

export function extractScriptFacts(text: string, file: string, language: ScriptLanguage): ScriptFacts {
  const facts = emptyScriptFacts(language);
  const g = grammarFor(file);
  let tree: Tree;
  try {
    tree = g.parser.parse(text, undefined, { bufferSize: text.length + 1 });
  } catch (err) {
    facts.syntaxError = { line: 1, column: 1, message: `cannot parse: ${(err as Error).message}` };
    return facts;
  }
  const root = tree.rootNode;
  if (root.hasError) facts.syntaxError = firstError(root);

  const importedLocals = new Set<string>();
  for (const stmt of root.namedChildren) statement(stmt, facts, importedLocals);
  // In a file that is a module, `declare module "x"` augments x; only a script declares one.
  if (root.namedChildren.some((s) => s.type === "import_statement" || s.type === "export_statement")) facts.ambientModules = [];

  const seenCalls = new Set<number>();
  for (const { captures } of g.calls.filter((c) => c.needs.test(text)).flatMap((c) => c.query.matches(root))) {
    const call = captures.find((c) => c.name === "call")?.node;
    const spec = literal(captures.find((c) => c.name === "spec")?.node);
    if (!call || spec === undefined || seenCalls.has(call.startIndex)) continue;
    seenCalls.add(call.startIndex);
    const kind = call.childForFieldName("function")?.type === "import" ? "dynamic" : "require";
    // `import x = require()` is its own statement kind, read above.
    if (call.parent?.type === "import_require_clause") continue;
    facts.imports.push({ kind, specifier: spec, typeOnly: false, names: [], lazy: insideFunction(call), ...pos(captures.find((c) => c.name === "spec")!.node) });
  }
  facts.imports.sort((a, b) => a.line - b.line || a.column - b.column);

  facts.valueNames = [...importedLocals].filter((name) => readAsValue(text, root, name)).sort();
  directives(text, root, facts);
  for (const stmt of root.namedChildren) evaluationUses(stmt, importedLocals, false, facts.evaluationUses);
  return facts;
}

function firstError(root: Node): { line: number; column: number; message: string } {
  let found: Node | undefined;
  const visit = (n: Node): void => {
    if (found) return;
    if (n.type === "ERROR" || n.isMissing) {
      found = n;
      return;
    }
    for (const c of n.children) if (c.hasError || c.isMissing) visit(c);
  };
  visit(root);
  const n = found ?? root;
  const message = n.isMissing ? `'${n.type}' expected` : `unexpected ${JSON.stringify(n.text.slice(0, 30))}`;
  return { ...pos(n), message };
}

function insideFunction(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (FUNCTION_LIKE.has(p.type)) return true;
    // An instance field's initializer runs at construction, not at module evaluation.
    if (p.type === "class_body") return true;
  }
  return false;
}

function statement(stmt: Node, facts: ScriptFacts, importedLocals: Set<string>): void {
  switch (stmt.type) {
    case "import_statement":
      return importStatement(stmt, facts, importedLocals);
    case "export_statement":
      return exportStatement(stmt, facts);
    case "expression_statement":
      return commonJsExport(stmt, facts);
    case "ambient_declaration": {
      // `declare module "x" { … }` declares a module tsc resolves without a file.
      const mod = stmt.namedChildren.find((c) => c.type === "module");
      const name = literal(mod?.childForFieldName("name"));
      if (name !== undefined) facts.ambientModules.push(name);
      for (const c of stmt.namedChildren) declare(c, facts);
      return;
    }
    default:
      declare(stmt, facts);
  }
}

/** Records a declaration's names; returns them (for `export <declaration>`). */
function declare(node: Node, facts: ScriptFacts): { name: string; kind: DeclarationKind }[] {
  const out: { name: string; kind: DeclarationKind }[] = [];
  const add = (name: string | undefined, kind: DeclarationKind) => {
    if (name === undefined) return;
    out.push({ name, kind });
    facts.declarations[name] ??= kind;
  };
  switch (node.type) {
    case "class_declaration":
    case "abstract_class_declaration":
      add(node.childForFieldName("name")?.text, "class");
      break;
    case "function_declaration":
    case "generator_function_declaration":
    case "function_signature":
      add(node.childForFieldName("name")?.text, "function");
      break;
    case "lexical_declaration":
    case "variable_declaration": {
      const kind: DeclarationKind = node.type === "variable_declaration" ? "var" : hasToken(node, "const") ? "const" : "let";
      for (const d of node.namedChildren) if (d.type === "variable_declarator") for (const n of patternNames(d.childForFieldName("name"))) add(n, kind);
      break;
    }
    case "enum_declaration":
      add(node.childForFieldName("name")?.text, "enum");
      break;
    case "internal_module":
    case "module": {
      const name = node.childForFieldName("name");
      if (name && name.type !== "string") add(name.text.split(".")[0], "namespace");
      break;
    }
    case "interface_declaration":
    case "type_alias_declaration":
      add(node.childForFieldName("name")?.text, "type");
      break;
    case "ambient_declaration":
      for (const c of node.namedChildren) out.push(...declare(c, facts));
      break;
  }
  return out;
}

/** Names bound by a destructuring pattern. */
function patternNames(node: Node | null): string[] {
  if (!node) return [];
  switch (node.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      return [node.text];
    case "object_pattern":
    case "array_pattern":
      return node.namedChildren.flatMap((c) => patternNames(c));
    case "pair_pattern":
      return patternNames(node.childForFieldName("value"));
    case "assignment_pattern":
      return patternNames(node.childForFieldName("left"));
    case "rest_pattern":
      return node.namedChildren.flatMap((c) => patternNames(c));
    default:
      return [];
  }
}

function importStatement(stmt: Node, facts: ScriptFacts, importedLocals: Set<string>): void {
  const typeOnly = hasToken(stmt, "type");
  const requireClause = stmt.namedChildren.find((c) => c.type === "import_require_clause");
  if (requireClause) {
    const spec = literal(requireClause.childForFieldName("source"));
    const local = requireClause.namedChildren.find((c) => c.type === "identifier")?.text;
    if (spec !== undefined) facts.imports.push({ kind: "import-equals", specifier: spec, typeOnly, names: [], ...(local ? { namespace: local } : {}), lazy: false, ...pos(requireClause.childForFieldName("source")!) });
    if (local) {
      importedLocals.add(local);
      facts.declarations[local] ??= "import";
    }
    return;
  }
  const source = stmt.childForFieldName("source");
  const spec = literal(source);
  if (spec === undefined || !source) return;
  const imp: ScriptImport = { kind: "import", specifier: spec, typeOnly, names: [], lazy: false, ...pos(source) };
  const clause = stmt.namedChildren.find((c) => c.type === "import_clause");
  for (const part of clause?.namedChildren ?? []) {
    if (part.type === "identifier") imp.defaultLocal = part.text;
    else if (part.type === "namespace_import") imp.namespace = part.namedChildren.find((c) => c.type === "identifier")?.text ?? part.text.replace(/^\*\s*as\s+/, "");
    else if (part.type === "named_imports") {
      for (const s of part.namedChildren) {
        if (s.type !== "import_specifier") continue;
        const imported = specifierName(s.childForFieldName("name"));
        if (imported === undefined) continue;
        const local = s.childForFieldName("alias")?.text ?? imported;
        imp.names.push({ imported, local, typeOnly: typeOnly || hasToken(s, "type"), ...pos(s) });
      }
    }
  }
  for (const local of [imp.defaultLocal, imp.namespace, ...imp.names.map((n) => n.local)]) {
    if (local === undefined) continue;
    importedLocals.add(local);
    facts.declarations[local] ??= "import";
  }
  facts.imports.push(imp);
}

function exportStatement(stmt: Node, facts: ScriptFacts): void {
  const typeOnly = hasToken(stmt, "type");
  const sourceNode = stmt.childForFieldName("source");
  const source = literal(sourceNode);
  const clause = stmt.namedChildren.find((c) => c.type === "export_clause");
  const specifiers = (clause?.namedChildren ?? []).filter((c) => c.type === "export_specifier");
  const names = specifiers.map((s) => {
    const local = specifierName(s.childForFieldName("name")) ?? s.text;
    const exported = specifierName(s.childForFieldName("alias")) ?? local;
    return { local, exported, typeOnly: typeOnly || hasToken(s, "type"), node: s };
  });
  if (source !== undefined) {
    const ns = stmt.namedChildren.find((c) => c.type === "namespace_export");
    if (clause) {
      const imported: ScriptImportedName[] = names.map((n) => ({ imported: n.local, local: n.exported, typeOnly: n.typeOnly, ...pos(n.node) }));
      facts.imports.push({ kind: "reexport", specifier: source, typeOnly, names: imported, lazy: false, ...pos(sourceNode!) });
      for (const n of names) facts.exports.push({ name: n.exported, typeOnly: n.typeOnly, ...pos(n.node) });
    } else {
      const nsName = ns ? specifierName(ns.namedChildren[0] ?? null) : undefined;
      facts.imports.push({ kind: "star", specifier: source, typeOnly, names: [], ...(nsName !== undefined ? { namespace: nsName } : {}), lazy: false, ...pos(sourceNode!) });
      if (nsName !== undefined) facts.exports.push({ name: nsName, typeOnly, kind: "namespace", ...pos(stmt) });
    }
    return;
  }
  if (clause) {
    for (const n of names) facts.exports.push({ name: n.exported, ...(n.local !== n.exported ? { local: n.local } : {}), typeOnly: n.typeOnly, ...pos(n.node) });
    return;
  }
  if (hasToken(stmt, "=")) {
    facts.exportAssignment = true;
    return;
  }
  const declaration = stmt.childForFieldName("declaration");
  if (hasToken(stmt, "default")) {
    const value = declaration ?? stmt.childForFieldName("value");
    const kind: DeclarationKind = !value ? "default-expression" : /class/.test(value.type) ? "class" : /function/.test(value.type) ? "function" : "default-expression";
    const named = declaration?.childForFieldName("name")?.text;
    if (named) facts.declarations[named] ??= kind;
    facts.exports.push({ name: "default", ...(named ? { local: named } : {}), kind, typeOnly: value?.type === "interface_declaration", ...pos(stmt) });
    return;
  }
  if (declaration) {
    for (const d of declare(declaration, facts)) facts.exports.push({ name: d.name, kind: d.kind, typeOnly: d.kind === "type", ...pos(declaration) });
  }
}

/** `module.exports = …` / `exports.x = …`: CommonJS, whose exports are whatever runs. */
function commonJsExport(stmt: Node, facts: ScriptFacts): void {
  const e = stmt.namedChildren[0];
  if (e?.type !== "assignment_expression") return;
  const left = e.childForFieldName("left")?.text ?? "";
  if (/^module\.exports\b/.test(left) || /^exports\./.test(left)) {
    facts.commonjs = true;
    if (left === "module.exports") facts.exportAssignment = true;
  }
}

/**
 * tsc's comment directives: `@ts-ignore` / `@ts-expect-error` silence the next line that is not
 * blank or a comment; `@ts-nocheck` / `@ts-check` before the first statement set the file's mode.
 */
function directives(text: string, root: Node, facts: ScriptFacts): void {
  if (!text.includes("@ts-")) return;
  const comments: { row: number; text: string }[] = [];
  for (const m of text.matchAll(/@ts-/g)) {
    const node = root.descendantForIndex(m.index ?? 0);
    if (node.type === "comment" && !comments.some((c) => c.row === node.startPosition.row && c.text === node.text)) comments.push({ row: node.startPosition.row, text: node.text });
  }
  const lines = text.split(/\r\n|\r|\n/);
  const firstStatement = root.namedChildren.find((c) => c.type !== "comment")?.startPosition.row ?? Infinity;
  for (const c of comments) {
    if (/^(\/\/|\/\*)\s*@ts-(ignore|expect-error)\b/.test(c.text)) {
      for (let l = c.row + 1; l < lines.length; l++) {
        const t = (lines[l] as string).trim();
        if (t === "" || t.startsWith("//")) continue;
        facts.suppressedLines.push(l + 1);
        break;
      }
    } else if (c.row < firstStatement) {
      const m = /^(?:\/\/|\/\*)\s*@ts-(nocheck|check)\b/.exec(c.text);
      if (m) facts.checkPragma ??= m[1] as "nocheck" | "check";
    }
  }
}

/**
 * Whether a name is read as a value anywhere in the file (an import none of whose names is
 * gets erased). Only the name's occurrences in the text are looked at: the node at each, and its
 * ancestors up to an import statement or a type position.
 */
function readAsValue(text: string, root: Node, name: string): boolean {
  const word = new RegExp(`(?<![\\w$\\u0080-\\uffff])${name.replace(/\$/g, "\\$")}(?![\\w$\\u0080-\\uffff])`, "g");
  for (const m of text.matchAll(word)) {
    const at = m.index ?? 0;
    const node = root.descendantForIndex(at, at + name.length);
    if ((node.type !== "identifier" && node.type !== "shorthand_property_identifier") || node.startIndex !== at) continue;
    let value = true;
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === "import_statement" || TYPE_ONLY.has(p.type) || (p.parent && declaresLocally(p, name))) {
        value = false;
        break;
      }
    }
    if (value) return true;
  }
  return false;
}

/** Whether a nested scope (function, block, loop, catch clause) binds the name itself, shadowing the import. */
function declaresLocally(scope: Node, name: string): boolean {
  if (FUNCTION_LIKE.has(scope.type)) {
    if (scope.childForFieldName("name")?.text === name && scope.type !== "function_declaration") return true;
    const params = scope.childForFieldName("parameters") ?? scope.childForFieldName("parameter");
    if (params?.type === "identifier") return params.text === name;
    for (const p of params?.namedChildren ?? []) if (patternNames(p.childForFieldName("pattern") ?? p).includes(name)) return true;
    return false;
  }
  if (scope.type === "catch_clause") return patternNames(scope.childForFieldName("parameter")).includes(name);
  if (scope.type === "statement_block" || scope.type === "for_statement" || scope.type === "for_in_statement" || scope.type === "switch_body") {
    for (const c of scope.namedChildren) {
      if (c.type === "lexical_declaration" || c.type === "variable_declaration") {
        for (const d of c.namedChildren) if (d.type === "variable_declarator" && patternNames(d.childForFieldName("name")).includes(name)) return true;
      } else if ((c.type === "function_declaration" || c.type === "class_declaration") && c.childForFieldName("name")?.text === name) return true;
    }
    if (scope.type === "for_in_statement" && patternNames(scope.childForFieldName("left")).includes(name)) return true;
    if (scope.type === "for_statement") {
      const init = scope.childForFieldName("initializer");
      if (init && (init.type === "lexical_declaration" || init.type === "variable_declaration")) for (const d of init.namedChildren) if (d.type === "variable_declarator" && patternNames(d.childForFieldName("name")).includes(name)) return true;
    }
  }
  return false;
}

/**
 * Imported names read while the module evaluates: top-level code, class heritage, decorators,
 * static fields and static blocks, but not function bodies or instance members, which run later.
 */
/** What the expression around an identifier does with its value. */
function useOf(node: Node, heritage: boolean): { use: EvaluationUse["use"]; property?: string } {
  const parent = node.parent;
  if (!parent) return { use: "read" };
  if (parent.type === "extends_clause" || (heritage && parent.type === "class_heritage")) return { use: "heritage" };
  if (parent.type === "call_expression" && parent.childForFieldName("function")?.id === node.id) return { use: "call" };
  if (parent.type === "new_expression" && parent.childForFieldName("constructor")?.id === node.id) return { use: "new" };
  if (parent.type === "member_expression" && parent.childForFieldName("object")?.id === node.id && !hasToken(parent, "?.")) return { use: "member", property: parent.childForFieldName("property")?.text ?? "" };
  if (parent.type === "subscript_expression" && parent.childForFieldName("object")?.id === node.id && !hasToken(parent, "?.")) return { use: "member" };
  return { use: "read" };
}

function evaluationUses(node: Node, imported: Set<string>, heritage: boolean, out: EvaluationUse[]): void {
  if (imported.size === 0) return;
  const type = node.type;
  if (FUNCTION_LIKE.has(type) || TYPE_ONLY.has(type) || type === "import_statement") return;
  if (type === "export_clause") return;
  if (type === "identifier" || type === "shorthand_property_identifier") {
    if (imported.has(node.text)) out.push({ name: node.text, heritage, ...useOf(node, heritage), ...pos(node) });
    return;
  }
  if (type === "class_body") {
    for (const member of node.namedChildren) {
      const isStatic = member.type === "class_static_block" || (member.type === "public_field_definition" && hasToken(member, "static"));
      if (isStatic) for (const c of member.namedChildren) evaluationUses(c, imported, false, out);
      else if (member.type === "decorator") evaluationUses(member, imported, false, out);
    }
    return;
  }
  // `a.b` reads `a`; the property name is not a read.
  if (type === "member_expression") {
    const object = node.childForFieldName("object");
    if (object) evaluationUses(object, imported, heritage, out);
    return;
  }
  const inHeritage = heritage || type === "class_heritage" || type === "extends_clause";
  for (const c of node.namedChildren) evaluationUses(c, imported, inHeritage, out);
}
