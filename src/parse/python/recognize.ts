/**
 * A recognizer for the statements of a function body: it answers "CPython compiles this, for
 * every version snag targets" or "not sure", never "this is an error". reduce.ts leaves a body
 * out of tree-sitter's parse only on a sure answer, so a syntax error can never hide in it.
 *
 * It covers the common grammar of function bodies (assignments, calls, control flow, try,
 * with, nested defs, lambdas, comprehensions, literals) together with the compile-time checks
 * CPython makes there (assignment targets, argument order and repeats, duplicate parameters,
 * break/continue outside a loop, yield inside a comprehension, nesting limits). Everything
 * else (async, await, global, nonlocal, walrus, match, f-string fields the caller has not vouched
 * for, version-dependent forms like parenthesised with-items or starred subscripts) is "not sure".
 */
import { AUGMENTED_OP, isKeywordCode, isPlainName, opCode, Tok, wordCode, WORDS as WORDS_LIST, type WORDS, type Tokens } from "./tokens.js";

class Unsure {}
const UNSURE = new Unsure();
/** Each word's code by name (W.elif), looked up once here rather than on every token checked. */
const W = Object.fromEntries(WORDS_LIST.map((w) => [w, wordCode(w)])) as Record<(typeof WORDS)[number], number>;


const codes = (ops: string[]): Set<number> => new Set(ops.map(opCode));
const COMPARE = codes(["<", ">", "==", ">=", "<=", "!="]);
const BINARY = codes(["|", "^", "&", "<<", ">>", "+", "-", "*", "/", "//", "%", "@"]);
const OP_LPAR = opCode("(");
const OP_RPAR = opCode(")");
const OP_STAR = opCode("*");
const OP_DOUBLESTAR = opCode("**");
const OP_COMMA = opCode(",");
const OP_ARROW = opCode("->");
const OP_DOT = opCode(".");
const OP_SLASH = opCode("/");
const OP_COLON = opCode(":");
const OP_SEMI = opCode(";");
const OP_EQUAL = opCode("=");
const OP_AT = opCode("@");
const OP_LSQB = opCode("[");
const OP_RSQB = opCode("]");
const OP_LBRACE = opCode("{");
const OP_RBRACE = opCode("}");
const STARTS = codes(["(", "[", "{", "-", "+", "~", "...", "*"]);
const [LPAR, LSQB, LBRACE, ELLIPSIS, MINUS, PLUS, TILDE] = ["(", "[", "{", "...", "-", "+", "~"].map(opCode);
const [IF, WHILE, FOR, TRY, WITH, DEF, PASS, BREAK, CONTINUE, RETURN, RAISE, ASSERT, DEL, NONE, TRUE, FALSE, NOT, LAMBDA] = (
  ["if", "while", "for", "try", "with", "def", "pass", "break", "continue", "return", "raise", "assert", "del", "None", "True", "False", "not", "lambda"] as const
).map(wordCode);

/** Far below CPython's limits (20 nested blocks, 200 nested brackets) and the JS stack. */
const MAX_BLOCKS = 10;
const MAX_DEPTH = 60;

/** What an expression is, as far as assignment targets care. */
const enum Shape {
  Other,
  Name,
  Attribute,
  Subscript,
  Starred,
  /** A tuple or list display: `items` holds its elements' shapes. */
  Sequence,
}
interface Desc {
  shape: Shape;
  items?: Desc[];
  /** Starred: what is starred. */
  inner?: Desc;
}
const OTHER: Desc = { shape: Shape.Other };
const NAME: Desc = { shape: Shape.Name };
const ATTRIBUTE: Desc = { shape: Shape.Attribute };
const SUBSCRIPT: Desc = { shape: Shape.Subscript };

export interface ParamsResult {
  /** Some parameter has a default value. */
  defaults: boolean;
  /** Some parameter has an annotation. */
  annotations: boolean;
}

export class Recognizer {
  private p = 0;
  private loops = 0;
  private blocks = 0;
  private depth = 0;
  /** Inside a comprehension or generator expression, where yield is refused. */
  private comprehension = 0;
  /** Yield expressions seen: an element parsed before its `for` shows it was a comprehension's. */
  private yields = 0;

