/**
 * Facts of a module read off its tokens without tree-sitter, exactly as extract.ts and names.ts
 * would build them (same fields, same order, same positions), once reduce.ts has left its bodies
 * out. It takes a docstring, imports, an `if TYPE_CHECKING:` block of imports, `name = ...` and
 * annotated assignments, `__all__` as a list of plain strings, plain expression statements, an
 * `if __name__ == "__main__":` block of them, classes with plain or subscripted bases whose bodies
 * hold such assignments and defs, and defs with plain decorators whose bodies were left out.
 * Every name read must be bound before or a builtin (else names.ts would have a finding to make)
 * and the recognizer vouches for every expression; anything else, or any doubt, returns undefined
 * and the file is parsed. test/reduce-bodies.test.ts and test/speed-paths.test.ts hold both ways
 * equal, and many `__init__.py` files, test files and small modules are taken.
 */
import { ALWAYS_BUILTIN } from "./builtin-names.js";
import { EXITS } from "./context.js";
import { emptyFacts, NONE, type Ctx, type DunderAll, type Handler, type ImportedName, type PyBase, type PyBinding, type PyClass, type PyFileFacts, type PyImport } from "./facts.js";
import type { Reduction, Region } from "./reduce.js";
import { Recognizer } from "./recognize.js";
import { blockEnd, isPlainName, opCode, Tok, wordCode } from "./tokens.js";

const IMPORT = wordCode("import");
const FROM = wordCode("from");
const AS = wordCode("as");
const IF = wordCode("if");
const ELIF = wordCode("elif");
const ELSE = wordCode("else");
const CLASS = wordCode("class");
const DEF = wordCode("def");
const PASS = wordCode("pass");
const PRINT = wordCode("print");
const TRY = wordCode("try");
const EXCEPT = wordCode("except");
const FINALLY = wordCode("finally");
const FUTURE = wordCode("__future__");
const DOT = opCode(".");
const ELLIPSIS = opCode("...");
const COMMA = opCode(",");
const LPAR = opCode("(");
const RPAR = opCode(")");
const COLON = opCode(":");
const STAR = opCode("*");
const EQUAL = opCode("=");
const EQEQ = opCode("==");
const LSQB = opCode("[");
const RSQB = opCode("]");
const AT = opCode("@");
const ARROW = opCode("->");
const SLASH = opCode("/");
const DOUBLE_STAR = opCode("**");
const WALRUS = opCode(":=");
const OPENERS = new Set(["(", "[", "{"].map(opCode));
const CLOSERS = new Set([")", "]", "}"].map(opCode));
/**
 * The keywords of tokens.ts's list an expression may hold: plain operators and constants. Of its
 * other words, only NAME_WORDS anywhere, ATTRIBUTE_WORDS after a dot and a bare `__name__` are
 * taken; every other one (imports, lambdas and comprehensions with their own scopes, the names
 * namespace writes, dynamic imports and markers hang on) sends the file to tree-sitter.
 */
const EXPRESSION_WORDS = new Set((["None", "True", "False", "and", "or", "not", "in", "is", "if", "else"] as const).map(wordCode));
/**
 * Words of tokens.ts's list that are plain names in an expression: soft keywords (the file is
 * not version-sensitive, or reduce.ts would not have run), `print`, and names that matter only
 * beside others (`sys.modules[__name__]`). A bare `__name__` is taken where no query sees it (expressionReads).
 */
const NAME_WORDS = new Set((["type", "print", "match", "case", "modules", "annotations"] as const).map(wordCode));
/**
 * Words that are plain as an attribute's name (`cls.__name__`, `df.eval`, `monkeypatch.setattr`):
 * names.scm and bindings.scm match them only as a bare identifier. Not `import_module` or
 * `importorskip` (a dynamic import's callee), `mark` or `addinivalue_line` (markers), the frame's
 * `f_globals`/`f_locals`, or the builtins words.
 */
const ATTRIBUTE_WORDS = new Set((["__name__", "exec", "execfile", "eval", "locals", "globals", "vars", "setattr"] as const).map(wordCode));
const DUNDER_NAME = wordCode("__name__");


const FUTURE_FEATURES = new Set([
  "nested_scopes", "generators", "division", "absolute_import", "with_statement", "print_function",
  "unicode_literals", "barry_as_FLUFL", "generator_stop", "annotations",
]);

class NotSimple {}
const NOT_SIMPLE = new NotSimple();

