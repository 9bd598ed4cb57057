/**
 * The context of a statement: which enclosing constructs decide whether it runs at import time and
 * whether an ImportError it raises is caught. Derived by climbing from the node to the module, so
 * every fact (static import, dynamic import, class, binding) gets the same, single interpretation.
 */
import type Parser from "tree-sitter";
import { NONE, type CompareOp, type Cond, type Ctx, type Handler } from "./facts.js";
import { dottedName, stringValue } from "./literals.js";
import { comparisonOperators } from "../field-children.js";

type Node = Parser.SyntaxNode;

export function contextOf(node: Node): readonly Ctx[] {
  const out: Ctx[] = [];
  let child = node;
  let parent = child.parent;
  while (parent) {
    pushContext(parent, child, out, node);
    child = parent;
    parent = child.parent;
  }
  return out.length === 0 ? NONE : out.reverse();
}

/** The node types pushContext reads; every other ancestor (blocks, statements, the module) adds nothing. */
const CONTEXT_TYPES = new Set([
  "function_definition", "lambda", "generator_expression", "conditional_expression", "boolean_operator",
  "class_definition", "try_statement", "with_statement", "if_statement", "for_statement", "while_statement", "case_clause",
]);

// Called innermost first; the caller reverses. Multi-entry pushes are written in reverse too.
function pushContext(parent: Node, child: Node, out: Ctx[], origin: Node): void {
  if (!CONTEXT_TYPES.has(parent.type)) return;
  const line = parent.startPosition.row + 1;
  switch (parent.type) {
    case "function_definition":
      if (isField(parent, child, "body")) {
        out.push({ kind: "function", name: parent.childForFieldName("name")?.text ?? "?", line });
      }
      return;
    case "lambda":
      if (isField(parent, child, "body")) out.push({ kind: "function", name: "<lambda>", line });
      return;
    case "generator_expression": {
      // Only the first iterable is evaluated when the generator is created; the rest runs lazily.
      const firstFor = parent.namedChildren.find((c) => c.type === "for_in_clause");
      const iterable = firstFor?.childForFieldName("right");
      const eager = iterable != null && origin.startIndex >= iterable.startIndex && origin.endIndex <= iterable.endIndex;
      if (!eager) out.push({ kind: "function", name: "<genexpr>", line });
      return;
    }
    case "conditional_expression": {
      // `a if cond else b`: children are a, cond, b.
      const [whenTrue, cond, whenFalse] = parent.namedChildren;
      if (cond && whenTrue && child.id === whenTrue.id) out.push({ kind: "if", line, cond: condOf(cond), want: true });
      else if (cond && whenFalse && child.id === whenFalse.id) out.push({ kind: "if", line, cond: condOf(cond), want: false });
      return;
    }
    case "boolean_operator": {
      // `a and b` evaluates b only when a is true; `a or b` only when a is false.
      const left = parent.childForFieldName("left");
      if (left && isField(parent, child, "right")) {
        out.push({ kind: "if", line, cond: condOf(left), want: parent.childForFieldName("operator")?.text === "and" });
      }
      return;
    }
    case "class_definition":
      if (isField(parent, child, "body")) {
        out.push({ kind: "class", name: parent.childForFieldName("name")?.text ?? "?", line });
      }
      return;
    case "try_statement":
      if (isField(parent, child, "body")) out.push({ kind: "try", line, handlers: handlersOf(parent) });
      else if (child.type === "except_clause" || child.type === "except_group_clause") out.push({ kind: "handler", line: child.startPosition.row + 1 });
      else if (child.type === "else_clause") out.push({ kind: "try-else", line: child.startPosition.row + 1 });
      return;
    case "with_statement": {
      if (!isField(parent, child, "body")) return;
      const catches = suppressedBy(parent);
      if (catches.length > 0) out.push({ kind: "suppress", line, catches });
      return;
    }
    case "if_statement":
      pushIfBranch(parent, child, out);
      return;
    case "for_statement":
    case "while_statement":
      if (isField(parent, child, "body")) out.push({ kind: "loop", line });
      return;
    case "case_clause":
      out.push({ kind: "case", line });
      return;
    default:
      return;
  }
}

function isField(parent: Node, child: Node, field: string): boolean {
  const f = parent.childForFieldName(field);
  return f !== null && f.id === child.id;
}

function pushIfBranch(ifNode: Node, child: Node, out: Ctx[]): void {
  const line = ifNode.startPosition.row + 1;
  const conds: { cond: Cond; line: number }[] = [];
  const main = ifNode.childForFieldName("condition");
  if (main) conds.push({ cond: condOf(main), line });
  if (isField(ifNode, child, "consequence")) {
    out.push({ kind: "if", line, cond: conds[0]?.cond ?? unknown(""), want: true });
    return;
  }
  const pending: Ctx[] = [];
  for (const clause of ifNode.namedChildren) {
    if (clause.type === "elif_clause") {
      const c = clause.childForFieldName("condition");
      const cond = c ? condOf(c) : unknown("");
      const cline = clause.startPosition.row + 1;
      if (clause.id === child.id) {
        for (const p of conds) pending.push({ kind: "if", line: p.line, cond: p.cond, want: false });
        pending.push({ kind: "if", line: cline, cond, want: true });
        break;
      }
      conds.push({ cond, line: cline });
    } else if (clause.type === "else_clause" && clause.id === child.id) {
      for (const p of conds) pending.push({ kind: "if", line: p.line, cond: p.cond, want: false });
      break;
    }
  }
  // `out` is built innermost-first; keep source order within this if-chain after the final reverse.
  for (let i = pending.length - 1; i >= 0; i--) out.push(pending[i]!);
}