  /**
   * `fString(k)`: the ODD token `k` is an f-string whose fields the caller has read and vouches
   * for (reduce.ts, with fstring.ts); it is then a str literal like any other.
   */
  constructor(
    private readonly t: Tokens,
    private readonly text: string,
    private readonly fString: (k: number) => boolean = () => false,
  ) {}

  /**
   * The statement starting at token `at`, at the top level of a function body (no loop around
   * it, no block): the index past it (past its NEWLINE, or its last DEDENT) when CPython surely
   * compiles it there, else -1.
   */
  bodyStatement(at: number): number {
    let end = -1;
    this.sure(() => {
      this.p = at;
      this.loops = 0;
      this.blocks = 0;
      this.statement();
      end = this.p;
      return true;
    });
    return end;
  }

  /**
   * A decorator line at token `at` of the form every version takes (a dotted name, one optional
   * call): the index past its NEWLINE when CPython surely compiles it, else -1.
   */
  decorator(at: number): number {
    let end = -1;
    this.sure(() => {
      this.p = at;
      this.decoratorLine();
      end = this.p;
      return true;
    });
    return end;
  }

  /** Tokens [at, end) are one expression (no tuple, no star) CPython compiles. */
  expression(at: number, end: number): boolean {
    return this.sure(() => {
      this.p = at;
      this.test();
      return this.p === end;
    });
  }

  /** The block starting at the INDENT token `at` is a function body CPython compiles; `end` is past its DEDENT. */
  functionBody(at: number, end: number): boolean {
    return this.sure(() => {
      this.p = at;
      this.loops = 0;
      this.blocks = 0;
      this.block();
      return this.p === end;
    });
  }

  /**
   * The parameter list whose `(` is token `at`, and the rest of a def header up to its `:` at
   * `colon`: which of defaults and annotations it has, or undefined when not sure it compiles.
   */
  defHeader(at: number, colon: number): ParamsResult | undefined {
    let result: ParamsResult | undefined;
    const ok = this.sure(() => {
      this.p = at;
      this.expectOp(OP_LPAR);
      result = this.params(OP_RPAR, true);
      this.expectOp(OP_RPAR);
      if (this.isOp(OP_ARROW)) {
        this.p++;
        this.test();
        result.annotations = true;
      }
      return this.p === colon && this.isOp(OP_COLON);
    });
    return ok ? result : undefined;
  }

  private sure(run: () => boolean): boolean {
    try {
      return run();
    } catch (err) {
      if (err === UNSURE) return false;
      if (err instanceof RangeError) return false;
      throw err;
    }
  }

  // ---- tokens ----

  private kind(k = this.p): Tok {
    return this.t.kind[k] ?? Tok.End;
  }
  /** The WORDS code of a NAME token (0 for a plain name), -1 for any other token. */
  private wordAt(k = this.p): number {
    return this.t.kind[k] === Tok.Name ? this.t.code[k]! : -1;
  }
  private isOp(op: number, k = this.p): boolean {
    return this.t.kind[k] === Tok.Op && this.t.code[k] === op;
  }
  /** The OPERATORS code of an OP token, 0 for any other token. */
  private op(k = this.p): number {
    return this.t.kind[k] === Tok.Op ? this.t.code[k]! : 0;
  }
  /** Token `k` is the word whose code is `w` (W.elif, ...). */
  /** A literal at `k`: 1 for bytes, 0 for str (a vouched-for f-string too); undefined for any other token. */
  private stringBytes(k: number): number | undefined {
    const kind = this.kind(k);
    if (kind === Tok.String) return this.t.bytes[k];
    return kind === Tok.Odd && this.fString(k) ? 0 : undefined;
  }
  private isWord(w: number, k = this.p): boolean {
    return this.t.kind[k] === Tok.Name && this.t.code[k] === w;
  }
  private expectOp(op: number): void {
    if (!this.isOp(op)) throw UNSURE;
    this.p++;
  }
  private expectWord(w: number): void {
    if (!this.isWord(w)) throw UNSURE;
    this.p++;
  }
  private expectKind(k: Tok): void {
    if (this.kind() !== k) throw UNSURE;
    this.p++;
  }
  /** A plain identifier (soft keywords included), never a keyword. */
  private identifier(): string {
    if (!isPlainName(this.t, this.p)) throw UNSURE;
    const w = this.text.slice(this.t.start[this.p], this.t.end[this.p]);
    this.p++;
    return w;
  }
  /** Like identifier(), for where the name itself does not matter. */
  private skipIdentifier(): void {
    if (!isPlainName(this.t, this.p)) throw UNSURE;
    this.p++;
  }