export function simpleFacts(reduction: Reduction, text: string, encoding: string): PyFileFacts | undefined {
  try {
    return new SimpleModule(reduction, text).facts(encoding);
  } catch (err) {
    if (err === NOT_SIMPLE) return undefined;
    throw err;
  }
}

class SimpleModule {
  private p = 0;
  /** Offsets where lines start, made when the first position is asked for (most files are not simple). */
  private lineStarts: number[] | undefined;
  /** Each left-out stretch by its start: a body reduce.ts left out whole spans to its last NEWLINE. */
  private readonly regionAt = new Map<number, Region>();
  private readonly imports: PyImport[] = [];
  private readonly bindings: PyBinding[] = [];
  private readonly classes: PyClass[] = [];
  /** Names bound so far where names.ts's walker would see them (not inside TYPE_CHECKING). */
  private readonly bound = new Set<string>();
  private hasModuleGetattr = false;
  private dunderAll: DunderAll | undefined;
  /** While a class body is read: the names it has bound so far, and the context its methods' bodies are in. */
  private classNames: Set<string> | undefined;
  private classContext: Ctx | undefined;
  /** For assigned expressions, def headers and decorators, made when the first one is met. */
  private recognizer: Recognizer | undefined;
  /** Inside a block names.ts walks without reporting reads (an except or else clause). */
  private quiet = false;
  /** `from __future__ import annotations` seen, where names.ts would see it: annotations are then never read. */
  private futureAnnotations = false;

  constructor(
    private readonly r: Reduction,
    private readonly text: string,
  ) {
    for (const region of r.regions) this.regionAt.set(region.start, region);
  }

  facts(encoding: string): PyFileFacts {
    const t = this.r.tokens;
    let leading = true;
    let first = true;
    while (t.kind[this.p] !== Tok.End) {
      const k = this.p;
      const w = this.word();
      if (t.kind[k] === Tok.String) {
        // A string statement; only a first one of one literal is the docstring future imports may follow.
        while (t.kind[this.p] === Tok.String) {
          if (t.bytes[this.p] !== t.bytes[k]) throw NOT_SIMPLE; // bytes and str do not concatenate
          this.p++;
        }
        this.newline();
        if (!first || this.p - k !== 2) leading = false;
      } else if (w === IMPORT) {
        this.importStatement(NONE);
        leading = false;
      } else if (w === FROM) {
        const future = this.word(k + 1) === FUTURE;
        if (future && !leading) throw NOT_SIMPLE;
        this.fromStatement(NONE, future);
        if (!future) leading = false;
      } else if (w === IF) {
        if (this.textOf(k + 1) === "__name__") this.mainBlock();
        else this.typeChecking();
        leading = false;
      } else if (w === CLASS) {
        this.classStatement();
        leading = false;
      } else if (w === TRY) {
        this.tryStatement();
        leading = false;
      } else if (w === DEF) {
        this.defStatement();
        leading = false;
      } else if (this.isOp(AT)) {
        this.decorated();
        leading = false;
      } else if (isPlainName(t, k) && (this.isOp(EQUAL, k + 1) || this.isOp(COLON, k + 1))) {
        this.assignment();
        leading = false;
      } else if (this.startsExpression(k)) {
        this.expressionStatement();
        leading = false;
      } else throw NOT_SIMPLE;
      first = false;
    }
    const byPos = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line - b.line || a.column - b.column;
    return {
      ...emptyFacts(encoding),
      lineCount: this.lines().length,
      imports: this.imports.sort(byPos),
      bindings: this.bindings.sort(byPos),
      hasModuleGetattr: this.hasModuleGetattr,
      classes: this.classes,
      ...(this.dunderAll ? { dunderAll: this.dunderAll } : {}),
    };
  }

  // ---- tokens ----

