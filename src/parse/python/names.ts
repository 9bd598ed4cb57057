/**
 * Names read at import time that nothing can have bound yet: the candidates for a NameError.
 *
 * The module body is walked in execution order (class bodies when their statement runs;
 * decorators, defaults, bases and evaluated annotations before the name they belong to is bound;
 * right-hand sides before their targets), keeping per scope the set of names that MAY be bound at
 * that point: any binding on any path adds its names, only an unconditional `del` removes one.
 * A read is a candidate when its name is in none of the sets it is looked up in. Whether it really
 * raises (builtins and star imports of the target, a caught exception, a decided condition) is the
 * simulator's call; this file only says "nothing in this file can have bound it before here".
 *
 * What the walk cannot follow name by name makes it give up on the file: `exec`, `globals()`,
 * `vars()` anywhere, `eval`/`locals()` outside functions, a frame's `f_globals`/`f_locals`, a call
 * handed `__name__` (it may bind through sys.modules), a syntax error. Parts that may not run are
 * not reported at all: loop bodies,
 * except/else clauses, match cases, `for`/`while` else clauses, the message of an `assert`, bodies
 * of functions, lambdas and generator expressions, comprehension bodies over an iterable that may
 * be empty, and `with` bodies whose context manager might swallow the exception.
 */
import type Parser from "tree-sitter";
import { ALWAYS_BUILTIN } from "./builtin-names.js";
import { condOf, contextOf } from "./context.js";
import type { Cond, PyNameRead } from "./facts.js";
import { dottedName, stringValue } from "./literals.js";
import { importNames, subscripts } from "../field-children.js";
import { Tok, wordCode, type Tokens } from "./tokens.js";

type Node = Parser.SyntaxNode;

export interface NameFacts {
  unboundReads: PyNameRead[];
  builtinWrites: string[];
}

type Scope =
  | { kind: "module"; bound: Set<string> }
  | ClassScope
  | { kind: "comprehension"; vars: Set<string>; outer: Scope };

interface ClassScope {
  kind: "class";
  bound: Set<string>;
  line: number;
  column: number;
  /** Reads looked up in this body, and reads inside it that skip it (comprehensions, nested class bodies). */
  reads: PyNameRead[];
  hiddenFrom: PyNameRead[];
}

interface Mode {
  /** Reads here are reported (false where the code may not run at all). */
  emit: boolean;
  /** A direct statement of the module or class body: a `del` here certainly unbinds. */
  straight: boolean;
}

/** Callables that can bind arbitrary names in the module wherever they are called; `eval` and
 * `locals` (the rest of names.scm's list) reach the module or class namespace only outside functions. */
const DYNAMIC_CALLS = new Set(["exec", "execfile", "globals", "vars"]);

/** Context managers known not to swallow exceptions (suppress's own catching is a Ctx). */
const TRANSPARENT_MANAGERS = new Set([
  "open",
  "io.open",
  "warnings.catch_warnings",
  "catch_warnings",
  "suppress",
  "contextlib.suppress",
  "nullcontext",
  "contextlib.nullcontext",
]);

const BUILTINS_MODULES = new Set(["builtins", "__builtin__"]);

/** Callees that take a module's `__name__` only to name something (a logger, an app, a path). */
const NAME_SAFE_CALLEES = new Set([
  "getLogger",
  "get_logger",
  "getChild",
  "Logger",
  "Flask",
  "Blueprint",
  "PytestTester",
  "extend_path",
  "declare_namespace",
  "warn",
  "print",
  "str",
  "repr",
  "format",
  "startswith",
  "endswith",
  "split",
  "rsplit",
  "partition",
  "rpartition",
  "replace",
]);

/** Names `gettext.install()` / `translation.install()` put into builtins. */
const GETTEXT_INSTALLS = ["_", "gettext", "ngettext", "pgettext", "npgettext"];

/**
 * `captures` are the shared query's `names.*` captures (grammars/python/names.scm) plus the
 * `global` and `walrus` ones of bindings.scm; `text` is the source, for cheap pre-checks.
 */