  // ---- statements ----

  private block(): void {
    this.expectKind(Tok.Indent);
    if (++this.blocks > MAX_BLOCKS) throw UNSURE;
    while (this.kind() !== Tok.Dedent) this.statement();
    this.p++;
    this.blocks--;
  }

  /** After a compound statement's `:`: an indented block, or simple statements on the same line. */
  private suite(): void {
    this.expectOp(OP_COLON);
    if (this.kind() === Tok.Newline) {
      this.p++;
      this.block();
    } else this.simpleStatements();
  }

  private loopSuite(): void {
    this.loops++;
    this.suite();
    this.loops--;
  }

  private statement(): void {
    switch (this.wordAt()) {
      case IF:
        this.p++;
        this.test();
        this.suite();
        while (this.isWord(W.elif)) {
          this.p++;
          this.test();
          this.suite();
        }
        if (this.isWord(W.else)) {
          this.p++;
          this.suite();
        }
        return;
      case WHILE:
        this.p++;
        this.test();
        this.loopSuite();
        if (this.isWord(W.else)) {
          this.p++;
          this.suite();
        }
        return;
      case FOR:
        this.p++;
        this.targetList(W.in);
        this.expectWord(W.in);
        this.expressionList(false);
        this.loopSuite();
        if (this.isWord(W.else)) {
          this.p++;
          this.suite();
        }
        return;
      case TRY:
        this.tryStatement();
        return;
      case WITH:
        this.p++;
        // `with (a, b):` means different things across versions.
        if (this.isOp(OP_LPAR)) throw UNSURE;
        for (;;) {
          this.test();
          if (this.isWord(W.as)) {
            this.p++;
            this.target(this.primaryTarget());
          }
          if (!this.isOp(OP_COMMA)) break;
          this.p++;
        }
        this.suite();
        return;
      case DEF:
        this.def();
        return;
      default:
        if (this.isOp(OP_AT)) {
          while (this.isOp(OP_AT)) this.decoratorLine();
          if (!this.isWord(W.def)) throw UNSURE;
          this.def();
          return;
        }
        this.simpleStatements();
    }
  }

  /** `@a.b(...)` and its NEWLINE: decorators beyond a dotted name and one call are Python 3.9+. */
  private decoratorLine(): void {
    this.expectOp(OP_AT);
    this.skipIdentifier();
    while (this.isOp(OP_DOT)) {
      this.p++;
      this.skipIdentifier();
    }
    if (this.isOp(OP_LPAR)) this.call();
    this.expectKind(Tok.Newline);
  }

  private def(): void {
    this.expectWord(W.def);
    this.identifier();
    this.expectOp(OP_LPAR);
    this.params(OP_RPAR, true);
    this.expectOp(OP_RPAR);
    if (this.isOp(OP_ARROW)) {
      this.p++;
      this.test();
    }
    const loops = this.loops;
    const comprehension = this.comprehension;
    this.loops = 0;
    this.comprehension = 0;
    this.suite();
    this.loops = loops;
    this.comprehension = comprehension;
  }

  private tryStatement(): void {
    this.expectWord(W.try);
    this.suite();
    let handlers = 0;
    let bare = false;
    while (this.isWord(W.except)) {
      if (bare) throw UNSURE; // a bare except must be last
      this.p++;
      if (this.isOp(OP_STAR)) throw UNSURE;
      if (this.isOp(OP_COLON)) bare = true;
      else {
        this.test();
        if (this.isWord(W.as)) {
          this.p++;
          this.identifier();
        }
      }
      this.suite();
      handlers++;
    }
    if (handlers > 0 && this.isWord(W.else)) {
      this.p++;
      this.suite();
    }
    if (this.isWord(W.finally)) {
      this.p++;
      this.suite();
    } else if (handlers === 0) throw UNSURE;
  }

  private simpleStatements(): void {
    for (;;) {
      this.simpleStatement();
      if (!this.isOp(OP_SEMI)) break;
      this.p++;
      if (this.kind() === Tok.Newline) break;
    }
    this.expectKind(Tok.Newline);
  }

