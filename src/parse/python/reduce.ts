/**
 * Most of a Python file is function bodies, and a function body does nothing at import time: it
 * only has to compile. This pass finds the bodies that cannot change a single fact, checks them
 * with recognize.ts, and returns the text tree-sitter should parse instead, with those bodies
 * replaced by `pass` and every other character where it was (same lines, same columns):
 *
 * - a body is left out when no name in it can matter to the facts (imports, classes, `global`,
 *   namespace writes, markers, the walrus...) and CPython surely compiles it; f-string fields
 *   count as code here (fstring.ts finds them, the recognizer reads each);
 * - the parameters go too (`def f():pass`) when nothing in them runs at definition time: no
 *   defaults, and no annotations unless `from __future__ import annotations` keeps them strings;
 * - a class body goes when it holds only docstrings, `pass` and such defs: it binds nothing any
 *   import-time read of the file could see.
 *
 * The caller parses the whole text instead when this returns undefined (nothing to leave out, or
 * a file whose structure the tokenizer does not follow), and when the reduced parse shows any
 * error: an error's message and position come from the full parse only.
 */
import { fStringFields } from "./fstring.js";
import { Recognizer } from "./recognize.js";
import { blockEnd, F_FIELDS, opCode, Tok, tokenize, wordCode, type Tokens } from "./tokens.js";

/** Names whose presence in a body may add a fact (grammars/python/*.scm, names.ts, extract.ts). */
const INTERESTING = new Set(
  ([
    "import", "__import__", "import_module", "importorskip", "class", "global", "nonlocal", "f_globals", "f_locals",
    "mark", "addinivalue_line", "builtins", "__builtins__", "__builtin__", "install",
  ] as const).map(wordCode),
);
/**
 * Names that add a fact only as a bare name, never as an attribute (`cls.__name__`,
 * `monkeypatch.setattr`, `df.eval`): the queries and names.ts match them as an `identifier` that
 * is a call's function or argument, or a subscript (`sys.modules[__name__]`, which is also why
 * `modules` itself is in neither set).
 */
const BARE_INTERESTING = new Set(
  (["__name__", "exec", "execfile", "eval", "locals", "globals", "vars", "setattr"] as const).map(wordCode),
);
const DOT = opCode(".");
const WALRUS = opCode(":=");
const FROM = wordCode("from");
const FUTURE = wordCode("__future__");
const IMPORT = wordCode("import");
const ANNOTATIONS = wordCode("annotations");
const DEF = wordCode("def");
const CLASS = wordCode("class");
const PASS = wordCode("pass");
const COLON = opCode(":");
const AT = opCode("@");
const ELLIPSIS = opCode("...");
const LPAR = opCode("(");

/** A stretch of the original text tree-sitter does not see, and what it sees there instead. */
export interface Region {
  start: number;
  end: number;
  replacement: string;
}

export interface Reduction {
  /** The text to parse: the original with each region replaced, newlines kept (made when first read: a simple module never needs it). */
  readonly text: string;
  /** The original text's tokens. */
  tokens: Tokens;
  /** In text order. */
  regions: readonly Region[];
}

/** The text to parse instead of `text`, or undefined when it is `text` itself. */
export function reduceSource(text: string): string | undefined {
  const r = reduceFile(text);
  return r && r.regions.length > 0 ? r.text : undefined;
}

/** Undefined when the tokenizer does not follow the file; `regions` may be empty. `tokens`: the text's, when the caller has them. */
export function reduceFile(text: string, tokens?: Tokens): Reduction | undefined {
  const t = tokens ?? tokenize(text);
  if (!t) return undefined;
  const reducer = new Reducer(t, text);
  reducer.block(0, false);
  const regions = reducer.regions;
  let reduced: string | undefined;
  return {
    get text() {
      return (reduced ??= regions.length > 0 ? spliced(text, regions) : text);
    },
    tokens: t,
    regions,
  };
}

function spliced(text: string, regions: readonly Region[]): string {
  let out = "";
  let at = 0;
  for (const r of regions) {
    let newlines = 0;
    for (let k = text.indexOf("\n", r.start); k >= 0 && k < r.end; k = text.indexOf("\n", k + 1)) newlines++;
    out += text.slice(at, r.start) + r.replacement + "\n".repeat(newlines);
    at = r.end;
  }
  return out + text.slice(at);
}

