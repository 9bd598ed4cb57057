/**
 * Targets tree-sitter parses and CPython's compiler refuses: what `del` cannot delete
 * (`del f()`, `del 1`, `del a + b`), what an augmented assignment cannot take (`a, b += 1`,
 * `[a] += 1`), what an annotation cannot take (`(a, b): int`, `a, b: int`), a starred expression
 * standing alone (`x = *a`, `return *a`, `*a = b`, `for *a in b`), and any binding of
 * `__debug__` (`__debug__ = 1`, `def f(__debug__)`, `import os as __debug__`). A file holding one
 * goes to the target interpreter's compile() (confirm-syntax.ts), which has the last word and
 * the message.
 *
 * Read off the tokens, statement by statement. The reading is liberal: a target whose shape is
 * not plain (a name, attributes, subscripts, a parenthesised one of those) counts as refused, so
 * a file that compiles may be sent. Not read: `__debug__` inside a bracketed tuple of targets
 * (`(a, __debug__) = ...`) or after a def's type parameters, where it is most often a value.
 */
import { AUGMENTED_OP, BRACKET, endsExpression, isKeywordCode, isOp, isPlainName, isWord, opCode, Seen, Tok, wordCode, type Tokens } from "./tokens.js";

const LPAR = opCode("(");
const LSQB = opCode("[");
const COMMA = opCode(",");
const COLON = opCode(":");
const SEMI = opCode(";");
const EQUAL = opCode("=");
const WALRUS = opCode(":=");
const DOT = opCode(".");
const STAR = opCode("*");
const DOUBLE_STAR = opCode("**");
const DEL = wordCode("del");
const AS = wordCode("as");
const DEBUG = wordCode("__debug__");
const LAMBDA = wordCode("lambda");
const IN = wordCode("in");
const IF = wordCode("if");
const IMPORT = wordCode("import");
const FROM = wordCode("from");
const DEF = wordCode("def");
const MATCH = wordCode("match");
const CASE = wordCode("case");
/** A `__debug__` right after one of these is being bound (or deleted). */
const BINDS_NEXT = new Set((["def", "class", "as", "del", "for", "import", "global", "nonlocal", "lambda"] as const).map(wordCode));
/** By word code, 1 for a keyword a `*` right after which (as at a statement's start) starts a list of values or targets. */
const STARTS_LIST = new Uint8Array(128);
for (const w of ["return", "yield", "for", "in", "del"] as const) STARTS_LIST[wordCode(w)] = 1;

/** May a del, augmented, annotated or starred target of the file, or a binding of `__debug__`, be one CPython refuses? */
export function badTarget(t: Tokens): boolean {
  // Nothing to read in a file without any of them (most files).
  if ((t.seen & (Seen.Unpacking | Seen.Augmented | Seen.Annotation)) === 0 && t.words[DEL] === 0 && t.words[AS] === 0 && t.words[DEBUG] === 0) return false;
  const { kind, code, count } = t;
  let depth = 0;
  /** The first token of the statement (or of a header's same-line body) being read. */
  let segment = 0;
  /** Depths of the open brackets that hold a def's parameters. */
  const params: number[] = [];
  /** Starred items in the list being read outside brackets: two in one list of targets are refused. */
  let stars = 0;
  for (let k = 0; k < count; k++) {
    const kd = kind[k];
    if (kd === Tok.Newline || kd === Tok.Indent || kd === Tok.Dedent) {
      depth = 0;
      segment = k + 1;
      stars = 0;
      if (params.length !== 0) params.length = 0;
      continue;
    }
    if (kd === Tok.Op) {
      const op = code[k]!;
      if (BRACKET[op] === 1) {
        depth++;
        if (op === LPAR && isWord(t, k - 2, DEF)) params.push(depth);
        continue;
      }
      if (BRACKET[op] === -1) {
        if (params[params.length - 1] === depth) params.pop();
        depth--;
        continue;
      }
      // `(*a)`, `(**a)`, `[**a]`: a starred expression alone in a group, a double star outside a call or dict.
      if ((op === STAR || op === DOUBLE_STAR) && kind[k - 1] === Tok.Op) {
        const open = code[k - 1]!;
        if (open === LSQB && op === DOUBLE_STAR) return true;
        if (open === LPAR && !endsExpression(t, k - 2) && (op === DOUBLE_STAR || !groupHasComma(t, k))) return true;
      }
      if (depth !== 0) continue;
      if (op === SEMI || op === COLON) stars = 0;
      if (op === STAR && (k === segment || isOp(t, k - 1, COMMA) || isOp(t, k - 1, EQUAL) || (kind[k - 1] === Tok.Name && STARTS_LIST[code[k - 1]!] === 1))) stars++;
      if (op === EQUAL) {
        // `*a, *b = c`.
        if (stars > 1) return true;
        stars = 0;
      }
      if (op === SEMI) segment = k + 1;
      else if (AUGMENTED_OP[op] === 1) {
        if (!singleTarget(t, segment, k)) return true;
      } else if (op === COLON) {
        if (annotated(t, segment, k) && !singleTarget(t, segment, k)) return true;
        // A header's colon: its same-line body is a statement of its own.
        segment = k + 1;
      } else if (op === STAR && (k === segment || isOp(t, k - 1, EQUAL) || (kind[k - 1] === Tok.Name && STARTS_LIST[code[k - 1]!] === 1))) {
        if (!listHasComma(t, k)) return true;
      }
      continue;
    }
    if (kd !== Tok.Name) continue;
    const c = code[k]!;
    if (c === 0) continue;
    if (depth === 0 && STARTS_LIST[c] === 1) {
      // `for *a, *b in c`.
      if (c === IN && stars > 1) return true;
      stars = 0;
    }
    if (c === DEL) {
      if (!targetList(t, k + 1, statementEnd(t, k + 1), false)) return true;
    } else if (c === AS) {
      // `with x as f():`; import and except targets are names, which tree-sitter holds them to.
      if (!targetList(t, k + 1, asEnd(t, k + 1), true)) return true;
    } else if (c === DEBUG) {
      if (bindsDebug(t, k, segment, depth, params.length > 0 && params[params.length - 1] === depth)) return true;
    }
  }
  return false;
}