export function nameFacts(root: Node, text: string, captures: readonly Parser.QueryCapture[]): NameFacts {
  try {
    const pre = prepass(captures);
    const builtinWrites = BUILTIN_HINT.test(text) ? builtinWritesIn(root, text) : [];
    if (pre.dynamic || root.hasError) return { unboundReads: [], builtinWrites };
    const walker = new Walker(pre.neverReport, pre.futureAnnotations);
    walker.block(root, walker.module, { emit: true, straight: true });
    return { unboundReads: walker.reads, builtinWrites };
  } catch (err) {
    // Generated code can nest expressions deeper than the stack: then nothing is certain.
    if (err instanceof RangeError) return { unboundReads: [], builtinWrites: [] };
    throw err;
  }
}

interface Prepass {
  /** `global x` anywhere (a function may bind x when called) and walrus targets (bound wherever they run). */
  neverReport: Set<string>;
  futureAnnotations: boolean;
  dynamic: boolean;
}

function prepass(captures: readonly Parser.QueryCapture[]): Prepass {
  const neverReport = new Set<string>();
  let futureAnnotations = false;
  let dynamic = false;
  for (const { name, node } of captures) {
    switch (name) {
      case "global":
      case "walrus":
        neverReport.add(node.text);
        break;
      case "names.future":
        if (node.text === "annotations") futureAnnotations = true;
        break;
      case "names.dynamic":
        if (DYNAMIC_CALLS.has(node.text) || !inFunction(node)) dynamic = true;
        break;
      case "names.handed":
        // Handed `__name__`, a callee can reach the module through sys.modules and bind anything
        // (`IntEnum._convert_('VerifyMode', __name__, ...)` binds every CERT_* constant in ssl.py).
        if (!NAME_SAFE_CALLEES.has((dottedName(node.childForFieldName("function")) ?? "").split(".").pop()!)) dynamic = true;
        break;
      case "names.frame":
        dynamic = true;
        break;
    }
  }
  return { neverReport, futureAnnotations, dynamic };
}

/**
 * Text that may write into builtins: `builtins.x = `, `__builtins__[...]`, `.__dict__`/`.update`
 * on it, `setattr(builtins, ...)`, `vars(builtins)`, gettext's `.install(`, or an alias of the
 * module. Only files that match (few) get the walk that names what they write.
 */
const BUILTINS_OBJECT = "(?:__builtins__|__builtin__|builtins)";
const BUILTIN_HINT = new RegExp(
  `\\b${BUILTINS_OBJECT}\\s*(?:\\.\\s*\\w+\\s*[-+*/%&|^@]?=(?!=)|\\[|\\.\\s*(?:__dict__|update)\\b)|(?:setattr|vars)\\s*\\(\\s*${BUILTINS_OBJECT}\\b|\\.install\\s*\\(|import\\s+(?:builtins|__builtin__)\\s+as\\b`,
);

/** BUILTIN_HINT's words, by word code: it needs one of them in the code. */
const BUILTIN_WORD = new Uint8Array(256);
for (const w of ["builtins", "__builtins__", "__builtin__", "install"] as const) BUILTIN_WORD[wordCode(w)] = 1;
const BUILTIN_WORD_TEXT = /builtin|install/;

/**
 * BUILTIN_HINT, tried only when one of its words is in the code: with the file's tokens, a
 * docstring or comment that mentions builtins does not count (an f-string with replacement fields
 * is code the tokenizer did not split, so there any mention does); without them, anywhere.
 */
export function mayWriteBuiltins(text: string, tokens?: Tokens): boolean {
  if (!text.includes("builtin") && !text.includes("install")) return false;
  if (tokens) {
    const { kind, code, start, end } = tokens;
    let seen = false;
    for (let k = 0; k < tokens.count && !seen; k++) {
      const kk = kind[k];
      if (kk === Tok.Name) seen = BUILTIN_WORD[code[k]!] === 1;
      else if (kk === Tok.Odd) seen = BUILTIN_WORD_TEXT.test(text.slice(start[k]!, end[k]!));
    }
    if (!seen) return false;
  }
  return BUILTIN_HINT.test(text);
}

