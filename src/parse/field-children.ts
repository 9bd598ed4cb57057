/**
 * The children of a tree-sitter Python node in one field, read off the node types instead of with
 * node-tree-sitter 0.25's `childrenForFieldName`: that walks with a native tree cursor it never
 * deletes (src/node.cc), a few hundred bytes lost on every call, for every import statement of
 * every file tree-sitter parses. What each field may hold is tree-sitter-python's node-types.json.
 */
import type Parser from "tree-sitter";

type Node = Parser.SyntaxNode;

/**
 * The `name` field of an import, from-import or future-import statement: its `dotted_name` and
 * `aliased_import` children. A from-import's `module_name` may be a `dotted_name` too; callers
 * skip it, as they did with childrenForFieldName, which returned it as well.
 */
export function importNames(node: Node): Node[] {
  return node.namedChildren.filter((c) => c.type === "dotted_name" || c.type === "aliased_import");
}

/** The `subscript` field of a subscript: every named child but the `value` and comments. */
export function subscripts(node: Node): Node[] {
  const value = node.childForFieldName("value")?.startIndex;
  return node.namedChildren.filter((c) => c.startIndex !== value && c.type !== "comment");
}

const COMPARISON_OPERATORS = new Set(["!=", "<", "<=", "<>", "==", ">", ">=", "in", "is", "is not", "not in"]);

/** The `operators` field of a comparison_operator. */
export function comparisonOperators(node: Node): Node[] {
  return node.children.filter((c) => COMPARISON_OPERATORS.has(c.type));
}