/** Index of the bracket closing the one opened at `k` (or `end` when it does not close before). */
function closing(t: Tokens, k: number, end: number): number {
  let depth = 0;
  for (let j = k; j < end; j++) {
    if (t.kind[j] !== Tok.Op) continue;
    depth += BRACKET[t.code[j]!]!;
    if (depth === 0) return j;
  }
  return end;
}

/** Where the statement holding token `k` ends: its NEWLINE, or a `;` outside brackets. */
function statementEnd(t: Tokens, k: number): number {
  let depth = 0;
  for (; k < t.count; k++) {
    const kd = t.kind[k];
    if (kd === Tok.Newline || kd === Tok.End) return k;
    if (kd !== Tok.Op) continue;
    depth += BRACKET[t.code[k]!]!;
    if (depth === 0 && t.code[k] === SEMI) return k;
  }
  return k;
}

/**
 * Tokens [s, e) are one target CPython can assign, augment or annotate: a plain name with any
 * attributes and subscripts after it (no call last), or such a target in parentheses.
 */
function singleTarget(t: Tokens, s: number, e: number): boolean {
  if (s >= e) return false;
  let k: number;
  if (isOp(t, s, LPAR)) {
    const close = closing(t, s, e);
    if (close === e - 1) return singleTarget(t, s + 1, close);
    // `(a).b`: a parenthesised target with trailers after it.
    if (close >= e || !singleTarget(t, s + 1, close)) return false;
    k = close + 1;
  } else {
    if (!isPlainName(t, s)) return false;
    k = s + 1;
  }
  let call = false;
  while (k < e) {
    if (isOp(t, k, DOT) && isPlainName(t, k + 1)) {
      k += 2;
      call = false;
    } else if (t.kind[k] === Tok.Op && (t.code[k] === LSQB || t.code[k] === LPAR)) {
      call = t.code[k] === LPAR;
      const close = closing(t, k, e);
      if (close >= e) return false;
      k = close + 1;
    } else return false;
  }
  return !call;
}

/**
 * Tokens [s, e) are targets, or parenthesised or bracketed lists of them, separated by commas:
 * what `del` takes, and with `starred` (one of them may be `*a`) what `as` in a with statement takes.
 */
function targetList(t: Tokens, s: number, e: number, starred: boolean): boolean {
  let item = s;
  for (let k = s; k <= e; k++) {
    if (k < e && t.kind[k] === Tok.Op && BRACKET[t.code[k]!] === 1) {
      k = closing(t, k, e);
      continue;
    }
    if (k < e && !isOp(t, k, COMMA)) continue;
    // An empty item is a trailing comma (`del a,`) or nothing at all (`del ()`).
    if (k > item && !oneTarget(t, item, k, starred)) return false;
    item = k + 1;
  }
  return true;
}

