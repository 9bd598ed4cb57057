/**
 * The syntax questions fixes ask of a Python file: which statement sits at a position, where a
 * name is used and whether that use runs at import, where a function body starts. Answered from
 * tree-sitter, on the file as read for editing.
 */
import { parserClass, pythonLanguage, type Parser, type SyntaxNode, type Tree } from "../parse/native.js";

type Node = SyntaxNode;

let parser: Parser | undefined;

export function parsePython(text: string): Tree {
  if (!parser) {
    parser = new (parserClass())();
    parser.setLanguage(pythonLanguage());
  }
  return parser.parse(text);
}

const IMPORT_STATEMENTS = new Set(["import_statement", "import_from_statement", "future_import_statement"]);

/** The import statement that starts at (1-based) line and column, or contains that point. */
export function importStatementAt(tree: Tree, line: number, column: number): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForPosition({ row: line - 1, column: column - 1 });
  while (node && !IMPORT_STATEMENTS.has(node.type)) node = node.parent;
  return node ?? undefined;
}

/** The module-level statement (or class member) that starts at line and column. */
export function statementAt(tree: Tree, line: number, column: number, types: readonly string[]): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForPosition({ row: line - 1, column: column - 1 });
  while (node && !types.includes(node.type)) node = node.parent;
  return node ?? undefined;
}

/**
 * The whole lines a statement occupies, when nothing else shares them (a trailing comment may):
 * `[start, end)` covers the newline, so removing it removes the lines.
 */
export function ownLines(text: string, node: Node): { start: number; end: number; indent: string } | undefined {
  const start = text.lastIndexOf("\n", node.startIndex - 1) + 1;
  const indent = text.slice(start, node.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const newline = text.indexOf("\n", node.endIndex);
  const end = newline < 0 ? text.length : newline + 1;
  const rest = text.slice(node.endIndex, newline < 0 ? text.length : newline).replace(/\r$/, "");
  if (!/^[ \t]*(#.*)?$/.test(rest)) return undefined;
  return { start, end, indent };
}

/** Where one use of a name runs. */
export type UseSite =
  /** Inside the body of a function (the outermost one that is itself defined at import time). */
  | { kind: "function"; fn: Node; node: Node }
  /** In an annotation that is evaluated when its statement runs at import (unless postponed). */
  | { kind: "annotation"; type: Node; node: Node }
  /** Anywhere else: the module body, a class body, a decorator, a default value, a base class. */
  | { kind: "import-time"; node: Node };

export interface NameUses {
  sites: UseSite[];
  /** The name is bound again somewhere (an assignment, a parameter, `global`): moving its import is unsafe. */
  rebound: boolean;
  /** String annotations that mention the name (only a type checker reads them). */
  inStringAnnotations: boolean;
}

const NOT_A_USE_PARENTS = new Set(["import_statement", "import_from_statement", "aliased_import", "dotted_name", "future_import_statement"]);
const BINDING_PARENTS = new Set([
  "parameters",
  "lambda_parameters",
  "typed_parameter",
  "default_parameter",
  "typed_default_parameter",
  "list_splat_pattern",
  "dictionary_splat_pattern",
  "global_statement",
  "nonlocal_statement",
  "as_pattern_target",
  "pattern_list",
  "tuple_pattern",
  "list_pattern",
]);

export function usesOf(tree: Tree, name: string): NameUses {
  const out: NameUses = { sites: [], rebound: false, inStringAnnotations: false };
  const word = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`);
  const visit = (node: Node): void => {
    if (node.type === "identifier" && node.text === name) classify(node, out);
    else if (node.type === "string" && node.text.length < 2000 && word.test(node.text) && insideAnnotation(node)) out.inStringAnnotations = true;
    for (const child of node.namedChildren) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

function insideAnnotation(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === "type") return true;
  return false;
}

function classify(node: Node, out: NameUses): void {
  const parent = node.parent;
  if (!parent) return;
  if (NOT_A_USE_PARENTS.has(parent.type)) return;
  if (parent.type === "attribute" && parent.childForFieldName("attribute")?.id === node.id) return;
  if (parent.type === "keyword_argument" && parent.childForFieldName("name")?.id === node.id) return;
  if ((parent.type === "function_definition" || parent.type === "class_definition") && parent.childForFieldName("name")?.id === node.id) {
    out.rebound = true;
    return;
  }
  if (BINDING_PARENTS.has(parent.type) && !(parent.type.startsWith("typed") && parent.childForFieldName("type")?.id === node.id)) {
    out.rebound = true;
    return;
  }
  const lhs = ["assignment", "augmented_assignment", "for_statement", "for_in_clause", "named_expression", "with_item", "as_pattern"];
  for (let child: Node = node, p: Node | null = parent; p; child = p, p = p.parent) {
    if (lhs.includes(p.type)) {
      const target = p.childForFieldName(p.type === "named_expression" ? "name" : "left") ?? p.childForFieldName("alias");
      if (target && target.startIndex <= child.startIndex && child.endIndex <= target.endIndex && p.type !== "with_item") {
        out.rebound = true;
        return;
      }
    }
    if (p.type === "expression_statement" || p.type === "block" || p.type === "module") break;
  }
  out.sites.push(siteOf(node));
}

function siteOf(node: Node): UseSite {
  let fn: Node | undefined;
  let lambda = false;
  let annotation: Node | undefined;
  for (let child: Node = node, p: Node | null = node.parent; p; child = p, p = p.parent) {
    if (p.type === "type" && !annotation) annotation = p;
    if (p.type === "function_definition" && p.childForFieldName("body")?.id === child.id) fn = p;
    if (p.type === "lambda" && p.childForFieldName("body")?.id === child.id) lambda = true;
  }
  if (fn) return { kind: "function", fn, node };
  if (annotation && !lambda) return { kind: "annotation", type: annotation, node };
  return { kind: "import-time", node };
}

/**
 * Where to put a statement at the start of a function's body: after its docstring, with the
 * body's indentation. Undefined for a body on the `def` line (`def f(): return x`).
 */
export function bodyInsertion(text: string, fn: Node): { offset: number; indent: string } | undefined {
  const body = fn.childForFieldName("body");
  if (!body || body.startPosition.row === fn.startPosition.row) return undefined;
  const statements = body.namedChildren.filter((c) => c.type !== "comment");
  const first = statements[0];
  if (!first) return undefined;
  const lineOf = (n: Node) => text.lastIndexOf("\n", n.startIndex - 1) + 1;
  const indent = text.slice(lineOf(first), first.startIndex);
  if (!/^[ \t]+$/.test(indent)) return undefined;
  const isDocstring = first.type === "expression_statement" && first.namedChildren.length === 1 && first.namedChildren[0]!.type === "string";
  if (!isDocstring) return { offset: lineOf(first), indent };
  const after = text.indexOf("\n", first.endIndex);
  if (after < 0) return undefined;
  const rest = text.slice(first.endIndex, after).replace(/\r$/, "");
  if (!/^[ \t]*(#.*)?$/.test(rest)) return undefined;
  return { offset: after + 1, indent };
}