function handlersOf(tryNode: Node): Handler[] {
  const handlers: Handler[] = [];
  for (const clause of tryNode.namedChildren) {
    if (clause.type !== "except_clause" && clause.type !== "except_group_clause") continue;
    const line = clause.startPosition.row + 1;
    let value = clause.childForFieldName("value");
    if (!value) {
      // `except* E` (except_group_clause) has no field names; the first named non-block child is the type.
      value = clause.namedChildren.find((c) => c.type !== "block" && c.type !== "comment") ?? null;
    }
    if (value?.type === "as_pattern") value = value.namedChildren[0] ?? null;
    const catches: string[] = [];
    if (value) {
      const items = value.type === "tuple" || value.type === "parenthesized_expression" ? value.namedChildren : [value];
      for (const item of items) {
        const d = dottedName(item);
        catches.push(d ? (d.split(".").pop() as string) : item.text);
      }
    }
    const body = clause.namedChildren.find((c) => c.type === "block");
    const handler: Handler = { line, catches, bare: value === null, raises: body ? raisesIn(body) : "never" };
    const raiser = handler.raises === "always" ? body?.namedChildren.find((s) => s.type === "raise_statement" || isExitCall(s)) : undefined;
    if (raiser) handler.raise = raiseInfo(raiser);
    handlers.push(handler);
  }
  return handlers;
}

/** Calls that exit: a handler's statement calling one raises "always" (simple.ts reads the same list off tokens). */
export const EXITS = new Set(["sys.exit", "exit", "quit", "os._exit", "pytest.exit", "pytest.fail", "pytest.skip"]);

function isExitCall(stmt: Node): boolean {
  if (stmt.type !== "expression_statement") return false;
  const call = stmt.namedChildren[0];
  return call?.type === "call" && EXITS.has(dottedName(call.childForFieldName("function")) ?? "");
}

function raiseInfo(stmt: Node): NonNullable<Handler["raise"]> {
  const at = { line: stmt.startPosition.row + 1, column: stmt.startPosition.column + 1 };
  if (stmt.type !== "raise_statement") {
    const fn = dottedName(stmt.namedChildren[0]?.childForFieldName("function"));
    return { ...at, exception: fn === "pytest.fail" ? "Failed" : fn === "pytest.skip" ? "Skipped" : fn === "pytest.exit" ? "Exit" : "SystemExit" };
  }
  let raised = stmt.namedChildren[0];
  if (!raised) return at; // bare `raise`: the same exception goes on
  if (raised.type === "call") raised = raised.childForFieldName("function") ?? raised;
  const name = dottedName(raised);
  return name ? { ...at, exception: name.split(".").pop()! } : { ...at, exception: "Exception" };
}

function raisesIn(block: Node): Handler["raises"] {
  for (const stmt of block.namedChildren) if (stmt.type === "raise_statement" || isExitCall(stmt)) return "always";
  let nested = false;
  const visit = (n: Node): void => {
    if (nested) return;
    for (const c of n.namedChildren) {
      if (c.type === "function_definition" || c.type === "class_definition" || c.type === "lambda") continue;
      if (c.type === "raise_statement") {
        nested = true;
        return;
      }
      visit(c);
    }
  };
  visit(block);
  return nested ? "maybe" : "never";
}

/** `with contextlib.suppress(ImportError, ...)` / `with suppress(...)`: the exception names. */
function suppressedBy(withNode: Node): string[] {
  const names: string[] = [];
  const clause = withNode.namedChildren.find((c) => c.type === "with_clause");
  for (const item of clause?.namedChildren ?? []) {
    let value = item.childForFieldName("value");
    if (value?.type === "as_pattern") value = value.namedChildren[0] ?? null;
    if (value?.type !== "call") continue;
    const fn = dottedName(value.childForFieldName("function"));
    if (fn !== "suppress" && fn !== "contextlib.suppress") continue;
    for (const arg of value.childForFieldName("arguments")?.namedChildren ?? []) {
      const d = dottedName(arg);
      if (d) names.push(d.split(".").pop() as string);
    }
  }
  return names;
}

function unknown(text: string): Cond {
  return { k: "unknown", text: text.length > 200 ? `${text.slice(0, 200)}…` : text };
}