  private simpleStatement(): void {
    switch (this.wordAt()) {
      case PASS:
        this.p++;
        return;
      case BREAK:
      case CONTINUE:
        if (this.loops === 0) throw UNSURE;
        this.p++;
        return;
      case RETURN:
        this.p++;
        if (!this.atStatementEnd()) this.expressionList(false);
        return;
      case RAISE:
        this.p++;
        if (!this.atStatementEnd()) {
          this.test();
          if (this.isWord(W.from)) {
            this.p++;
            this.test();
          }
        }
        return;
      case ASSERT:
        this.p++;
        this.test();
        if (this.isOp(OP_COMMA)) {
          this.p++;
          this.test();
        }
        return;
      case DEL: {
        this.p++;
        const d = this.expressionList(false);
        this.delTarget(d);
        return;
      }
    }
    const first = this.isWord(W.yield) ? this.yieldExpression() : this.expressionList(true);
    if (this.isOp(OP_EQUAL)) {
      let last = first;
      while (this.isOp(OP_EQUAL)) {
        this.p++;
        this.target(last);
        last = this.isWord(W.yield) ? this.yieldExpression() : this.expressionList(true);
      }
      return;
    }
    const aug = this.op();
    if (AUGMENTED_OP[aug] === 1) {
      if (first.shape !== Shape.Name && first.shape !== Shape.Attribute && first.shape !== Shape.Subscript) throw UNSURE;
      this.p++;
      if (this.isWord(W.yield)) this.yieldExpression();
      else this.expressionList(false);
      return;
    }
    if (this.isOp(OP_COLON)) {
      if (first.shape !== Shape.Name && first.shape !== Shape.Attribute && first.shape !== Shape.Subscript) throw UNSURE;
      this.p++;
      this.test();
      if (this.isOp(OP_EQUAL)) {
        this.p++;
        if (this.isWord(W.yield)) this.yieldExpression();
        else this.expressionList(true);
      }
      return;
    }
  }

  private atStatementEnd(): boolean {
    return this.kind() === Tok.Newline || this.isOp(OP_SEMI);
  }

  // ---- targets ----

  private target(d: Desc): void {
    switch (d.shape) {
      case Shape.Name:
      case Shape.Attribute:
      case Shape.Subscript:
        return;
      case Shape.Sequence: {
        let starred = 0;
        for (const item of d.items ?? []) {
          if (item.shape === Shape.Starred) {
            if (++starred > 1) throw UNSURE;
            this.target(item.inner ?? OTHER);
          } else this.target(item);
        }
        return;
      }
      default:
        throw UNSURE;
    }
  }

  private delTarget(d: Desc): void {
    if (d.shape === Shape.Name || d.shape === Shape.Attribute || d.shape === Shape.Subscript) return;
    if (d.shape === Shape.Sequence) {
      for (const item of d.items ?? []) this.delTarget(item);
      return;
    }
    throw UNSURE;
  }

  /** `for` targets and comprehension targets: a target list ending before `in`. */
  private targetList(stop: number): void {
    const items: Desc[] = [];
    let comma = false;
    for (;;) {
      items.push(this.isOp(OP_STAR) ? this.starred() : this.primaryTarget());
      if (!this.isOp(OP_COMMA)) break;
      comma = true;
      this.p++;
      if (this.isWord(stop)) break;
    }
    this.target(comma ? { shape: Shape.Sequence, items } : (items[0] ?? OTHER));
  }

  /** A target as written after `as` or in a for: an or-expression-free primary (or a display). */
  private primaryTarget(): Desc {
    return this.bitOr();
  }

