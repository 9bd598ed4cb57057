/** Reading literal values out of tree-sitter-python nodes. */
import type Parser from "tree-sitter";

type Node = Parser.SyntaxNode;

/** `a.b.c` for an identifier or attribute chain; undefined for anything else. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") {
    const obj = dottedName(node.childForFieldName("object"));
    const attr = node.childForFieldName("attribute");
    return obj !== undefined && attr ? `${obj}.${attr.text}` : undefined;
  }
  return undefined;
}

/**
 * The value of a plain string literal (implicit concatenation included); undefined for f-strings,
 * bytes, or anything computed. Escape sequences are decoded for the common cases only, which is
 * enough for module and marker names.
 */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "concatenated_string") {
    let out = "";
    for (const part of node.namedChildren) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== "string") return undefined;
  let prefix = "";
  let body = "";
  for (const part of node.namedChildren) {
    if (part.type === "string_start") prefix = part.text.replace(/['"]+$/, "").toLowerCase();
    else if (part.type === "string_content") body += part.text;
    else if (part.type === "interpolation") return undefined;
    else if (part.type === "escape_sequence") body += part.text;
  }
  if (prefix.includes("f") || prefix.includes("b") || prefix.includes("t")) return undefined;
  if (prefix.includes("r")) return body;
  return body.replace(/\\(["'\\nt])/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** Elements of a literal list/tuple/set of strings; undefined if any element is not a string literal. */
export function stringList(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type === "parenthesized_expression" && node.namedChildren.length === 1) {
    const only = node.namedChildren[0]!;
    const single = stringValue(only);
    return single !== undefined ? [single] : stringList(only);
  }
  if (node.type !== "list" && node.type !== "tuple" && node.type !== "set") return undefined;
  const out: string[] = [];
  for (const el of node.namedChildren) {
    if (el.type === "comment") continue;
    const v = stringValue(el);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