/** Names stored into the builtins module (`builtins.x = ...`, `setattr(builtins, "x", ...)`, gettext's install). */
function builtinWritesIn(root: Node, text: string): string[] {
  const aliases = new Set(["__builtins__"]);
  for (const n of root.descendantsOfType(["import_statement", "import_from_statement"])) {
    const moduleNode = n.childForFieldName("module_name");
    for (const item of importNames(n)) {
      if (moduleNode && item.id === moduleNode.id) continue;
      const dotted = item.type === "aliased_import" ? item.childForFieldName("name") : item;
      if (!dotted || !BUILTINS_MODULES.has(dotted.text)) continue;
      aliases.add(item.type === "aliased_import" ? (item.childForFieldName("alias")?.text ?? dotted.text) : dotted.text);
    }
  }
  const writes: { object: string; name: string }[] = [];
  const writeTarget = (target: Node | null): void => {
    if (!target) return;
    if (target.type === "attribute") {
      const obj = target.childForFieldName("object");
      if (obj?.type === "identifier") writes.push({ object: obj.text, name: target.childForFieldName("attribute")?.text ?? "*" });
    } else if (target.type === "subscript") {
      const obj = target.childForFieldName("value");
      if (obj?.type === "identifier") writes.push({ object: obj.text, name: stringValue(target.childForFieldName("subscript")) ?? "*" });
    } else if (["pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression", "expression_list"].includes(target.type)) {
      for (const c of target.namedChildren) writeTarget(c);
    }
  };
  for (const n of root.descendantsOfType(["assignment", "augmented_assignment"])) writeTarget(n.childForFieldName("left"));
  for (const n of root.descendantsOfType("call")) {
    const fn = n.childForFieldName("function");
    if (fn?.type === "identifier" && fn.text === "vars") {
      const first = n.childForFieldName("arguments")?.namedChildren[0];
      if (first?.type === "identifier") writes.push({ object: first.text, name: "*" });
    } else if (fn?.type === "identifier" && fn.text === "setattr") {
      const args = n.childForFieldName("arguments")?.namedChildren ?? [];
      if (args[0]?.type === "identifier") writes.push({ object: args[0].text, name: stringValue(args[1]) ?? "*" });
    } else if (fn?.type === "attribute") {
      const attr = fn.childForFieldName("attribute")?.text;
      const obj = fn.childForFieldName("object");
      if (attr === "install") for (const name of GETTEXT_INSTALLS) writes.push({ object: "__builtins__", name });
      if (attr === "update" && obj?.type === "identifier") writes.push({ object: obj.text, name: "*" });
    }
  }
  // `builtins.__dict__` (like `vars(builtins)` above) handed to anything may be written through.
  if (text.includes("__dict__")) {
    for (const n of root.descendantsOfType("attribute")) {
      if (n.childForFieldName("attribute")?.text !== "__dict__") continue;
      const obj = n.childForFieldName("object");
      if (obj?.type === "identifier") writes.push({ object: obj.text, name: "*" });
    }
  }
  return [...new Set(writes.filter((w) => aliases.has(w.object)).map((w) => w.name))].sort();
}

class Walker {
  readonly reads: PyNameRead[] = [];
  readonly module: Scope = { kind: "module", bound: new Set() };
  /** Type parameters (PEP 695) of the generic defs and classes being walked. */
  private readonly typeParams: Set<string>[] = [];
  private readonly classes: ClassScope[] = [];
  /** Inside a container literal already checked for names. */
  private inLiteral = false;

  constructor(
    private readonly neverReport: ReadonlySet<string>,
    private readonly futureAnnotations: boolean,
  ) {}

  block(block: Node | null, scope: Scope, mode: Mode): void {
    if (!block) return;
    for (const stmt of block.namedChildren) this.statement(stmt, scope, mode);
  }