  // ---- expressions ----

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw UNSURE;
  }

  /** `a, *b, c` (a tuple when a comma appears); `star` allows starred items. */
  private expressionList(star: boolean): Desc {
    const items: Desc[] = [];
    let comma = false;
    for (;;) {
      if (this.isOp(OP_STAR)) {
        if (!star) throw UNSURE;
        items.push(this.starred());
      } else items.push(this.test());
      if (!this.isOp(OP_COMMA)) break;
      comma = true;
      this.p++;
      if (!this.startsExpression()) break;
    }
    // A lone `*a` is neither an expression nor a target (`*a = x` is refused too).
    if (!comma) {
      if (items[0]?.shape === Shape.Starred) throw UNSURE;
      return items[0] ?? OTHER;
    }
    return { shape: Shape.Sequence, items };
  }

  private starred(): Desc {
    this.expectOp(OP_STAR);
    return { shape: Shape.Starred, inner: this.bitOr() };
  }

  private startsExpression(): boolean {
    switch (this.kind()) {
      case Tok.Name: {
        const c = this.wordAt();
        return !isKeywordCode(c) || c === NONE || c === TRUE || c === FALSE || c === NOT || c === LAMBDA;
      }
      case Tok.Number:
      case Tok.String:
        return true;
      case Tok.Odd:
        return this.fString(this.p);
      case Tok.Op:
        return STARTS.has(this.op());
      default:
        return false;
    }
  }

  private yieldExpression(): Desc {
    if (this.comprehension > 0) throw UNSURE;
    this.yields++;
    this.expectWord(W.yield);
    if (this.isWord(W.from)) {
      this.p++;
      this.test();
    } else if (this.startsExpression() && !this.isOp(OP_STAR)) this.expressionList(false);
    return OTHER;
  }

  /** test: conditional expression or lambda. */
  private test(): Desc {
    if (this.isWord(W.lambda)) return this.lambda(true);
    this.enter();
    const d = this.orTest();
    if (this.isWord(W.if)) {
      this.p++;
      this.orTest();
      this.expectWord(W.else);
      this.test();
      this.depth--;
      return OTHER;
    }
    this.depth--;
    return d;
  }

  /** A test without a conditional (comprehension conditions): lambdas there take no conditional body. */
  private testNoCond(): Desc {
    if (this.isWord(W.lambda)) return this.lambda(false);
    return this.orTest();
  }

  private lambda(conditional: boolean): Desc {
    this.expectWord(W.lambda);
    this.params(OP_COLON, false);
    this.expectOp(OP_COLON);
    // yield inside a lambda is legal but rare: refused like yield in a comprehension.
    const comprehension = this.comprehension;
    this.comprehension = 1;
    if (conditional) this.test();
    else this.testNoCond();
    this.comprehension = comprehension;
    return OTHER;
  }

  private orTest(): Desc {
    let d = this.andTest();
    while (this.isWord(W.or)) {
      this.p++;
      this.andTest();
      d = OTHER;
    }
    return d;
  }

  private andTest(): Desc {
    let d = this.notTest();
    while (this.isWord(W.and)) {
      this.p++;
      this.notTest();
      d = OTHER;
    }
    return d;
  }

  private notTest(): Desc {
    if (this.isWord(W.not)) {
      this.enter();
      this.p++;
      this.notTest();
      this.depth--;
      return OTHER;
    }
    return this.comparison();
  }

  private comparison(): Desc {
    let d = this.bitOr();
    for (;;) {
      if (COMPARE.has(this.op()) || this.isWord(W.in)) this.p++;
      else if (this.isWord(W.not) && this.isWord(W.in, this.p + 1)) this.p += 2;
      else if (this.isWord(W.is)) {
        this.p++;
        if (this.isWord(W.not)) this.p++;
      } else break;
      this.bitOr();
      d = OTHER;
    }
    return d;
  }

  /** Binary operators, all precedences at once: precedence decides meaning, not validity. */
  private bitOr(): Desc {
    let d = this.factor();
    while (BINARY.has(this.op())) {
      this.p++;
      this.factor();
      d = OTHER;
    }
    return d;
  }

  private factor(): Desc {
    const op = this.op();
    if (op === MINUS || op === PLUS || op === TILDE) {
      this.enter();
      this.p++;
      this.factor();
      this.depth--;
      return OTHER;
    }
    const d = this.primary();
    if (this.isOp(OP_DOUBLESTAR)) {
      this.p++;
      this.factor();
      return OTHER;
    }
    return d;
  }

  private primary(): Desc {
    let d = this.atom();
    for (;;) {
      if (this.isOp(OP_DOT)) {
        this.p++;
        this.skipIdentifier();
        d = ATTRIBUTE;
      } else if (this.isOp(OP_LPAR)) {
        this.call();
        d = OTHER;
      } else if (this.isOp(OP_LSQB)) {
        this.subscript();
        d = SUBSCRIPT;
      } else return d;
    }
  }

  private atom(): Desc {
    switch (this.kind()) {
      case Tok.Name: {
        const c = this.wordAt();
        if (c === NONE || c === TRUE || c === FALSE) {
          this.p++;
          return OTHER;
        }
        this.skipIdentifier();
        return NAME;
      }
      case Tok.Number:
        this.p++;
        return OTHER;
      case Tok.String:
      case Tok.Odd: {
        // Adjacent literals concatenate; bytes and str may not mix.
        const isBytes = this.stringBytes(this.p);
        if (isBytes === undefined) throw UNSURE;
        while (this.kind() === Tok.String || this.kind() === Tok.Odd) {
          if (this.stringBytes(this.p) !== isBytes) throw UNSURE;
          this.p++;
        }
        return OTHER;
      }
      case Tok.Op:
        switch (this.op()) {
          case LPAR:
            return this.parenthesized();
          case LSQB:
            return this.listDisplay();
          case LBRACE:
            this.braceDisplay();
            return OTHER;
          case ELLIPSIS:
            this.p++;
            return OTHER;
        }
        throw UNSURE;
      default:
        throw UNSURE;
    }
  }

  private parenthesized(): Desc {
    this.enter();
    this.expectOp(OP_LPAR);
    let d: Desc;
    if (this.isOp(OP_RPAR)) {
      this.p++;
      d = { shape: Shape.Sequence, items: [] };
    } else if (this.isWord(W.yield)) {
      this.yieldExpression();
      this.expectOp(OP_RPAR);
      d = OTHER;
    } else {
      const yields = this.yields;
      const first = this.element();
      if (this.isOp(OP_RPAR)) {
        this.p++;
        // `(*a)` alone is refused; `(x)` is x as a target too.
        if (first.shape === Shape.Starred) throw UNSURE;
        d = first;
      } else d = this.displayRest(first, yields, OP_RPAR);
    }
    this.depth--;
    return d;
  }

  private listDisplay(): Desc {
    this.enter();
    this.expectOp(OP_LSQB);
    let d: Desc;
    if (this.isOp(OP_RSQB)) {
      this.p++;
      d = { shape: Shape.Sequence, items: [] };
    } else {
      const yields = this.yields;
      d = this.displayRest(this.element(), yields, OP_RSQB);
    }
    this.depth--;
    return d;
  }

  /** An item of a tuple, list or set display. */
  private element(): Desc {
    return this.isOp(OP_STAR) ? this.starred() : this.test();
  }

  /**
   * After a display's first element (`yields` counted before it): a comprehension, or the rest
   * of its items, up to and including `close`.
   */
  private displayRest(first: Desc, yields: number, close: number): Desc {
    if (this.isWord(W.for)) {
      if (first.shape === Shape.Starred || this.yields !== yields) throw UNSURE;
      this.comprehensionTail();
      this.expectOp(close);
      return OTHER;
    }
    const items = [first];
    while (this.isOp(OP_COMMA)) {
      this.p++;
      if (this.isOp(close)) break;
      items.push(this.element());
    }
    this.expectOp(close);
    return { shape: Shape.Sequence, items };
  }

  private braceDisplay(): void {
    this.enter();
    this.expectOp(OP_LBRACE);
    if (this.isOp(OP_RBRACE)) {
      this.p++;
      this.depth--;
      return;
    }
    // The first item decides: a dict (key: value or **m) or a set (x or *s).
    const yields = this.yields;
    let dict: boolean;
    if (this.isOp(OP_DOUBLESTAR)) {
      this.p++;
      this.bitOr();
      dict = true;
    } else if (this.isOp(OP_STAR)) {
      this.starred();
      dict = false;
    } else {
      this.test();
      dict = this.isOp(OP_COLON);
      if (dict) {
        this.p++;
        this.test();
      }
      if (this.isWord(W.for)) {
        if (this.yields !== yields) throw UNSURE;
        this.comprehensionTail();
        this.expectOp(OP_RBRACE);
        this.depth--;
        return;
      }
    }
    while (this.isOp(OP_COMMA)) {
      this.p++;
      if (this.isOp(OP_RBRACE)) break;
      if (dict) {
        if (this.isOp(OP_DOUBLESTAR)) {
          this.p++;
          this.bitOr();
        } else {
          this.test();
          this.expectOp(OP_COLON);
          this.test();
        }
      } else if (this.isOp(OP_STAR)) this.starred();
      else this.test();
    }
    this.expectOp(OP_RBRACE);
    this.depth--;
  }

  /** `for targets in or_test [if test_nocond]...` after a comprehension's element. */
  private comprehensionTail(): void {
    this.comprehension++;
    while (this.isWord(W.for)) {
      this.p++;
      this.targetList(W.in);
      this.expectWord(W.in);
      this.orTest();
      while (this.isWord(W.if)) {
        this.p++;
        this.testNoCond();
      }
    }
    this.comprehension--;
  }

  private call(): void {
    this.enter();
    this.expectOp(OP_LPAR);
    const keywords = new Set<string>();
    let sawKeyword = false;
    let sawDoubleStar = false;
    let count = 0;
    while (!this.isOp(OP_RPAR)) {
      count++;
      if (this.isOp(OP_DOUBLESTAR)) {
        this.p++;
        this.test();
        sawDoubleStar = true;
      } else if (this.isOp(OP_STAR)) {
        if (sawDoubleStar) throw UNSURE;
        this.p++;
        this.test();
      } else if (this.kind() === Tok.Name && this.isOp(OP_EQUAL, this.p + 1)) {
        const name = this.identifier();
        if (keywords.has(name)) throw UNSURE;
        keywords.add(name);
        this.p++;
        this.test();
        sawKeyword = true;
      } else {
        if (sawKeyword || sawDoubleStar) throw UNSURE;
        const yields = this.yields;
        this.test();
        if (this.isWord(W.for)) {
          // A bare generator expression must be the only argument.
          if (count !== 1 || this.yields !== yields) throw UNSURE;
          this.comprehensionTail();
          if (!this.isOp(OP_RPAR)) throw UNSURE;
          break;
        }
      }
      if (!this.isOp(OP_COMMA)) break;
      this.p++;
    }
    this.expectOp(OP_RPAR);
    this.depth--;
  }

  private subscript(): void {
    this.enter();
    this.expectOp(OP_LSQB);
    for (;;) {
      if (this.isOp(OP_STAR)) throw UNSURE; // starred subscripts are Python 3.11+
      if (!this.isOp(OP_COLON)) this.test();
      if (this.isOp(OP_COLON)) {
        this.p++;
        if (!this.isOp(OP_COLON) && !this.isOp(OP_COMMA) && !this.isOp(OP_RSQB)) this.test();
        if (this.isOp(OP_COLON)) {
          this.p++;
          if (!this.isOp(OP_COMMA) && !this.isOp(OP_RSQB)) this.test();
        }
      }
      if (!this.isOp(OP_COMMA)) break;
      this.p++;
      if (this.isOp(OP_RSQB)) break;
    }
    this.expectOp(OP_RSQB);
    this.depth--;
  }

  /**
   * A def's (`annotated`) or lambda's parameter list up to `close`: CPython's rules on order
   * (`/`, defaults, `*`, keyword-only, `**`) and on repeated names.
   */
  private params(close: number, annotated: boolean): ParamsResult {
    const names = new Set<string>();
    const result: ParamsResult = { defaults: false, annotations: false };
    let seenDefault = false;
    let seenStar = false;
    let seenSlash = false;
    let seenDoubleStar = false;
    let count = 0;
    const name = (): void => {
      const n = this.identifier();
      if (names.has(n)) throw UNSURE;
      names.add(n);
      if (annotated && this.isOp(OP_COLON)) {
        this.p++;
        this.test();
        result.annotations = true;
      }
    };
    while (!this.isOp(close)) {
      if (seenDoubleStar) throw UNSURE;
      if (this.isOp(OP_SLASH)) {
        if (seenSlash || seenStar || count === 0) throw UNSURE;
        seenSlash = true;
        this.p++;
      } else if (this.isOp(OP_DOUBLESTAR)) {
        this.p++;
        name();
        seenDoubleStar = true;
      } else if (this.isOp(OP_STAR)) {
        if (seenStar) throw UNSURE;
        seenStar = true;
        this.p++;
        // A bare `*` needs a keyword-only parameter after it.
        if (this.isOp(OP_COMMA)) {
          if (this.isOp(close, this.p + 1) || this.isOp(OP_DOUBLESTAR, this.p + 1)) throw UNSURE;
        } else name();
      } else {
        name();
        if (this.isOp(OP_EQUAL)) {
          this.p++;
          this.test();
          result.defaults = true;
          seenDefault = true;
        } else if (seenDefault && !seenStar) throw UNSURE;
      }
      count++;
      if (!this.isOp(OP_COMMA)) break;
      this.p++;
    }
    return result;
  }
}