function oneTarget(t: Tokens, s: number, e: number, starred: boolean): boolean {
  if (t.kind[s] === Tok.Op && (t.code[s] === LPAR || t.code[s] === LSQB) && closing(t, s, e) === e - 1) return targetList(t, s + 1, e - 1, starred);
  if (starred && isOp(t, s, STAR)) return singleTarget(t, s + 1, e);
  // Deleting an attribute named __debug__ compiles; deleting the name does not (from 3.9 on).
  return singleTarget(t, s, e) || (!starred && attributeOfDebug(t, s, e));
}

/**
 * Where the target after an `as` ends: at a comma or colon outside its brackets, a case's guard
 * (`case x as y if y:`), a bracket closing around it, or the line's end.
 */
function asEnd(t: Tokens, k: number): number {
  let depth = 0;
  for (; k < t.count; k++) {
    const kd = t.kind[k];
    if (kd === Tok.Newline || kd === Tok.End || (depth === 0 && kd === Tok.Name && t.code[k] === IF)) return k;
    if (kd !== Tok.Op) continue;
    const op = t.code[k]!;
    depth += BRACKET[op]!;
    if (depth < 0 || (depth === 0 && (op === COMMA || op === COLON || op === SEMI))) return k;
  }
  return k;
}

/** The group whose `(` is just before token `k` has a comma of its own. */
function groupHasComma(t: Tokens, k: number): boolean {
  let depth = 1;
  for (; k < t.count; k++) {
    if (t.kind[k] !== Tok.Op) continue;
    const op = t.code[k]!;
    depth += BRACKET[op]!;
    if (depth === 0) return false;
    if (depth === 1 && op === COMMA) return true;
  }
  return false;
}

/** `x.__debug__`: singleTarget refuses `__debug__` after a dot, which binding refuses and deleting takes. */
function attributeOfDebug(t: Tokens, s: number, e: number): boolean {
  return e - s >= 3 && isWord(t, e - 1, DEBUG) && isOp(t, e - 2, DOT) && singleTarget(t, s, e - 2);
}

/**
 * The colon at `colon`, outside brackets, ends an annotation's target (not a header's, nor a
 * lambda's): the statement from `s` does not start with a keyword and holds no lambda or `=`.
 */
function annotated(t: Tokens, s: number, colon: number): boolean {
  if (t.kind[s] === Tok.Name && isKeywordCode(t.code[s]!)) return false;
  let depth = 0;
  for (let k = s; k < colon; k++) {
    const kd = t.kind[k];
    if (kd === Tok.Name && t.code[k] === LAMBDA) return false;
    if (kd !== Tok.Op) continue;
    const op = t.code[k]!;
    depth += BRACKET[op]!;
    if (depth === 0 && (op === EQUAL || op === WALRUS)) return false;
  }
  // `match x:` and `case y:` are headers; `match: int` annotates a name.
  return !(t.kind[s] === Tok.Name && colon > s + 1 && (t.code[s] === MATCH || t.code[s] === CASE));
}

/** The list of values or targets starting with the `*` at `k` has a comma outside brackets before it ends. */
function listHasComma(t: Tokens, k: number): boolean {
  let depth = 0;
  for (; k < t.count; k++) {
    const kd = t.kind[k];
    if (kd === Tok.Newline || kd === Tok.End) return false;
    if (kd === Tok.Name && depth === 0 && t.code[k] === IN) return false;
    if (kd !== Tok.Op) continue;
    const op = t.code[k]!;
    depth += BRACKET[op]!;
    if (depth < 0) return false;
    if (depth !== 0) continue;
    if (op === COMMA) return true;
    if (op === EQUAL || op === SEMI || op === COLON || AUGMENTED_OP[op] === 1) return false;
  }
  return false;
}

/**
 * The `__debug__` at `k` may be bound: assigned, augmented, annotated, a parameter, a keyword
 * argument, a loop, `as` or import target, a def or class name, or one of a tuple of targets.
 */
function bindsDebug(t: Tokens, k: number, segment: number, depth: number, inParams: boolean): boolean {
  if (inParams) return true;
  const next = t.kind[k + 1] === Tok.Op ? t.code[k + 1]! : -1;
  if (next === EQUAL || next === WALRUS || AUGMENTED_OP[next] === 1) return true;
  if (t.kind[k - 1] === Tok.Name && BINDS_NEXT.has(t.code[k - 1]!)) return true;
  if (isOp(t, k - 1, STAR)) return true;
  if (isWord(t, segment, IMPORT) || isWord(t, segment, FROM)) return true;
  if (k === segment && (next === COLON || next === COMMA)) return true;
  // `a, __debug__ = ...` and `for a, __debug__ in ...` (not inside brackets, where it is most often a value).
  if (depth === 0 && isOp(t, k - 1, COMMA) && (next === COMMA || isWord(t, k + 1, IN))) return true;
  return false;
}
