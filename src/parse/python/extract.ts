/**
 * Python source text → facts. Queries in grammars/python/*.scm find the interesting nodes; the
 * module's statement list is walked for bindings; every fact's context comes from `contextOf`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GRAMMARS_DIR } from "../../paths.js";
import { parserClass, pythonLanguage, type Parser, type Query, type QueryCapture, type SyntaxNode, type Tree } from "../native.js";
import { condOf, contextOf } from "./context.js";
import type {
  BindingKind,
  Ctx,
  DunderAll,
  ImportedName,
  MarkerRegistration,
  MarkerUse,
  PyBase,
  PyBinding,
  PyClass,
  PyFileFacts,
  PyImport,
  PyRaise,
  SyntaxProblem,
} from "./facts.js";
import { dottedName, stringList, stringValue } from "./literals.js";
import { scanLayout, type LayoutScan } from "./layout.js";
import { emptyFacts, NONE } from "./facts.js";
import { mayWriteBuiltins, nameFacts } from "./names.js";
import { reduceFile } from "./reduce.js";
import { codeOfWord, Seen, Tok, type Tokens } from "./tokens.js";
import { simpleFacts } from "./simple.js";
import { importNames } from "../field-children.js";

type Node = SyntaxNode;

/**
 * All grammars/python/*.scm patterns, one query per file. Patterns with text predicates
 * (`#eq?`/`#match?`) are left out of the query for a file whose text cannot satisfy them: the
 * binding evaluates predicates in JavaScript after marshalling every candidate node (every call,
 * every `a.b`), which cost more than the parse itself. A capture's text is a slice of the file,
 * so a file without a match for the predicate's pattern cannot have the capture: leaving the
 * pattern out changes nothing but the time.
 */
interface Pattern {
  source: string;
  /** Every one must match somewhere in the file's text for the pattern to be worth running. */
  needs: RegExp[];
  /**
   * The same needs as words (by `needs` index): the WORDS codes one of which a NAME token of the
   * file must be; undefined where a predicate's text is no WORDS word, and only the text can tell.
   */
  words: (number[] | undefined)[];
}

function loadPatterns(names: string[]): Pattern[] {
  const patterns: Pattern[] = [];
  for (const name of names) {
    const source = readFileSync(join(GRAMMARS_DIR, "python", `${name}.scm`), "utf8");
    for (const text of splitPatterns(source)) patterns.push({ source: text, ...predicateNeeds(text) });
  }
  return patterns;
}