  private statement(stmt: Node, scope: Scope, mode: Mode): void {
    const inner: Mode = { emit: mode.emit, straight: false };
    const quiet: Mode = { emit: false, straight: false };
    switch (stmt.type) {
      case "expression_statement":
        for (const e of stmt.namedChildren) this.expressionStatement(e, scope, mode);
        return;
      case "decorated_definition": {
        for (const d of stmt.namedChildren) if (d.type === "decorator") for (const e of d.namedChildren) this.expr(e, scope, mode);
        const def = stmt.childForFieldName("definition");
        if (def) this.statement(def, scope, mode);
        return;
      }
      case "function_definition":
        this.functionDef(stmt, scope, mode);
        return;
      case "class_definition":
        this.classDef(stmt, scope, mode);
        return;
      case "import_statement":
        for (const item of importNames(stmt)) {
          const alias = item.type === "aliased_import" ? item.childForFieldName("alias") : null;
          const dotted = item.type === "aliased_import" ? item.childForFieldName("name") : item;
          const name = alias?.text ?? dotted?.namedChildren[0]?.text ?? dotted?.text;
          if (name) this.bind(name, scope);
        }
        return;
      case "import_from_statement":
      case "future_import_statement": {
        const moduleNode = stmt.childForFieldName("module_name");
        for (const item of importNames(stmt)) {
          if (moduleNode && item.id === moduleNode.id) continue;
          const target = item.type === "aliased_import" ? item.childForFieldName("alias") : item;
          if (target) this.bind(target.text, scope);
        }
        return;
      }
      case "delete_statement":
        for (const t of stmt.namedChildren) this.deleteTarget(t, scope, mode);
        return;
      case "assert_statement": {
        // The message is evaluated only when the assertion fails.
        const cond = stmt.namedChildren.find((c) => c.type !== "comment");
        if (cond) this.expr(cond, scope, mode);
        return;
      }
      case "raise_statement":
        for (const c of stmt.namedChildren) this.expr(c, scope, mode);
        return;
      case "type_alias_statement": {
        // The value is evaluated lazily, on first access to `__value__`.
        const left = stmt.childForFieldName("left");
        const id = left ? firstIdentifier(left) : undefined;
        if (id) this.bind(id.text, scope);
        return;
      }
      case "if_statement":
        this.ifStatement(stmt, scope, mode);
        return;
      case "for_statement": {
        this.expr(stmt.childForFieldName("right"), scope, mode);
        this.target(stmt.childForFieldName("left"), scope, quiet);
        const body = stmt.childForFieldName("body");
        this.block(body, scope, quiet);
        this.loopElse(stmt, body, scope, inner);
        return;
      }
      case "while_statement": {
        this.expr(stmt.childForFieldName("condition"), scope, mode);
        this.block(stmt.childForFieldName("body"), scope, quiet);
        // An endless loop never reaches its else clause; a finite one is beyond what snag decides.
        this.block(stmt.childForFieldName("alternative")?.childForFieldName("body") ?? null, scope, quiet);
        return;
      }
      case "try_statement":
        for (const c of stmt.namedChildren) {
          if (c.type === "block") this.block(c, scope, inner);
          else if (c.type === "except_clause" || c.type === "except_group_clause") {
            const value = c.childForFieldName("value");
            const alias = value?.type === "as_pattern" ? value.childForFieldName("alias") : c.childForFieldName("alias");
            // The except name is deleted when the handler ends; until then it may be bound.
            this.target(alias?.type === "as_pattern_target" ? alias.namedChildren[0] ?? null : alias, scope, quiet);
            for (const b of c.namedChildren) if (b.type === "block") this.block(b, scope, quiet);
          } else if (c.type === "else_clause") this.block(c.childForFieldName("body") ?? c.namedChildren.find((b) => b.type === "block") ?? null, scope, quiet);
          else if (c.type === "finally_clause") for (const b of c.namedChildren) if (b.type === "block") this.block(b, scope, inner);
        }
        return;
      case "with_statement": {
        const clause = stmt.namedChildren.find((c) => c.type === "with_clause");
        let transparent = true;
        for (const item of clause?.namedChildren ?? []) {
          const value = item.childForFieldName("value");
          const manager = value?.type === "as_pattern" ? value.namedChildren[0] : value;
          if (manager?.type !== "call" || !TRANSPARENT_MANAGERS.has(dottedName(manager.childForFieldName("function")) ?? "")) transparent = false;
          this.expr(manager ?? null, scope, mode);
          if (value?.type === "as_pattern") {
            const alias = value.childForFieldName("alias");
            this.target(alias?.namedChildren[0] ?? alias, scope, mode);
          }
        }
        this.block(stmt.childForFieldName("body"), scope, transparent ? inner : quiet);
        return;
      }
      case "match_statement": {
        this.expr(stmt.childForFieldName("subject"), scope, mode);
        const body = stmt.childForFieldName("body");
        for (const clause of body?.namedChildren ?? []) {
          if (clause.type !== "case_clause") continue;
          for (const c of clause.namedChildren) {
            if (c.type === "case_pattern") for (const id of identifiersIn(c)) this.bind(id.text, scope);
            else if (c.type === "block") this.block(c, scope, quiet);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private expressionStatement(e: Node, scope: Scope, mode: Mode): void {
    if (e.type === "assignment") {
      const targets: Node[] = [];
      let node: Node | null = e;
      let annotation: Node | null = null;
      while (node?.type === "assignment") {
        const left = node.childForFieldName("left");
        if (left) targets.push(left);
        annotation ??= node.childForFieldName("type");
        const right: Node | null = node.childForFieldName("right");
        if (!right) {
          // `x: T` binds nothing; `a.b: T` / `a[i]: T` still evaluate `a` (and `i`), as part of
          // the annotation (whether 3.14 still does is not worth a guess).
          const only = targets[0];
          if (only?.type === "attribute") this.expr(only.childForFieldName("object"), scope, mode, true);
          else if (only?.type === "subscript") for (const c of only.namedChildren) this.expr(c, scope, mode, true);
          this.annotation(annotation, scope, mode);
          return;
        }
        if (right.type === "assignment") node = right;
        else {
          this.expr(right, scope, mode);
          node = null;
        }
      }
      for (const t of targets) this.target(t, scope, mode);
      // CPython evaluates a variable annotation after the value is stored.
      this.annotation(annotation, scope, mode);
      return;
    }
    if (e.type === "augmented_assignment") {
      const left = e.childForFieldName("left");
      if (left?.type === "identifier") this.read(left, scope, mode);
      else if (left) this.target(left, scope, mode, false);
      this.expr(e.childForFieldName("right"), scope, mode);
      if (left?.type === "identifier") this.bind(left.text, scope);
      return;
    }
    this.expr(e, scope, mode);
  }

  private functionDef(def: Node, scope: Scope, mode: Mode): void {
    const typeParams = typeParameterNames(def);
    if (typeParams) this.typeParams.push(typeParams);
    const params = def.childForFieldName("parameters")?.namedChildren ?? [];
    // Defaults first, then annotations (CPython's order), then the name is bound.
    for (const p of params) if (p.type === "default_parameter" || p.type === "typed_default_parameter") this.expr(p.childForFieldName("value"), scope, mode);
    for (const p of params) if (p.type === "typed_parameter" || p.type === "typed_default_parameter") this.annotation(p.childForFieldName("type"), scope, mode);
    this.annotation(def.childForFieldName("return_type"), scope, mode);
    if (typeParams) this.typeParams.pop();
    const name = def.childForFieldName("name");
    if (name) this.bind(name.text, scope);
  }

  private classDef(cls: Node, scope: Scope, mode: Mode): void {
    const typeParams = typeParameterNames(cls);
    if (typeParams) this.typeParams.push(typeParams);
    const args = cls.childForFieldName("superclasses");
    for (const a of args?.namedChildren ?? []) this.expr(a, scope, mode);
    const body: ClassScope = { kind: "class", bound: new Set(["__module__", "__qualname__"]), line: cls.startPosition.row + 1, column: cls.startPosition.column + 1, reads: [], hiddenFrom: [] };
    this.classes.push(body);
    this.block(cls.childForFieldName("body"), body, { emit: mode.emit, straight: true });
    this.classes.pop();
    const names = [...body.bound].filter((n) => !isDunder(n)).sort();
    for (const r of body.reads) r.classNames = names;
    for (const r of body.hiddenFrom) r.hiddenNames = [...new Set([...(r.hiddenNames ?? []), ...names])].sort();
    if (typeParams) this.typeParams.pop();
    const name = cls.childForFieldName("name");
    if (name) this.bind(name.text, scope);
  }

  private ifStatement(stmt: Node, scope: Scope, mode: Mode): void {
    // Branches decided without knowing the target (TYPE_CHECKING, __main__, literals) are walked
    // only when they can run; the others may run, so what they bind may be bound afterwards.
    let earlierTrue = false;
    let allEarlierFalse = true;
    const branch = (cond: Node | null, body: Node | null): void => {
      if (earlierTrue) return;
      let value: boolean | undefined = true;
      if (cond) {
        this.expr(cond, scope, mode);
        value = staticValue(condOf(cond));
      }
      if (value === false) return;
      const certain = value === true && allEarlierFalse;
      this.block(body, scope, certain ? mode : { emit: mode.emit, straight: false });
      if (value === true) earlierTrue = true;
      else allEarlierFalse = false;
    };
    branch(stmt.childForFieldName("condition"), stmt.childForFieldName("consequence"));
    for (const clause of stmt.namedChildren) {
      if (clause.type === "elif_clause") branch(clause.childForFieldName("condition"), clause.childForFieldName("consequence"));
      else if (clause.type === "else_clause") branch(null, clause.childForFieldName("body") ?? clause.namedChildren.find((b) => b.type === "block") ?? null);
    }
  }

  /** A for loop's else clause runs when the loop ends without `break`. */
  private loopElse(stmt: Node, body: Node | null, scope: Scope, mode: Mode): void {
    const alternative = stmt.childForFieldName("alternative");
    if (!alternative) return;
    const block = alternative.childForFieldName("body") ?? alternative.namedChildren.find((b) => b.type === "block") ?? null;
    this.block(block, scope, body && hasBreak(body) ? { emit: false, straight: false } : mode);
  }

  private deleteTarget(t: Node, scope: Scope, mode: Mode): void {
    if (t.type === "identifier") {
      // `del x` reads x first: NameError when it is unbound.
      this.read(t, scope, mode);
      if (mode.straight) this.unbind(t.text, scope);
    } else if (["expression_list", "tuple", "list", "parenthesized_expression"].includes(t.type)) {
      for (const c of t.namedChildren) this.deleteTarget(c, scope, mode);
    } else this.target(t, scope, mode, false);
  }

  /** An assignment target: binds its names, evaluates the objects of attribute and subscript targets. */
  private target(t: Node | null, scope: Scope, mode: Mode, bind = true): void {
    if (!t) return;
    switch (t.type) {
      case "identifier":
        if (bind) this.bind(t.text, scope);
        return;
      case "attribute":
        this.expr(t.childForFieldName("object"), scope, mode);
        return;
      case "subscript":
        this.expr(t.childForFieldName("value"), scope, mode);
        for (const s of subscripts(t)) this.expr(s, scope, mode);
        return;
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
      case "parenthesized_expression":
      case "expression_list":
      case "list_splat_pattern":
      case "list_splat":
        for (const c of t.namedChildren) this.target(c, scope, mode, bind);
        return;
      default:
        return;
    }
  }

  private annotation(node: Node | null, scope: Scope, mode: Mode): void {
    // PEP 563 keeps every annotation a string; annotations inside function bodies never run.
    if (!node || this.futureAnnotations) return;
    this.typeExpr(node, scope, mode);
  }

  private typeExpr(node: Node, scope: Scope, mode: Mode): void {
    switch (node.type) {
      case "type":
      case "generic_type":
      case "type_parameter":
      case "union_type":
      case "constrained_type":
      case "splat_type":
        for (const c of node.namedChildren) this.typeExpr(c, scope, mode);
        return;
      case "member_type": {
        const first = node.namedChildren[0];
        if (first) this.typeExpr(first, scope, mode);
        return;
      }
      case "identifier":
        this.read(node, scope, mode, true);
        return;
      default:
        this.expr(node, scope, mode, true);
    }
  }

  private expr(node: Node | null, scope: Scope, mode: Mode, annotation = false): void {
    if (!node || !mode.emit) return;
    switch (node.type) {
      case "identifier":
        this.read(node, scope, mode, annotation);
        return;
      case "attribute":
        this.expr(node.childForFieldName("object"), scope, mode, annotation);
        return;
      case "call": {
        this.expr(node.childForFieldName("function"), scope, mode, annotation);
        const args = node.childForFieldName("arguments");
        if (args?.type === "generator_expression") this.expr(args, scope, mode, annotation);
        else for (const a of args?.namedChildren ?? []) this.expr(a, scope, mode, annotation);
        return;
      }
      case "keyword_argument":
        this.expr(node.childForFieldName("value"), scope, mode, annotation);
        return;
      case "lambda":
        // Only the defaults run when the lambda is created.
        for (const p of node.childForFieldName("parameters")?.namedChildren ?? []) {
          if (p.type === "default_parameter") this.expr(p.childForFieldName("value"), scope, mode, annotation);
        }
        return;
      case "generator_expression": {
        // The first iterable is evaluated when the generator is created; the rest runs lazily.
        const first = node.namedChildren.find((c) => c.type === "for_in_clause");
        this.expr(first?.childForFieldName("right") ?? null, scope, mode, annotation);
        return;
      }
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
        this.comprehension(node, scope, mode, annotation);
        return;
      case "string":
        this.fstring(node, scope, mode, annotation);
        return;
      case "named_expression":
        this.expr(node.childForFieldName("value"), scope, mode, annotation);
        return;
      case "type":
        this.typeExpr(node, scope, mode);
        return;
      case "tuple":
      case "list":
      case "set":
      case "dictionary":
        // Data tables (thousands of literals) are common at module level: skip one without names.
        if (!this.inLiteral) {
          if (node.descendantsOfType("identifier").length === 0) return;
          this.inLiteral = true;
          for (const c of node.namedChildren) if (c.type !== "comment") this.expr(c, scope, mode, annotation);
          this.inLiteral = false;
          return;
        }
        for (const c of node.namedChildren) if (c.type !== "comment") this.expr(c, scope, mode, annotation);
        return;
      case "conditional_expression":
      case "boolean_operator":
      case "binary_operator":
      case "comparison_operator":
      case "unary_operator":
      case "not_operator":
      case "parenthesized_expression":
      case "pair":
      case "expression_list":
      case "subscript":
      case "slice":
      case "await":
      case "concatenated_string":
      case "list_splat":
      case "dictionary_splat":
      case "parenthesized_list_splat":
        for (const c of node.namedChildren) if (c.type !== "comment") this.expr(c, scope, mode, annotation);
        return;
      default:
        // Anything else (literals, yield, forms snag does not model) reads nothing it reports.
        return;
    }
  }

  private fstring(node: Node, scope: Scope, mode: Mode, annotation: boolean): void {
    // Only f-strings (and t-strings) evaluate anything; the others may hold thousands of escapes.
    if (node.type === "string" && !/[fFtT]/.test(node.firstNamedChild?.text ?? "")) return;
    for (const part of node.namedChildren) {
      if (part.type === "interpolation") {
        this.expr(part.childForFieldName("expression"), scope, mode, annotation);
        const spec = part.childForFieldName("format_specifier");
        if (spec) this.fstring(spec, scope, mode, annotation);
      } else if (part.type === "format_expression") {
        this.expr(part.childForFieldName("expression"), scope, mode, annotation);
      }
    }
  }

  private comprehension(node: Node, scope: Scope, mode: Mode, annotation: boolean): void {
    const clauses = node.namedChildren.filter((c) => c.type === "for_in_clause" || c.type === "if_clause");
    const first = clauses[0];
    if (first?.type !== "for_in_clause") return;
    const iterable = first.childForFieldName("right");
    this.expr(iterable, scope, mode, annotation);
    // The body runs only for a non-empty iterable, and sees its own loop variables, then globals
    // (never the class body it sits in).
    if (clauses.length !== 1 || !iterable || !this.nonEmpty(iterable, scope)) return;
    const vars = new Set(targetIdentifiers(first.childForFieldName("left")).map((id) => id.text));
    this.expr(node.childForFieldName("body"), { kind: "comprehension", vars, outer: scope }, mode, annotation);
  }

  /** A literal that certainly has elements: `[1, 2]`, `"ab"`, `range(3)` (when `range` is the builtin). */
  private nonEmpty(node: Node, scope: Scope): boolean {
    const items = node.namedChildren.filter((c) => c.type !== "comment");
    switch (node.type) {
      case "list":
      case "tuple":
      case "set":
        return items.length > 0 && items.every((c) => c.type !== "list_splat" && c.type !== "parenthesized_list_splat");
      case "dictionary":
        return items.length > 0 && items.every((c) => c.type === "pair");
      case "string":
        return (stringValue(node) ?? "").length > 0;
      case "call": {
        const fn = node.childForFieldName("function");
        const args = node.childForFieldName("arguments")?.namedChildren ?? [];
        return fn?.type === "identifier" && fn.text === "range" && !this.lookup("range", scope) && args.length === 1 && args[0]!.type === "integer" && Number(args[0]!.text.replace(/_/g, "")) > 0;
      }
      default:
        return false;
    }
  }

  private read(id: Node, scope: Scope, mode: Mode, annotation = false): void {
    if (!mode.emit) return;
    const name = id.text;
    // Inside a class, `__x` is mangled to `_Class__x`, which the module may bind under that name.
    if (this.classes.length > 0 && name.startsWith("__") && !isDunder(name)) return;
    if (ALWAYS_BUILTIN.has(name) || this.neverReport.has(name) || this.typeParams.some((s) => s.has(name)) || this.lookup(name, scope)) return;
    const read: PyNameRead = { name, line: id.startPosition.row + 1, column: id.startPosition.column + 1, context: contextOf(id) };
    if (annotation) read.annotation = true;
    if (scope.kind === "class") {
      read.classScope = { line: scope.line, column: scope.column };
      scope.reads.push(read);
    }
    for (const c of this.classes) if (c !== scope) c.hiddenFrom.push(read);
    this.reads.push(read);
  }

  /** May `name` be bound where `scope` looks it up? A class body falls back to globals, skipping enclosing classes. */
  private lookup(name: string, scope: Scope): boolean {
    switch (scope.kind) {
      case "comprehension":
        if (scope.vars.has(name)) return true;
        return this.lookup(name, scope.outer.kind === "class" ? this.module : scope.outer);
      case "class":
        return scope.bound.has(name) || this.lookup(name, this.module);
      case "module":
        return scope.bound.has(name);
    }
  }

  private bind(name: string, scope: Scope): void {
    if (scope.kind === "comprehension") scope.vars.add(name);
    else scope.bound.add(name);
  }

  private unbind(name: string, scope: Scope): void {
    if (scope.kind !== "comprehension") scope.bound.delete(name);
  }
}

function inFunction(node: Node): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === "function_definition" || p.type === "lambda") && p.childForFieldName("body")?.id === child.id) return true;
  }
  return false;
}

function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith("__") && name.endsWith("__");
}