class Reducer {
  readonly regions: Region[] = [];
  private readonly recognizer: Recognizer;
  private readonly futureAnnotations: boolean;
  /** fString's answers by token. */
  private readonly fStrings = new Map<number, boolean>();

  constructor(
    private readonly t: Tokens,
    private readonly text: string,
  ) {
    this.recognizer = new Recognizer(t, text, (k) => this.fString(k));
    this.futureAnnotations = this.hasFutureAnnotations();
  }

  /** The WORDS code of a NAME token, -1 for any other token. */
  private word(k: number): number {
    return this.t.kind[k] === Tok.Name ? this.t.code[k]! : -1;
  }
  private isOp(k: number, op: number): boolean {
    return this.t.kind[k] === Tok.Op && this.t.code[k] === op;
  }

  /** names.ts reads any `from __future__ import annotations` statement, wherever it is. */
  private hasFutureAnnotations(): boolean {
    const t = this.t;
    for (let k = 0; k + 3 < t.count; k++) {
      if (this.word(k) !== FROM || this.word(k + 1) !== FUTURE || this.word(k + 2) !== IMPORT) continue;
      for (let j = k + 3; j < t.count && t.kind[j] !== Tok.Newline; j++) if (this.word(j) === ANNOTATIONS) return true;
    }
    return false;
  }

  /** Index of the NEWLINE ending the logical line that starts at `k`. */
  private lineEnd(k: number): number {
    const t = this.t;
    while (k < t.count && t.kind[k] !== Tok.Newline && t.kind[k] !== Tok.End) k++;
    return k;
  }

  /** Where the NEWLINE ending the last line of the block closed by the DEDENT `dedent` is. */
  private lastNewline(dedent: number): number {
    let j = dedent - 1;
    while (this.t.kind[j] === Tok.Dedent) j--;
    return this.t.start[j]!;
  }

  /**
   * The statements from token `k` (past an INDENT, or 0 for the module) to the block's DEDENT.
   * Returns the index past that DEDENT and whether every statement is one a class body may lose
   * (`classBody` asks for that answer). In a function body's own block (`functionBody`), each
   * run of statements that cannot matter and surely compile is left out (one `pass` for the run).
   */
  block(k: number, classBody: boolean, functionBody = false): { end: number; droppable: boolean } {
    const t = this.t;
    let droppable = true;
    let decorated = false;
    /** The run of statements left out so far: its first token and the index past its last statement. */
    let runStart = -1;
    let runEnd = -1;
    const closeRun = (): void => {
      if (runStart < 0) return;
      const start = t.start[runStart]!;
      const end = this.lastNewline(runEnd);
      if (this.text.slice(start, end) !== "pass") this.regions.push({ start, end, replacement: "pass" });
      runStart = -1;
    };
    while (k < t.count && t.kind[k] !== Tok.Dedent && t.kind[k] !== Tok.End) {
      if (functionBody && t.kind[k] !== Tok.Indent && !decorated) {
        const after = this.recognizer.bodyStatement(k);
        if (after > k && !this.interesting(k, after)) {
          if (runStart < 0) runStart = k;
          runEnd = after;
          k = after;
          continue;
        }
        closeRun();
      }
      if (t.kind[k] === Tok.Indent) {
        // An indented first line: tree-sitter and CPython have their say on it.
        droppable = false;
        k = blockEnd(this.t, k) + 1;
        continue;
      }
      const eol = this.lineEnd(k);
      const hasBlock = t.kind[eol + 1] === Tok.Indent && this.isOp(eol - 1, COLON);
      const first = this.word(k);
      if (t.kind[eol + 1] === Tok.Indent && !hasBlock) {
        // An indented line no colon opened: tree-sitter and CPython have their say on it.
        droppable = false;
        k = blockEnd(this.t, eol + 1) + 1;
        continue;
      }
      if (first === DEF && hasBlock) {
        const end = blockEnd(this.t, eol + 1);
        const headerDropped = this.def(k, eol, end);
        if (!headerDropped || decorated) droppable = false;
        decorated = false;
        k = end + 1;
        continue;
      }
      if (this.isOp(k, AT)) {
        decorated = true;
        droppable = false;
        k = eol + 1;
        continue;
      }
      decorated = false;
      if (hasBlock) {
        droppable = false;
        const mark = this.regions.length;
        const inner = this.block(eol + 2, first === CLASS);
        if (first === CLASS && inner.droppable) {
          // Nothing in the body can matter: one `pass` for the whole of it.
          this.regions.length = mark;
          this.regions.push({ start: t.start[eol + 2]!, end: this.lastNewline(inner.end - 1), replacement: "pass" });
        }
        k = inner.end;
        continue;
      }
      if (classBody && !this.trivial(k, eol)) droppable = false;
      k = eol + 1;
    }
    closeRun();
    return { end: k + 1, droppable: classBody && droppable };
  }