/** Top-level S-expressions of a query file; each starts in column 0 once the previous one has closed. */
function splitPatterns(source: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let depth = 0;
  for (const line of source.split("\n")) {
    if (depth === 0 && /^[([]/.test(line) && current.some((l) => /^[([]/.test(l))) {
      out.push(current.join("\n"));
      current = [];
    }
    current.push(line);
    depth += bracketDelta(line);
  }
  if (current.some((l) => /^[([]/.test(l))) out.push(current.join("\n"));
  if (depth !== 0) throw new Error("unbalanced query source");
  return out;
}

function bracketDelta(line: string): number {
  let delta = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ";") break;
    else if (c === "(" || c === "[") delta++;
    else if (c === ")" || c === "]") delta--;
  }
  return delta;
}

/**
 * `(#eq? @x "lit")` needs `lit` in the text; `(#match? @x "^re$")` needs `re` to match somewhere.
 * As words: `lit` itself, or for `^(a|b\\.c)$` one of the names each alternative ends with (the
 * identifier or the attribute's last name), when every one is a WORDS word.
 */
function predicateNeeds(pattern: string): { needs: RegExp[]; words: (number[] | undefined)[] } {
  const needs: RegExp[] = [];
  const words: (number[] | undefined)[] = [];
  for (const m of pattern.matchAll(/\(#(eq|match)\?\s+@[\w.]+\s+"((?:[^"\\]|\\.)*)"\s*\)/g)) {
    const literal = (m[2] ?? "").replace(/\\(.)/g, "$1");
    if (m[1] === "eq") {
      needs.push(new RegExp(literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      words.push(codesOf([literal]));
    } else {
      const body = literal.replace(/^\^/, "").replace(/\$$/, "");
      needs.push(new RegExp(body));
      const alternatives = /^\(([\w|\\.]+)\)$/.exec(body)?.[1]?.split("|");
      words.push(alternatives ? codesOf(alternatives.map((a) => a.split("\\.").pop() ?? "")) : undefined);
    }
  }
  return { needs, words };
}

/** The WORDS codes of `names`, undefined unless every one is a WORDS word. */
function codesOf(names: string[]): number[] | undefined {
  const codes = names.map(codeOfWord);
  return codes.every((c) => c > 0) ? codes : undefined;
}

let shared: { parser: Parser; patterns: Pattern[]; queries: Map<string, Query> } | undefined;

function tools() {
  if (!shared) {
    const parser = new (parserClass())();
    parser.setLanguage(pythonLanguage());
    shared = { parser, patterns: loadPatterns(["imports", "classes", "markers", "bindings", "names"]), queries: new Map() };
  }
  return shared;
}

/**
 * Queries compiled per thread, at most: each costs about 20 ms, and real code holds dozens of
 * combinations of the words patterns need (60 in the first 1,800 standard-library files).
 */
const MAX_QUERIES = 8;

/**
 * A query holding every pattern this text can satisfy (all of them with `exhaustive`). Patterns
 * whose predicates need words the text lacks are left out, since tree-sitter matches them on
 * every node of their shape before the predicate rejects them. Once MAX_QUERIES are compiled, a
 * new combination gets the smallest compiled query that holds it (all patterns at worst): a
 * pattern the text cannot satisfy captures nothing, so the captures are the same either way.
 */
function queryFor(text: string, exhaustive: boolean, tokens?: { of: Tokens; source: string }): Query {
  const t = tools();
  const gate = tokens && namesGate(tokens.of, tokens.source);
  const key = t.patterns.map((p) => (exhaustive || p.needs.every((re, i) => (gate && p.words[i] ? gate(re, p.words[i]!) : re.test(text))) ? "1" : "0")).join("");
  let query = t.queries.get(key);
  if (query) return query;
  if (t.queries.size >= MAX_QUERIES) {
    const all = "1".repeat(t.patterns.length);
    if (!t.queries.has(all)) t.queries.set(all, compileQuery(all));
    let fewest = Infinity;
    for (const [k, q] of t.queries) {
      const size = holds(k, key);
      if (size < fewest) [query, fewest] = [q, size];
    }
    return query!;
  }
  query = compileQuery(key);
  t.queries.set(key, query);
  return query;
}

function compileQuery(key: string): Query {
  const t = tools();
  return new (parserClass().Query)(pythonLanguage(), t.patterns.filter((_, i) => key[i] === "1").map((p) => p.source).join("\n"));
}

/**
 * Whether a predicate needing `re`, or one of the names `words`, can hold in a file with tokens
 * `t`: a name must be one of its NAME tokens. A word in a docstring or comment is no identifier,
 * and `mark`, `eval` or `vars` in prose let the widest patterns (every `a.b`, every call) run on
 * thousands of files. An ODD token may be an f-string whose fields are code the tokenizer did not
 * split, so the text of those (read once per file) is asked too.
 */
function namesGate(t: Tokens, source: string): (re: RegExp, words: number[]) => boolean {
  let odd: string | undefined;
  return (re, words) => {
    for (const c of words) if (t.words[c] === 1) return true;
    if ((t.seen & Seen.Odd) === 0) return false;
    // Token positions are the source's (the parsed text may be its reduced copy).
    if (odd === undefined) {
      const parts: string[] = [];
      for (let k = 0; k < t.count; k++) if (t.kind[k] === Tok.Odd) parts.push(source.slice(t.start[k], t.end[k]));
      odd = parts.join("\n");
    }
    return re.test(odd);
  };
}

/** The number of patterns in `outer` when it holds every pattern of `inner`, else Infinity. */
function holds(outer: string, inner: string): number {
  let size = 0;
  for (let i = 0; i < outer.length; i++) {
    if (outer[i] === "1") size++;
    else if (inner[i] === "1") return Infinity;
  }
  return size;
}


// The binding copies the input into a buffer of this many UTF-16 units, zero-filled on every
// parse: one that just fits the text reads it in one go without clearing megabytes each time.
const bufferFor = (text: string): number => text.length + 1;

export interface ExtractOptions {
  /** Run every pattern and every check on every file, skipping none of the shortcuts (tests compare both ways). */
  exhaustive?: boolean;
  /** The file's layout scan, when the caller has already made it. */
  layout?: LayoutScan;
  /** The file's tokens, when the caller has already made them. */
  tokens?: Tokens;
  /**
   * Parse without the function bodies that cannot change a fact (reduce.ts). The caller says no
   * for files CPython's own compiler will judge: their syntax differs across versions.
   */
  reduce?: boolean;
}

function parse(text: string): Tree {
  return tools().parser.parse(text, undefined, { bufferSize: bufferFor(text) });
}

export function extractPythonFacts(source: string, encoding = "utf-8", options: ExtractOptions = {}): PyFileFacts {
  const exhaustive = options.exhaustive ?? false;
  // From here on `text` is what tree-sitter parsed: every node's text and position is the same
  // in both, and what was left out holds no fact.
  let text = source;
  const reduction = options.reduce && !exhaustive && !(options.layout ?? scanLayout(source)).maybeWrong && !mayWriteBuiltins(source, options.tokens) ? reduceFile(source, options.tokens) : undefined;
  if (reduction) {
    const simple = simpleFacts(reduction, source, encoding);
    if (simple) return simple;
  }
  const reduced = reduction && reduction.regions.length > 0 ? reduction.text : undefined;
  let tree = parse(reduced ?? source);
  if (reduced !== undefined) {
    if (tree.rootNode.hasError) tree = parse(source);
    else text = reduced;
  }
  const root = tree.rootNode;
  const facts: PyFileFacts = { ...emptyFacts(encoding), lineCount: root.endPosition.row + 1 };

  const markerCaptures: QueryCapture[] = [];
  const nameCaptures: QueryCapture[] = [];
  for (const capture of queryFor(text, exhaustive, options.tokens && { of: options.tokens, source }).captures(root)) {
    const { name, node } = capture;
    switch (name) {
      case "import":
        facts.imports.push(...plainImports(node));
        break;
      case "from":
        facts.imports.push(fromImport(node, "from"));
        break;
      case "future":
        facts.imports.push(fromImport(node, "future"));
        break;
      case "raise":
      case "assert": {
        const r = raiseFact(node, name);
        if (r) facts.raises.push(r);
        break;
      }
      case "dynamic": {
        const dyn = dynamicImport(node);
        if (dyn) facts.imports.push(dyn);
        break;
      }
      case "class":
        facts.classes.push(classFact(node));
        break;
      case "names.future":
      case "names.dynamic":
      case "names.handed":
      case "names.frame":
        nameCaptures.push(capture);
        break;
      case "global":
        nameCaptures.push(capture);
        if (node.parent && contextOf(node.parent).some((c) => c.kind === "function")) facts.bindings.push(binding(node, "global"));
        break;
      case "namespace":
        facts.dynamicNamespace = true;
        break;
      case "walrus": {
        nameCaptures.push(capture);
        const ctx = contextOf(node);
        if (!ctx.some((c) => c.kind === "function" || c.kind === "class")) facts.bindings.push(binding(node, "walrus", ctx));
        break;
      }
      case "marker":
      case "marker.bare":
      case "registration.kind":
      case "registration.value":
        markerCaptures.push(capture);
        break;
    }
  }

  walkModuleStatements(root, facts);
  Object.assign(facts, nameFacts(root, text, nameCaptures));

  // `mark.x` counts only when `mark` came from pytest; known once every import is read.
  const bareMarkAllowed = facts.imports.some(
    (i) => i.kind === "from" && (i.module === "pytest" || i.module === "_pytest.mark") && i.names.some((n) => n.name === "mark" && !n.alias),
  );
  let pendingKind: string | undefined;
  for (const { name, node } of markerCaptures) {
    if (name === "marker" || (name === "marker.bare" && bareMarkAllowed)) facts.markers.push(markerUse(node));
    else if (name === "registration.kind") pendingKind = stringValue(node);
    else if (name === "registration.value") {
      const reg = pendingKind === "markers" ? markerRegistration(node) : undefined;
      if (reg) facts.markerRegistrations.push(reg);
      pendingKind = undefined;
    }
  }

  const syntaxError = firstSyntaxError(root, text, exhaustive, options.layout);
  if (syntaxError) facts.syntaxError = syntaxError;
  sortFacts(facts);
  return facts;
}

function pos(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

function plainImports(node: Node): PyImport[] {
  const context = contextOf(node);
  const out: PyImport[] = [];
  for (const item of importNames(node)) {
    const dotted = item.type === "aliased_import" ? item.childForFieldName("name") : item;
    const alias = item.type === "aliased_import" ? item.childForFieldName("alias")?.text : undefined;
    if (!dotted) continue;
    const imp: PyImport = {
      kind: "import",
      module: dotted.text.replace(/\s+/g, ""),
      level: 0,
      names: NONE,
      ...pos(item),
      endLine: node.endPosition.row + 1,
      context,
    };
    if (alias) imp.alias = alias;
    out.push(imp);
  }
  return out;
}

function fromImport(node: Node, kind: "from" | "future"): PyImport {
  let module = "__future__";
  let level = 0;
  const moduleNode = node.childForFieldName("module_name");
  if (kind === "from" && moduleNode) {
    if (moduleNode.type === "relative_import") {
      const parts = moduleNode.namedChildren;
      const prefix = parts.find((c) => c.type === "import_prefix");
      level = prefix ? prefix.text.replace(/\s+/g, "").length : 0;
      module = parts.find((c) => c.type === "dotted_name")?.text.replace(/\s+/g, "") ?? "";
    } else {
      module = moduleNode.text.replace(/\s+/g, "");
    }
  }
  const names: ImportedName[] = [];
  const moduleStart = moduleNode?.startIndex;
  for (const item of importNames(node)) {
    // The module's own dotted_name is a `name` field too; node ids are costlier to read than offsets.
    if (item.startIndex === moduleStart) continue;
    const aliased = item.type === "aliased_import";
    const dotted = aliased ? item.childForFieldName("name") : item;
    const alias = aliased ? item.childForFieldName("alias")?.text : undefined;
    if (!dotted) continue;
    const n: ImportedName = { name: dotted.text, ...pos(item) };
    if (alias) n.alias = alias;
    names.push(n);
  }
  const star = node.namedChildren.find((c) => c.type === "wildcard_import");
  if (star) names.push({ name: "*", ...pos(star) });
  return { kind, module, level, names, ...pos(node), endLine: node.endPosition.row + 1, context: contextOf(node) };
}

function dynamicImport(call: Node): PyImport | undefined {
  const callee = dottedName(call.childForFieldName("function"));
  const args = call.childForFieldName("arguments")?.namedChildren ?? [];
  const target = stringValue(args[0]);
  if (target === undefined || target.length === 0) return undefined;
  const via =
    callee === "__import__"
      ? "__import__"
      : callee === "pytest.importorskip" || callee === "importorskip"
        ? "pytest.importorskip"
        : "importlib.import_module";
  let level = 0;
  let module = target;
  if (via === "importlib.import_module" && target.startsWith(".")) {
    // import_module(".x", package=__package__): relative to the importing package.
    const packageArg = args[1];
    const isOwnPackage = packageArg && /(^|=)\s*(__package__|__name__)$/.test(packageArg.text.replace(/\s+/g, ""));
    if (!isOwnPackage) return undefined;
    level = /^\.+/.exec(target)![0].length;
    module = target.slice(level);
  } else if (!/^[A-Za-z_][\w.]*$/.test(target)) {
    return undefined;
  }
  return { kind: "dynamic", module, level, names: NONE, via, ...pos(call), endLine: call.endPosition.row + 1, context: contextOf(call) };
}

function raiseFact(node: Node, kind: "raise" | "assert"): PyRaise | undefined {
  const context = contextOf(node);
  if (context.some((c) => c.kind === "function")) return undefined;
  const fact: PyRaise = { kind, ...pos(node), context };
  const first = node.namedChildren.find((c) => c.type !== "comment");
  if (kind === "assert") {
    if (first) fact.cond = condOf(first);
    return fact;
  }
  if (!first) return fact;
  const callee = first.type === "call" ? first.childForFieldName("function") : first;
  const name = dottedName(callee);
  if (name) fact.exception = name.split(".").pop()!;
  const message = first.type === "call" ? stringValue(first.childForFieldName("arguments")?.namedChildren[0]) : undefined;
  if (message !== undefined) fact.message = message;
  return fact;
}

function classFact(node: Node): PyClass {
  const name = node.childForFieldName("name")?.text ?? "?";
  const context = contextOf(node);
  const outer = context.filter((c) => c.kind === "class" || c.kind === "function").map((c) => (c.kind === "function" ? `${c.name}.<locals>` : c.name));
  const bases: PyBase[] = [];
  let dynamicBases = false;
  let metaclass: string | undefined;
  for (const arg of node.childForFieldName("superclasses")?.namedChildren ?? []) {
    if (arg.type === "keyword_argument") {
      if (arg.childForFieldName("name")?.text === "metaclass") metaclass = arg.childForFieldName("value")?.text;
      continue;
    }
    if (arg.type === "list_splat" || arg.type === "dictionary_splat") {
      dynamicBases = true;
      continue;
    }
    if (arg.type === "comment") continue;
    const subscripted = arg.type === "subscript";
    const dotted = dottedName(subscripted ? arg.childForFieldName("value") : arg);
    const base: PyBase = { text: arg.text, subscripted, ...pos(arg) };
    if (dotted !== undefined) base.dotted = dotted;
    bases.push(base);
  }
  const fact: PyClass = { name, qualname: [...outer, name].join("."), bases, dynamicBases, ...pos(node), context };
  if (metaclass !== undefined) fact.metaclass = metaclass;
  return fact;
}

function markerUse(node: Node): MarkerUse {
  return { name: node.text, ...pos(node), context: contextOf(node) };
}

function markerRegistration(node: Node): MarkerRegistration | undefined {
  const value = stringValue(node);
  const m = value === undefined ? null : /^\s*([A-Za-z_][\w]*)/.exec(value);
  return m ? { name: m[1]!, ...pos(node) } : undefined;
}

function binding(node: Node, kind: BindingKind, context = contextOf(node)): PyBinding {
  return { name: node.text, kind, ...pos(node), context };
}

/**
 * Module-level statements, descending into compound statements that do not open a new scope
 * (if/try/with/for/while/match) but not into def/class bodies.
 */
function walkModuleStatements(root: Node, facts: PyFileFacts): void {
  // Every statement of a block shares the block's context: compute it once per block.
  const visitBlock = (block: Node, known?: readonly Ctx[]): void => {
    const stmts = block.namedChildren;
    const first = stmts[0];
    if (!first) return;
    const ctx = known ?? contextOf(first);
    for (const stmt of stmts) visitStatement(stmt, ctx);
  };
  const visitStatement = (stmt: Node, ctx: readonly Ctx[]): void => {
    switch (stmt.type) {
      case "decorated_definition": {
        const def = stmt.childForFieldName("definition");
        if (def) visitStatement(def, ctx);
        return;
      }
      case "function_definition": {
        const nameNode = stmt.childForFieldName("name");
        if (!nameNode) return;
        const b = binding(nameNode, "def", ctx);
        facts.bindings.push(b);
        if (nameNode.text === "__getattr__") facts.hasModuleGetattr = true;
        return;
      }
      case "class_definition": {
        const nameNode = stmt.childForFieldName("name");
        if (nameNode) facts.bindings.push(binding(nameNode, "class", ctx));
        return;
      }
      case "import_statement":
        for (const item of importNames(stmt)) {
          const alias = item.type === "aliased_import" ? item.childForFieldName("alias") : null;
          const dotted = item.type === "aliased_import" ? item.childForFieldName("name") : item;
          const target = alias ?? dotted?.namedChildren[0] ?? dotted;
          if (target) facts.bindings.push({ ...binding(target, "import", ctx), name: target.text });
        }
        return;
      case "import_from_statement": {
        const moduleNode = stmt.childForFieldName("module_name");
        for (const item of importNames(stmt)) {
          if (moduleNode && item.id === moduleNode.id) continue;
          const target = item.type === "aliased_import" ? item.childForFieldName("alias") : item;
          if (target) facts.bindings.push(binding(target, "import", ctx));
        }
        return;
      }
      case "expression_statement":
        for (const expr of stmt.namedChildren) visitExpression(expr, ctx);
        return;
      case "type_alias_statement": {
        const left = stmt.childForFieldName("left");
        const id = left?.type === "type" ? left.namedChildren[0] : left;
        if (id?.type === "identifier") facts.bindings.push(binding(id, "type", ctx));
        return;
      }
      case "delete_statement":
        for (const target of stmt.namedChildren) for (const id of targetNames(target)) facts.bindings.push(binding(id, "del", ctx));
        return;
      case "for_statement": {
        const left = stmt.childForFieldName("left");
        for (const id of targetNames(left)) facts.bindings.push(binding(id, "for", ctx));
        for (const c of stmt.namedChildren) if (c.type === "block" || c.type === "else_clause") visitBlockLike(c);
        return;
      }
      case "with_statement": {
        const clause = stmt.namedChildren.find((c) => c.type === "with_clause");
        for (const item of clause?.namedChildren ?? []) {
          const value = item.childForFieldName("value");
          if (value?.type === "as_pattern") {
            const target = value.childForFieldName("alias");
            for (const id of targetNames(target?.namedChildren[0] ?? target)) facts.bindings.push(binding(id, "with", ctx));
          }
        }
        visitBlockLike(stmt.childForFieldName("body"));
        return;
      }
      case "if_statement":
      case "try_statement":
      case "while_statement":
      case "match_statement":
        for (const c of stmt.namedChildren) visitBlockLike(c);
        return;
      default:
        return;
    }
  };
  const visitBlockLike = (node: Node | null): void => {
    if (!node) return;
    if (node.type === "block") return visitBlock(node);
    // elif/else/except/finally clauses and match blocks/cases: their blocks hold statements.
    if (
      node.type === "elif_clause" ||
      node.type === "else_clause" ||
      node.type === "except_clause" ||
      node.type === "except_group_clause" ||
      node.type === "finally_clause" ||
      node.type === "case_clause"
    ) {
      for (const c of node.namedChildren) if (c.type === "block") visitBlock(c);
      return;
    }
    if (node.type === "match_statement" || node.type === "block") for (const c of node.namedChildren) visitBlockLike(c);
  };
  const visitExpression = (expr: Node, ctx: readonly Ctx[]): void => {
    if (expr.type === "assignment") {
      const right = expr.childForFieldName("right");
      // `x: int` without a value binds nothing.
      if (!right) return;
      const left = expr.childForFieldName("left");
      for (const id of targetNames(left)) {
        facts.bindings.push(binding(id, "assign", ctx));
        if (id.text === "__all__" && left?.type === "identifier") setDunderAll(facts, right, expr, false);
        if (id.text === "pytest_plugins" && left?.type === "identifier") {
          const single = stringValue(right);
          facts.pytestPlugins = single !== undefined ? [single] : (stringList(right) ?? facts.pytestPlugins);
        }
      }
      if (right.type === "assignment") visitExpression(right, ctx);
    } else if (expr.type === "augmented_assignment") {
      const left = expr.childForFieldName("left");
      if (left?.type === "identifier" && left.text === "__all__" && expr.childForFieldName("operator")?.text === "+=") {
        setDunderAll(facts, expr.childForFieldName("right"), expr, true);
      }
    } else if (expr.type === "call") {
      const fn = dottedName(expr.childForFieldName("function"));
      const args = expr.childForFieldName("arguments")?.namedChildren ?? [];
      if (fn === "__all__.extend") setDunderAll(facts, args[0] ?? null, expr, true);
      else if (fn === "__all__.append") {
        const v = stringValue(args[0]);
        extendDunderAll(facts, v === undefined ? [] : [v], v === undefined, expr);
      }
    }
  };
  visitBlock(root, NONE);
}

function targetNames(node: Node | null | undefined): Node[] {
  if (!node) return [];
  switch (node.type) {
    case "identifier":
      return [node];
    case "pattern_list":
    case "tuple_pattern":
    case "list_pattern":
    case "tuple":
    case "list":
    case "parenthesized_expression":
    case "expression_list":
      return node.namedChildren.flatMap(targetNames);
    case "list_splat_pattern":
    case "list_splat":
      return node.namedChildren.flatMap(targetNames);
    default:
      return [];
  }
}

function setDunderAll(facts: PyFileFacts, value: Node | null, stmt: Node, extend: boolean): void {
  const parts: string[] = [];
  let dynamic = false;
  const collect = (n: Node | null): void => {
    if (!n) return;
    const literal = stringList(n);
    if (literal) parts.push(...literal);
    else if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "+") {
      collect(n.childForFieldName("left"));
      collect(n.childForFieldName("right"));
    } else dynamic = true;
  };
  collect(value);
  if (extend) extendDunderAll(facts, parts, dynamic, stmt);
  else facts.dunderAll = { names: parts, dynamic, ...pos(stmt) };
}

function extendDunderAll(facts: PyFileFacts, names: string[], dynamic: boolean, stmt: Node): void {
  const current: DunderAll = facts.dunderAll ?? { names: [], dynamic: true, ...pos(stmt) };
  facts.dunderAll = { ...current, names: [...current.names, ...names], dynamic: current.dynamic || dynamic };
}

function deepestWithError(node: Node): Node {
  for (const c of node.children) if (c.hasError) return deepestWithError(c);
  return node;
}

/**
 * The first error CPython would report. tree-sitter marks most with ERROR/MISSING nodes but accepts
 * some code CPython rejects: Python 2 print/exec statements, empty blocks, unexpected indentation.
 */
function firstSyntaxError(root: Node, text: string, exhaustive: boolean, layout: LayoutScan | undefined): SyntaxProblem | undefined {
  const problems: SyntaxProblem[] = [];
  let treeError: Node | undefined;
  const visit = (n: Node): void => {
    if (treeError) return;
    if (n.type === "ERROR" || n.isMissing) {
      treeError = n;
      return;
    }
    if (!n.hasError && !n.isMissing) return;
    for (const c of n.children) visit(c);
  };
  if (root.hasError) visit(root);
  if (treeError) {
    const message = treeError.isMissing ? `invalid syntax: expected '${treeError.type}'` : `invalid syntax near ${JSON.stringify(treeError.text.slice(0, 40))}`;
    problems.push({ message, ...pos(treeError) });
  } else if (root.hasError) {
    // A MISSING hidden token (a newline, say) is not among any node's children; the error is
    // real all the same, and CPython's compiler gives it its position (confirm-syntax.ts).
    problems.push({ message: "invalid syntax", ...pos(deepestWithError(root)) });
  }
  const checkBlock = (block: Node, expectedColumn: number | undefined): void => {
    const stmts = block.namedChildren.filter((c) => c.type !== "comment");
    if (block.type === "block" && stmts.length === 0) {
      problems.push({ message: "IndentationError: expected an indented block", line: block.startPosition.row + 2, column: 1 });
      return;
    }
    const column = expectedColumn ?? stmts[0]?.startPosition.column ?? 0;
    let lastRow = -1;
    for (const stmt of stmts) {
      if (stmt.startPosition.row !== lastRow && stmt.startPosition.column !== column && stmt.type !== "ERROR") {
        problems.push({ message: "IndentationError: unexpected indent", ...pos(stmt) });
      }
      lastRow = stmt.endPosition.row;
      checkPython2(stmt);
      for (const child of stmt.namedChildren) checkNested(child);
    }
  };
  const checkNested = (node: Node): void => {
    if (node.type === "block") checkBlock(node, undefined);
    else if (/_clause$|^decorated_definition$|_definition$/.test(node.type)) for (const c of node.namedChildren) checkNested(c);
  };
  // `print >> f, x` is a valid Python 3 expression (a tuple); tree-sitter reads it as Python 2.
  const checkPython2 = (stmt: Node): void => {
    const py3Chevron = stmt.type === "print_statement" && stmt.namedChildren.some((c) => c.type === "chevron");
    if ((stmt.type === "print_statement" && !py3Chevron) || stmt.type === "exec_statement") {
      const word = stmt.type === "print_statement" ? "print" : "exec";
      problems.push({ message: `Missing parentheses in call to '${word}'`, ...pos(stmt) });
    }
  };
  // Walking every block is the costly part; a sound layout (layout.ts) leaves only Python 2
  // statements to find, and the binding finds those natively.
  if (exhaustive || root.hasError || (layout ?? scanLayout(text)).maybeWrong) checkBlock(root, 0);
  else if (PYTHON2_WORDS.test(text)) for (const stmt of root.descendantsOfType(["print_statement", "exec_statement"])) checkPython2(stmt);
  checkFutureImports(root, problems);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return problems[0];
}

const PYTHON2_WORDS = /\b(?:print|exec)\b/;

const FUTURE_FEATURES = new Set([
  "nested_scopes",
  "generators",
  "division",
  "absolute_import",
  "with_statement",
  "print_function",
  "unicode_literals",
  "barry_as_FLUFL",
  "generator_stop",
  "annotations",
]);

/** `from __future__ import x` must come first (after the docstring) and name a known feature. */
function checkFutureImports(root: Node, problems: SyntaxProblem[]): void {
  let leading = true;
  const stmts = root.namedChildren;
  const firstIndex = stmts.findIndex((c) => c.type !== "comment");
  stmts.forEach((stmt, i) => {
    if (!leading && stmt.type !== "future_import_statement") return;
    if (stmt.type === "comment") return;
    const isDocstring = i === firstIndex && stmt.type === "expression_statement" && stmt.namedChildren[0]?.type === "string";
    if (stmt.type === "future_import_statement") {
      if (!leading) problems.push({ message: "from __future__ imports must occur at the beginning of the file", ...pos(stmt) });
      for (const item of importNames(stmt)) {
        const name = (item.type === "aliased_import" ? item.childForFieldName("name") : item)?.text ?? "";
        if (name === "braces") problems.push({ message: "not a chance", ...pos(item) });
        else if (!FUTURE_FEATURES.has(name)) problems.push({ message: `future feature ${name} is not defined`, ...pos(item) });
      }
      return;
    }
    if (!isDocstring) leading = false;
  });
}

function sortFacts(facts: PyFileFacts): void {
  const byPos = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line - b.line || a.column - b.column;
  facts.imports.sort(byPos);
  facts.bindings.sort(byPos);
  facts.classes.sort(byPos);
  facts.raises.sort(byPos);
  facts.markers.sort(byPos);
  facts.markerRegistrations.sort(byPos);
}