/** Evaluate what does not depend on the target: TYPE_CHECKING and `__name__ == "__main__"` are false on import. */
function staticValue(cond: Cond): boolean | undefined {
  switch (cond.k) {
    case "bool":
      return cond.v;
    case "type-checking":
    case "main":
      return false;
    case "not": {
      const v = staticValue(cond.x);
      return v === undefined ? undefined : !v;
    }
    case "and": {
      const vs = cond.xs.map(staticValue);
      return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true;
    }
    case "or": {
      const vs = cond.xs.map(staticValue);
      return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false;
    }
    default:
      return undefined;
  }
}

function typeParameterNames(def: Node): Set<string> | undefined {
  const params = def.childForFieldName("type_parameters");
  if (!params) return undefined;
  const out = new Set<string>();
  for (const t of params.namedChildren) {
    const id = firstIdentifier(t);
    if (id) out.add(id.text);
  }
  return out;
}

function firstIdentifier(node: Node): Node | undefined {
  if (node.type === "identifier") return node;
  for (const c of node.namedChildren) {
    const id = firstIdentifier(c);
    if (id) return id;
  }
  return undefined;
}

function identifiersIn(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === "identifier") out.push(n);
    for (const c of n.namedChildren) visit(c);
  };
  visit(node);
  return out;
}

function targetIdentifiers(node: Node | null): Node[] {
  if (!node) return [];
  if (node.type === "identifier") return [node];
  if (["pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "parenthesized_expression", "expression_list", "list_splat_pattern", "list_splat"].includes(node.type)) {
    return node.namedChildren.flatMap(targetIdentifiers);
  }
  return [];
}

/** A `break` that leaves this loop (not one of a nested loop, function or class). */
function hasBreak(body: Node): boolean {
  for (const c of body.namedChildren) {
    if (c.type === "break_statement") return true;
    if (["for_statement", "while_statement", "function_definition", "class_definition", "decorated_definition", "lambda"].includes(c.type)) {
      // A nested loop's else clause still belongs to this loop's body.
      const alternative = c.type === "for_statement" || c.type === "while_statement" ? c.childForFieldName("alternative") : null;
      if (alternative && hasBreak(alternative)) return true;
      continue;
    }
    if (hasBreak(c)) return true;
  }
  return false;
}