  /** A docstring, `pass` or `...` alone on its logical line. */
  private trivial(k: number, eol: number): boolean {
    const t = this.t;
    if (eol === k + 1 && (this.word(k) === PASS || this.isOp(k, ELLIPSIS))) return true;
    for (let j = k; j < eol; j++) if (t.kind[j] !== Tok.String) return false;
    return eol > k;
  }

  /**
   * The def whose header runs from token `k` to the NEWLINE `eol`, its body to the DEDENT `end`.
   * Records what of it may be left out; true when the header went too (it binds the name only).
   */
  private def(k: number, eol: number, end: number): boolean {
    const t = this.t;
    const paren = k + 2;
    const boring = this.isOp(paren, LPAR) && !this.interesting(eol + 1, end) && this.recognizer.functionBody(eol + 1, end + 1);
    if (!boring) {
      // Its statements that cannot matter may still be left out, and its nested defs.
      this.block(eol + 2, false, this.isOp(paren, LPAR));
      return false;
    }
    const bodyEnd = this.lastNewline(end);
    const header = this.interesting(k, eol) ? undefined : this.recognizer.defHeader(paren, eol - 1);
    if (header && !header.defaults && (!header.annotations || this.futureAnnotations)) {
      this.regions.push({ start: t.end[paren]!, end: bodyEnd, replacement: "):pass" });
      return true;
    }
    this.regions.push({ start: t.start[eol + 2]!, end: bodyEnd, replacement: "pass" });
    return false;
  }

  private interesting(from: number, to: number): boolean {
    const t = this.t;
    for (let j = from; j < to; j++) {
      const kind = t.kind[j];
      if (kind === Tok.Odd ? !this.fString(j) : matters(t, j)) return true;
    }
    return false;
  }

  /** The ODD token `k` is an f-string whose fields are sure to compile and hold nothing interesting. */
  private fString(k: number): boolean {
    if (this.t.kind[k] !== Tok.Odd || this.t.bytes[k] !== F_FIELDS) return false;
    let sure = this.fStrings.get(k);
    if (sure === undefined) {
      sure = fieldsSure(this.text, this.t.start[k]!, this.t.end[k]!);
      this.fStrings.set(k, sure);
    }
    return sure;
  }
}

/**
 * Every replacement field of the f-string text[start, end) is one expression the recognizer
 * vouches for, with no name or walrus in it that a body's facts could hang on.
 */
function fieldsSure(text: string, start: number, end: number): boolean {
  const fields = fStringFields(text, start, end);
  if (!fields) return false;
  for (let f = 0; f < fields.length; f += 2) {
    let s = fields[f]!;
    let e = fields[f + 1]!;
    while (s < e && text.charCodeAt(s) === 32) s++;
    while (e > s && text.charCodeAt(e - 1) === 32) e--;
    if (s === e) return false;
    const expr = text.slice(s, e);
    const t = tokenize(expr);
    if (!t || t.kind[t.count - 2] !== Tok.Newline) return false;
    for (let j = 0; j < t.count; j++) {
      const kind = t.kind[j];
      if (kind === Tok.Odd || kind === Tok.Indent || kind === Tok.Dedent || matters(t, j)) return false;
    }
    if (!new Recognizer(t, expr).expression(0, t.count - 2)) return false;
  }
  return true;
}

/** Token `j` (not ODD) is a name or operator the facts may hang on. */
function matters(t: Tokens, j: number): boolean {
  const kind = t.kind[j];
  if (kind === Tok.Name) {
    const code = t.code[j]!;
    if (code === 0) return false;
    return INTERESTING.has(code) || (BARE_INTERESTING.has(code) && !(t.kind[j - 1] === Tok.Op && t.code[j - 1] === DOT));
  }
  return kind === Tok.Op && t.code[j] === WALRUS;
}