  private word(k = this.p): number {
    return this.r.tokens.kind[k] === Tok.Name ? this.r.tokens.code[k]! : -1;
  }
  private isOp(op: number, k = this.p): boolean {
    return this.r.tokens.kind[k] === Tok.Op && this.r.tokens.code[k] === op;
  }
  private expectOp(op: number): void {
    if (!this.isOp(op)) throw NOT_SIMPLE;
    this.p++;
  }
  private newline(): void {
    if (this.r.tokens.kind[this.p] !== Tok.Newline) throw NOT_SIMPLE;
    this.p++;
  }
  /** A plain name token: its index. */
  private name(): number {
    if (!isPlainName(this.r.tokens, this.p)) throw NOT_SIMPLE;
    return this.p++;
  }
  private textOf(from: number, to = from): string {
    return this.text.slice(this.r.tokens.start[from], this.r.tokens.end[to]);
  }
  private lines(): number[] {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    }
    return this.lineStarts;
  }
  /** 1-based line and column (UTF-16 units) of the token `k`. */
  private pos(k: number): { line: number; column: number } {
    const starts = this.lines();
    const offset = this.r.tokens.start[k]!;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
  /** `a.b.c`: first and last token. */
  private dotted(): [number, number] {
    const first = this.name();
    let last = first;
    while (this.isOp(DOT)) {
      this.p++;
      last = this.name();
    }
    return [first, last];
  }
  private dottedText(first: number, last: number): string {
    return this.textOf(first, last).replace(/\s+/g, "");
  }

  // ---- statements ----

  /** `binds`: false in a function body, whose names the module never sees. */
  private importStatement(context: readonly Ctx[], binds = true): void {
    this.p++;
    const found: { imp: PyImport; target: number }[] = [];
    for (;;) {
      const [first, last] = this.dotted();
      const imp: PyImport = { kind: "import", module: this.dottedText(first, last), level: 0, names: NONE, ...this.pos(first), endLine: 0, context };
      let target = first;
      if (this.word() === AS) {
        this.p++;
        target = this.name();
        imp.alias = this.textOf(target);
      }
      found.push({ imp, target });
      if (!this.isOp(COMMA)) break;
      this.p++;
    }
    this.newline();
    const endLine = this.pos(this.p - 2).line;
    for (const { imp, target } of found) {
      imp.endLine = endLine;
      this.imports.push(imp);
      if (binds) this.bind(target, "import", context);
    }
  }

  private fromStatement(context: readonly Ctx[], future: boolean, binds = true): void {
    const start = this.p;
    this.p++;
    let level = 0;
    let module = "";
    if (future) {
      this.p++;
      module = "__future__";
    } else {
      while (this.isOp(DOT) || this.isOp(ELLIPSIS)) {
        level += this.isOp(DOT) ? 1 : 3;
        this.p++;
      }
      if (this.word() !== IMPORT) {
        const [first, last] = this.dotted();
        module = this.dottedText(first, last);
      } else if (level === 0) throw NOT_SIMPLE;
    }
    if (this.word() !== IMPORT) throw NOT_SIMPLE;
    this.p++;
    if (this.isOp(STAR)) {
      // `from m import *` binds no name this file can see (reads after it that nothing else binds
      // are names.ts's candidates, so such a file is not simple); the fact names `*` where it stands.
      if (future || !binds) throw NOT_SIMPLE; // only allowed at module level
      const star = this.p++;
      this.newline();
      this.imports.push({ kind: "from", module, level, names: [{ name: "*", ...this.pos(star) }], ...this.pos(start), endLine: this.pos(star).line, context });
      return;
    }
    const parenthesised = this.isOp(LPAR);
    if (parenthesised) this.p++;
    const names: ImportedName[] = [];
    const targets: number[] = [];
    for (;;) {
      const item = this.name();
      const n: ImportedName = { name: this.textOf(item), ...this.pos(item) };
      let target = item;
      if (this.word() === AS) {
        this.p++;
        target = this.name();
        n.alias = this.textOf(target);
      }
      if (future && !FUTURE_FEATURES.has(n.name)) throw NOT_SIMPLE;
      if (future && n.name === "annotations") this.futureAnnotations = true;
      names.push(n);
      targets.push(target);
      if (!this.isOp(COMMA)) break;
      this.p++;
      if (parenthesised && this.isOp(RPAR)) break;
      if (!parenthesised && this.r.tokens.kind[this.p] === Tok.Newline) throw NOT_SIMPLE;
    }
    if (parenthesised) this.expectOp(RPAR);
    this.newline();
    this.imports.push({ kind: future ? "future" : "from", module, level, names, ...this.pos(start), endLine: this.pos(this.p - 2).line, context });
    if (!future && binds) for (const target of targets) this.bind(target, "import", context);
  }

  /** `if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:` over a block of imports, and nothing else. */
  private typeChecking(): void {
    const start = this.p;
    this.p++;
    const [first, last] = this.dotted();
    if (this.textOf(last) !== "TYPE_CHECKING") throw NOT_SIMPLE;
    this.read(first);
    this.expectOp(COLON);
    this.newline();
    if (this.r.tokens.kind[this.p] !== Tok.Indent) throw NOT_SIMPLE;
    this.p++;
    const context: Ctx[] = [{ kind: "if", line: this.pos(start).line, cond: { k: "type-checking" }, want: true }];
    // names.ts does not walk a branch that never runs: these imports bind nothing for later reads.
    const saved = new Set(this.bound);
    while (this.r.tokens.kind[this.p] !== Tok.Dedent) {
      const w = this.word();
      if (w === IMPORT) this.importStatement(context);
      else if (w === FROM && this.word(this.p + 1) !== FUTURE) this.fromStatement(context, false);
      else throw NOT_SIMPLE;
    }
    this.p++;
    this.bound.clear();
    for (const n of saved) this.bound.add(n);
    if (this.word() === ELIF || this.word() === ELSE) throw NOT_SIMPLE;
  }

  /**
   * Token `k` may start an expression statement: a name that is no keyword, or `print` (a Python 2
   * print statement makes the file version-sensitive, or the recognizer refuses it).
   */
  private startsExpression(k: number): boolean {
    const t = this.r.tokens;
    return t.kind[k] === Tok.Name && (t.code[k] === 0 || t.code[k] === PRINT);
  }

  /**
   * A statement that is an expression of the plain kind (`setup(...)`, `log.info(...)`): its
   * reads. Only `__all__.extend(...)` and `__all__.append(...)` would make a fact of one.
   */
  private expressionStatement(): void {
    const t = this.r.tokens;
    const start = this.p;
    const end = this.statementEnd(start);
    for (let k = start; k < end; k++) if (t.kind[k] === Tok.Name && this.textOf(k) === "__all__") throw NOT_SIMPLE;
    this.expressionReads(start, end, true);
    if (!this.recognize().expression(start, end)) throw NOT_SIMPLE;
    this.p = end + 1;
  }

  /** `if __name__ == "__main__":` over expression statements (or `pass`), and nothing else: no fact comes of it. */
  private mainBlock(): void {
    const t = this.r.tokens;
    const k = this.p;
    const value = this.textOf(k + 3);
    if (!this.isOp(EQEQ, k + 2) || t.kind[k + 3] !== Tok.String || (value !== '"__main__"' && value !== "'__main__'") || !this.isOp(COLON, k + 4)) throw NOT_SIMPLE;
    this.p = k + 5;
    this.newline();
    if (t.kind[this.p] !== Tok.Indent) throw NOT_SIMPLE;
    this.p++;
    while (t.kind[this.p] !== Tok.Dedent) {
      if (this.word() === PASS) {
        this.p++;
        this.newline();
      } else if (this.startsExpression(this.p)) this.expressionStatement();
      else throw NOT_SIMPLE;
    }
    this.p++;
    if (this.word() === ELIF || this.word() === ELSE) throw NOT_SIMPLE;
  }

  /**
   * `try:` over a block simpleBlock() takes, then `except` clauses (bare, a dotted name or a
   * one-line tuple of them, `as name`) and an optional `else:`, each over such a block, and no
   * `finally`. The body's facts are in the try's context, with every handler as context.ts reads
   * it; each clause's facts in its own. names.ts walks the clauses quietly (no read reported) and
   * may see an `as` name bound after them. A handler that could exit would raise "always": none
   * is taken.
   */
  private tryStatement(): void {
    const line = this.pos(this.p).line;
    this.p++;
    this.expectOp(COLON);
    this.newline();
    const handlers: Handler[] = [];
    this.simpleBlock([{ kind: "try", line, handlers }]);
    const quiet = this.quiet;
    while (this.word() === EXCEPT) {
      // A bare `except:` must be the last.
      if (handlers[handlers.length - 1]?.bare) throw NOT_SIMPLE;
      const handlerLine = this.pos(this.p).line;
      this.p++;
      const catches: string[] = [];
      let alias: number | undefined;
      if (!this.isOp(COLON)) {
        const open = this.isOp(LPAR) ? this.p++ : undefined;
        for (;;) {
          const [, last] = this.dotted();
          catches.push(this.textOf(last));
          if (open === undefined || !this.isOp(COMMA)) break;
          this.p++;
          if (this.isOp(RPAR)) break;
        }
        if (open !== undefined) {
          // On one line, no comment can be in the tuple (tree-sitter would name it a child).
          if (this.pos(this.p).line !== this.pos(open).line) throw NOT_SIMPLE;
          this.expectOp(RPAR);
        }
        if (this.word() === AS) {
          this.p++;
          alias = this.name();
        }
      }
      this.expectOp(COLON);
      this.newline();
      if (alias !== undefined) this.bound.add(this.textOf(alias));
      this.quiet = true;
      this.simpleBlock([{ kind: "handler", line: handlerLine }], true);
      this.quiet = quiet;
      handlers.push({ line: handlerLine, catches, bare: catches.length === 0, raises: "never" });
    }
    if (handlers.length === 0) throw NOT_SIMPLE;
    if (this.word() === ELSE) {
      const elseLine = this.pos(this.p).line;
      this.p++;
      this.expectOp(COLON);
      this.newline();
      this.quiet = true;
      this.simpleBlock([{ kind: "try-else", line: elseLine }]);
      this.quiet = quiet;
    }
    if (this.word() === FINALLY) throw NOT_SIMPLE;
  }

  /**
   * An indented block of imports, assignments, expression statements and `pass` in `context`
   * (a try's body or clause). In a `handler`, no statement may start with a call that exits.
   */
  private simpleBlock(context: readonly Ctx[], handler = false): void {
    const t = this.r.tokens;
    if (t.kind[this.p] !== Tok.Indent) throw NOT_SIMPLE;
    this.p++;
    while (t.kind[this.p] !== Tok.Dedent) {
      const k = this.p;
      const w = this.word();
      if (w === IMPORT) this.importStatement(context);
      else if (w === FROM && this.word(k + 1) !== FUTURE) this.fromStatement(context, false);
      else if (w === PASS) {
        this.p++;
        this.newline();
      } else if (isPlainName(t, k) && (this.isOp(EQUAL, k + 1) || this.isOp(COLON, k + 1))) this.assignment(true, context);
      else if (this.startsExpression(k)) {
        if (handler && this.exits(k)) throw NOT_SIMPLE;
        this.expressionStatement();
      } else throw NOT_SIMPLE;
    }
    this.p++;
  }

  /** The statement at `k` starts with a call of one of EXITS. */
  private exits(k: number): boolean {
    let last = k;
    while (this.isOp(DOT, last + 1) && this.r.tokens.kind[last + 2] === Tok.Name) last += 2;
    return this.isOp(LPAR, last + 1) && EXITS.has(this.dottedText(k, last));
  }

  /** `class C(a.B, D[T]):` and a body classBody() takes. */
  private classStatement(): void {
    const start = this.p;
    this.p++;
    const nameToken = this.name();
    const bases: PyBase[] = [];
    const reads: number[] = [];
    if (this.isOp(LPAR)) {
      this.p++;
      while (!this.isOp(RPAR)) {
        const [first, last] = this.dotted();
        const dotted: string[] = [];
        for (let k = first; k <= last; k++) if (this.r.tokens.kind[k] === Tok.Name) dotted.push(this.textOf(k));
        let end = last;
        if (this.isOp(LSQB)) {
          // `Generic[T]`: the subscript's names are read too, and the recognizer judges the whole base.
          end = this.matching(this.p);
          this.expressionReads(this.p + 1, end, true);
          if (!this.recognize().expression(first, end + 1)) throw NOT_SIMPLE;
          this.p = end + 1;
        }
        bases.push({ text: this.textOf(first, end), subscripted: end !== last, ...this.pos(first), dotted: dotted.join(".") });
        reads.push(first);
        if (!this.isOp(COMMA)) break;
        this.p++;
      }
      this.expectOp(RPAR);
    }
    this.expectOp(COLON);
    this.newline();
    for (const r of reads) this.read(r);
    const name = this.textOf(nameToken);
    this.classContext = { kind: "class", name, line: this.pos(start).line };
    this.classBody();
    this.classContext = undefined;
    this.classes.push({ name, qualname: name, bases, dynamicBases: false, ...this.pos(start), context: NONE });
    this.bind(nameToken, "class", NONE);
  }

  /**
   * `def f():pass` as reduce.ts leaves a def whose parameters and body it left out, or a def
   * whose header the recognizer vouches for and whose body it left out, whole or but for lazy
   * imports (functionBody): the defaults' reads and, without `from __future__ import
   * annotations`, the annotations' come before the binding.
   */
  private defStatement(module = true): void {
    const t = this.r.tokens;
    const def = this.p++;
    const nameToken = this.name();
    if (!this.isOp(LPAR)) throw NOT_SIMPLE;
    let whole = true;
    if (this.regionAt.get(t.end[this.p]!)?.replacement !== "):pass") {
      const paren = this.p;
      const colon = this.statementEnd(paren) - 1;
      if (t.kind[colon + 2] !== Tok.Indent) throw NOT_SIMPLE;
      whole = this.leftOutWhole(colon + 2);
      if (!this.recognize().defHeader(paren, colon)) throw NOT_SIMPLE;
      this.headerReads(paren, colon);
      if (!whole) {
        this.p = colon + 2;
        this.functionBody(def, nameToken);
      }
    }
    if (whole) this.skipBlock();
    if (!module) {
      this.classNames!.add(this.textOf(nameToken));
      return;
    }
    if (this.textOf(nameToken) === "__getattr__") this.hasModuleGetattr = true;
    this.bind(nameToken, "def", NONE);
  }

  /**
   * The reads of a parameter list from its `(` at `paren` to the header's `:` at `colon`: each
   * default, each annotation (when annotations are evaluated) and the return annotation. The
   * parameters' own names are no reads.
   */
  private headerReads(paren: number, colon: number): void {
    const annotationsRead = !this.futureAnnotations;
    let k = paren + 1;
    const close = this.matching(paren);
    while (k < close) {
      // One parameter: `*`, `/`, or [`*`|`**`] name [`:` annotation] [`=` default], to a comma at depth 0.
      const end = this.topLevel(COMMA, k, close);
      let j = k;
      while (this.isOp(STAR, j) || this.isOp(DOUBLE_STAR, j) || this.isOp(SLASH, j)) j++;
      if (j < end) {
        j++; // the parameter's name
        const eq = this.topLevel(EQUAL, j, end);
        if (this.isOp(COLON, j)) this.expressionReads(j + 1, eq, annotationsRead);
        if (eq < end) this.expressionReads(eq + 1, end, true);
      }
      k = end + 1;
    }
    if (close + 1 < colon) {
      if (!this.isOp(ARROW, close + 1)) throw NOT_SIMPLE;
      this.expressionReads(close + 2, colon, annotationsRead);
    }
  }

  /**
   * The body after a class header's NEWLINE: left out whole by reduce.ts, or statements that bind
   * only in the class namespace (docstrings, `pass`, `name = expression`, annotated names, plain
   * defs with their decorators). Their reads see the names the body bound before them, then the
   * module's, then builtins; none of them is a module binding.
   */
  private classBody(): void {
    const t = this.r.tokens;
    if (t.kind[this.p] !== Tok.Indent) throw NOT_SIMPLE;
    if (this.leftOutWhole(this.p)) {
      this.skipBlock();
      return;
    }
    this.p++;
    this.classNames = new Set();
    while (t.kind[this.p] !== Tok.Dedent) {
      const k = this.p;
      const w = this.word(k);
      if (t.kind[k] === Tok.String) {
        while (t.kind[this.p] === Tok.String) {
          if (t.bytes[this.p] !== t.bytes[k]) throw NOT_SIMPLE;
          this.p++;
        }
        this.newline();
      } else if (w === PASS || this.isOp(ELLIPSIS)) {
        this.p++;
        this.newline();
      } else if (w === DEF) this.defStatement(false);
      else if (this.isOp(AT)) this.decorated(false);
      else if (isPlainName(t, k) && (this.isOp(EQUAL, k + 1) || this.isOp(COLON, k + 1))) this.assignment(false);
      else throw NOT_SIMPLE;
    }
    this.p++;
    this.classNames = undefined;
  }

  /**
   * `name = expression`, `name: annotation` or `name: annotation = expression` on one logical
   * line: the expression's reads, the binding (in the module, or the class body being read), then
   * the annotation's reads unless `from __future__ import annotations` keeps it a string. The
   * expressions hold only names, attributes, literals, operators, calls, subscripts and displays,
   * and the recognizer vouches that they compile.
   */
  private assignment(module = true, context: readonly Ctx[] = NONE): void {
    const target = this.p;
    const name = this.textOf(target);
    if (module && (name === "pytest_plugins" || (name === "__all__" && context.length > 0))) throw NOT_SIMPLE;
    const end = this.statementEnd(target);
    let equal = target + 1;
    let annotation: [number, number] | undefined;
    if (this.isOp(COLON, target + 1)) {
      equal = this.topLevel(EQUAL, target + 2, end);
      annotation = [target + 2, equal];
      if (equal === target + 2 || !this.recognize().expression(target + 2, equal)) throw NOT_SIMPLE;
    }
    const start = equal + 1;
    if (start <= end) {
      if (module && name === "__all__") this.dunderAll = { names: this.stringList(start), dynamic: false, ...this.pos(target) };
      this.expressionReads(start, end, true);
      if (end === start || !this.recognize().expression(start, end)) throw NOT_SIMPLE;
      if (module) this.bind(target, "assign", context);
      else this.classNames!.add(name);
    } else if (module && name === "__all__") throw NOT_SIMPLE;
    if (annotation) this.expressionReads(annotation[0], annotation[1], !this.futureAnnotations);
    this.p = end + 1;
  }

  private recognize(): Recognizer {
    return (this.recognizer ??= new Recognizer(this.r.tokens, this.text));
  }

  /**
   * `["a", "b"]` or `("a", "b",)` from token `k` to its NEWLINE, each a plain one-quote string
   * with no prefix and no backslash (what extract.ts's stringList reads the same way).
   */
  private stringList(k: number): string[] {
    const t = this.r.tokens;
    const close = this.isOp(LSQB, k) ? RSQB : this.isOp(LPAR, k) ? RPAR : undefined;
    if (close === undefined) throw NOT_SIMPLE;
    const names: string[] = [];
    k++;
    while (!this.isOp(close, k)) {
      if (t.kind[k] !== Tok.String || t.kind[k + 1] === Tok.String) throw NOT_SIMPLE;
      const literal = this.textOf(k);
      const quote = literal[0];
      if ((quote !== '"' && quote !== "'") || literal.length < 2 || literal[1] === quote || literal.includes("\\")) {
        // An empty literal is fine only as itself: `""` (a triple quote starts the same way).
        if (literal !== '""' && literal !== "''") throw NOT_SIMPLE;
      }
      names.push(literal.slice(1, -1));
      k++;
      if (this.isOp(COMMA, k)) k++;
      else if (!this.isOp(close, k)) throw NOT_SIMPLE;
    }
    if (t.kind[k + 1] !== Tok.Newline) throw NOT_SIMPLE;
    return names;
  }

  /**
   * Tokens [from, to) of an expression of the plain kind (see EXPRESSION_WORDS): its names read,
   * when `reads`, which must be bound already or builtins. The recognizer judges its syntax.
   */
  private expressionReads(from: number, to: number, reads: boolean): void {
    const t = this.r.tokens;
    let depth = 0;
    for (let k = from; k < to; k++) {
      const kind = t.kind[k];
      if (kind === Tok.Name) {
        const code = t.code[k]!;
        if (code !== 0 && !NAME_WORDS.has(code)) {
          if (EXPRESSION_WORDS.has(code) || (this.isOp(DOT, k - 1) && ATTRIBUTE_WORDS.has(code))) continue;
          // A bare `__name__` is a builtin read; as a whole index (`sys.modules[__name__]`) it is
          // a namespace write. Handed to a call it makes names.ts give up on the file's reads,
          // which changes nothing here: a simple file has none to report.
          if (code !== DUNDER_NAME || this.isOp(LSQB, k - 1)) throw NOT_SIMPLE;
          continue;
        }
        // An attribute's name, or a keyword argument's, is no read.
        if (this.isOp(DOT, k - 1) || (depth > 0 && this.isOp(EQUAL, k + 1))) continue;
        if (reads) this.read(k);
      } else if (kind === Tok.Op) {
        const op = t.code[k]!;
        if (OPENERS.has(op)) depth++;
        else if (CLOSERS.has(op)) depth--;
        else if (op === WALRUS || (op === EQUAL && depth === 0)) throw NOT_SIMPLE;
      } else if (kind !== Tok.Number && kind !== Tok.String) throw NOT_SIMPLE;
    }
  }

  /** Decorators of the plain form above a def, or a module-level class: their reads, then the statement's. */
  private decorated(module = true): void {
    while (this.isOp(AT)) {
      const end = this.recognize().decorator(this.p);
      if (end < 0) throw NOT_SIMPLE;
      this.expressionReads(this.p + 1, end - 1, true);
      this.p = end;
    }
    if (module && this.word() === CLASS) this.classStatement();
    else if (this.word() === DEF) this.defStatement(module);
    else throw NOT_SIMPLE;
  }

  /** The NEWLINE ending the logical line that token `k` is on. */
  private statementEnd(k: number): number {
    const t = this.r.tokens;
    while (t.kind[k] !== Tok.Newline) {
      if (t.kind[k] === Tok.End) throw NOT_SIMPLE;
      k++;
    }
    return k;
  }

  /** The first operator `op` in tokens [from, to) outside brackets, or `to`. */
  private topLevel(op: number, from: number, to: number): number {
    const t = this.r.tokens;
    for (let k = from, depth = 0; k < to; k++) {
      if (t.kind[k] !== Tok.Op) continue;
      const code = t.code[k]!;
      if (OPENERS.has(code)) depth++;
      else if (CLOSERS.has(code)) depth--;
      else if (depth === 0 && code === op) return k;
    }
    return to;
  }

  /** The index of the bracket closing the one at `open`. */
  private matching(open: number): number {
    const t = this.r.tokens;
    let depth = 0;
    for (let k = open; ; k++) {
      if (t.kind[k] === Tok.Newline || t.kind[k] === Tok.End) throw NOT_SIMPLE;
      if (t.kind[k] !== Tok.Op) continue;
      if (OPENERS.has(t.code[k]!)) depth++;
      else if (CLOSERS.has(t.code[k]!) && --depth === 0) return k;
    }
  }

  /**
   * The block opened by the INDENT `indent` is one `pass` region to its last NEWLINE: left out
   * whole, not a run of a function body's statements (reduce.ts's partial bodies).
   */
  /**
   * The body of the def at token `def` from its INDENT at `this.p`, as reduce.ts left it out in
   * part: each run of statements it left out is one `pass` region, and what it kept may only be
   * plain import statements (lazy imports) and `pass`. Their facts are in the function's context
   * (and its class's, for a method); they bind nothing the module sees, and names.ts does not
   * walk a function body.
   */
  private functionBody(def: number, name: number): void {
    const t = this.r.tokens;
    const context: Ctx[] = [...(this.classContext ? [this.classContext] : []), { kind: "function", name: this.textOf(name), line: this.pos(def).line }];
    this.p++;
    while (t.kind[this.p] !== Tok.Dedent) {
      const region = this.regionAt.get(t.start[this.p]!);
      const w = this.word();
      if (region?.replacement === "pass") this.skipRegion(region);
      else if (w === IMPORT) this.importStatement(context, false);
      else if (w === FROM && this.word(this.p + 1) !== FUTURE) this.fromStatement(context, false, false);
      else if (w === PASS) {
        this.p++;
        this.newline();
      } else throw NOT_SIMPLE;
    }
    this.p++;
  }

  /**
   * Past a run of statements left out as `region`: its last NEWLINE ends the region, and the
   * DEDENTs after it close the blocks the run opened.
   */
  private skipRegion(region: Region): void {
    const t = this.r.tokens;
    let depth = 0;
    for (; t.start[this.p]! < region.end; this.p++) {
      if (t.kind[this.p] === Tok.Indent) depth++;
      else if (t.kind[this.p] === Tok.Dedent) depth--;
      else if (t.kind[this.p] === Tok.End) throw NOT_SIMPLE;
    }
    this.newline();
    for (; depth > 0; depth--) {
      if (t.kind[this.p] !== Tok.Dedent) throw NOT_SIMPLE;
      this.p++;
    }
  }

  private leftOutWhole(indent: number): boolean {
    const t = this.r.tokens;
    const region = this.regionAt.get(t.start[indent + 1]!);
    if (region?.replacement !== "pass") return false;
    let last = blockEnd(t, indent) - 1;
    while (t.kind[last] === Tok.Dedent) last--;
    return t.kind[last] === Tok.Newline && region.end === t.start[last];
  }

  /** From here to past the DEDENT closing the next INDENT (the header's own tokens included). */
  private skipBlock(): void {
    const t = this.r.tokens;
    while (t.kind[this.p] !== Tok.Indent) {
      if (t.kind[this.p] === Tok.End) throw NOT_SIMPLE;
      this.p++;
    }
    const end = blockEnd(t, this.p);
    if (t.kind[end] !== Tok.Dedent) throw NOT_SIMPLE;
    this.p = end + 1;
  }

  /** A name read at import time: simple only when names.ts would not report it. */
  private read(k: number): void {
    if (this.quiet) return;
    const name = this.textOf(k);
    if (!ALWAYS_BUILTIN.has(name) && !this.bound.has(name) && !this.classNames?.has(name)) throw NOT_SIMPLE;
  }

  private bind(k: number, kind: "import" | "class" | "def" | "assign", context: readonly Ctx[]): void {
    const name = this.textOf(k);
    this.bindings.push({ name, kind, ...this.pos(k), context });
    this.bound.add(name);
  }
}