/** Turn an `if` test into a condition snag can evaluate for a target interpreter. */
export function condOf(node: Node): Cond {
  switch (node.type) {
    case "parenthesized_expression":
      return node.namedChildren[0] ? condOf(node.namedChildren[0]) : unknown(node.text);
    case "true":
      return { k: "bool", v: true };
    case "false":
    case "none":
      return { k: "bool", v: false };
    case "integer":
      return { k: "bool", v: Number(node.text.replace(/_/g, "")) !== 0 };
    case "not_operator": {
      const arg = node.childForFieldName("argument");
      return arg ? { k: "not", x: condOf(arg) } : unknown(node.text);
    }
    case "boolean_operator": {
      const op = node.childForFieldName("operator")?.text;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) return unknown(node.text);
      return op === "and" ? { k: "and", xs: [condOf(left), condOf(right)] } : { k: "or", xs: [condOf(left), condOf(right)] };
    }
    case "identifier":
    case "attribute": {
      const d = dottedName(node);
      if (d === "TYPE_CHECKING" || (d !== undefined && d.endsWith(".TYPE_CHECKING"))) return { k: "type-checking" };
      return unknown(node.text);
    }
    case "comparison_operator":
      return comparisonCond(node);
    case "call":
      return callCond(node);
    default:
      return unknown(node.text);
  }
}

function comparisonCond(node: Node): Cond {
  const operands = node.namedChildren;
  const ops = comparisonOperators(node).map((o) => o.text);
  if (operands.length !== 2 || ops.length !== 1) return unknown(node.text);
  let [left, right] = operands as [Node, Node];
  let op = ops[0] as string;
  // Normalise `(3, 8) <= sys.version_info` and `"__main__" == __name__` to subject-first.
  if (isVersionSubject(right) || right.type === "identifier" || isPlatformSubject(right)) {
    if (left.type === "tuple" || left.type === "string" || left.type === "integer") {
      [left, right] = [right, left];
      op = flip(op);
    }
  }
  const subjectText = dottedName(left);
  if (subjectText === "__name__" && (op === "==" || op === "!=")) {
    if (stringValue(right) === "__main__") return op === "==" ? { k: "main" } : { k: "not", x: { k: "main" } };
  }
  const version = versionSubject(left);
  if (version && isCompareOp(op)) {
    // A whole version tuple compared with a bare int raises TypeError; leave it unevaluated.
    if (version.index === undefined && right.type !== "tuple") return unknown(node.text);
    const rhs = right.type === "tuple" ? right.namedChildren : right.type === "integer" ? [right] : undefined;
    const nums = rhs?.map((n) => (n.type === "integer" ? Number(n.text) : NaN));
    if (nums && nums.length > 0 && nums.every((n) => Number.isInteger(n))) {
      if (version.index !== undefined) {
        if (nums.length !== 1 || right.type !== "integer") return unknown(node.text);
        return { k: "version", op, version: nums, index: version.index };
      }
      return version.width !== undefined ? { k: "version", op, version: nums, width: version.width } : { k: "version", op, version: nums };
    }
    return unknown(node.text);
  }
  if ((subjectText === "sys.platform" || subjectText === "os.name") && (op === "==" || op === "!=")) {
    const value = stringValue(right);
    if (value !== undefined) {
      return subjectText === "sys.platform" ? { k: "platform", op, value } : { k: "os-name", op, value };
    }
  }
  return unknown(node.text);
}

function callCond(node: Node): Cond {
  const fn = dottedName(node.childForFieldName("function"));
  const args = node.childForFieldName("arguments")?.namedChildren ?? [];
  if (fn === "sys.platform.startswith" && args.length === 1) {
    const value = stringValue(args[0]!);
    if (value !== undefined) return { k: "platform", op: "startswith", value };
  }
  return unknown(node.text);
}

function isCompareOp(op: string): op is CompareOp {
  return op === "<" || op === "<=" || op === ">" || op === ">=" || op === "==" || op === "!=";
}

function flip(op: string): string {
  return op === "<" ? ">" : op === ">" ? "<" : op === "<=" ? ">=" : op === ">=" ? "<=" : op;
}

function isVersionSubject(n: Node): boolean {
  return versionSubject(n) !== undefined;
}

function isPlatformSubject(n: Node): boolean {
  const d = dottedName(n);
  return d === "sys.platform" || d === "os.name";
}

/** `sys.version_info`, `sys.version_info[:2]` (whole prefix) or `.major`/`[0]`, `.minor`/`[1]` (index). */
function versionSubject(n: Node): { index?: 0 | 1; width?: number } | undefined {
  const d = dottedName(n);
  if (d === "sys.version_info") return {};
  if (d === "sys.version_info.major") return { index: 0 };
  if (d === "sys.version_info.minor") return { index: 1 };
  if (n.type === "subscript" && dottedName(n.childForFieldName("value")) === "sys.version_info") {
    const sub = n.childForFieldName("subscript");
    if (sub?.type === "slice") {
      // Only `[:N]` is a prefix; any other slice is left unevaluated.
      const m = /^\[\s*:\s*(\d+)\s*\]$/.exec(n.text.slice(n.text.indexOf("[")));
      return m ? { width: Number(m[1]) } : undefined;
    }
    if (sub?.type === "integer") return sub.text === "0" ? { index: 0 } : sub.text === "1" ? { index: 1 } : undefined;
  }
  return undefined;
}
