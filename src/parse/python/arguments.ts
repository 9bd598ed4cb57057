/**
 * Argument and parameter lists tree-sitter parses but CPython's compiler refuses: a positional
 * argument after a keyword one (`f(a=1, b)`), a keyword given twice (`f(x=1, x=2)`), `*a` after
 * `**k`; a parameter named twice (`def f(a, a)`), one without a default after one with
 * (`def f(a=1, b)`), a bare `*` with no named parameter after it, a second `*`, anything after
 * `**k`, a parenthesised parameter (Python 2's `def f(a, (b, c))`); a generator expression beside
 * other arguments, unparenthesised (`f(x for x in y, 1)`).
 * Calls and class bases follow the same rules. A file holding one goes to the target
 * interpreter's compile() (confirm-syntax.ts), which has the last word and the message.
 *
 * Read off the tokens, bracket by bracket. Where an argument's shape is not plain (a lambda's
 * parameters are read up to their colon), the reading is liberal: it may send a file that
 * compiles, never pass one that does not on these counts.
 */
import { BRACKET, isKeywordCode, opCode, Tok, wordCode, type Tokens } from "./tokens.js";

const LPAR = opCode("(");
const RPAR = opCode(")");
const RSQB = opCode("]");
const COMMA = opCode(",");
const EQUAL = opCode("=");
const COLON = opCode(":");
const STAR = opCode("*");
const DOUBLE_STAR = opCode("**");
const SLASH = opCode("/");
const DEF = wordCode("def");
const CLASS = wordCode("class");
const FOR = wordCode("for");
const IN = wordCode("in");
const LAMBDA = wordCode("lambda");

/** What a bracket holds, for these rules: a call's (or class's) arguments, parameters, or anything else. */
const OTHER = 0;
const ARGUMENTS = 1;
const PARAMETERS = 2;

/** A list's state, as bits. KEYWORD: for arguments, a keyword argument or `**` seen; for parameters, a default seen. */
const KEYWORD = 1;
/** `**` seen (arguments: no `*a` may follow; parameters: nothing may). */
const DOUBLE_STAR_SEEN = 2;
/** Parameters: past `*` or `*args` (keyword-only parameters need no default). Arguments: a `*a` or `**k` seen. */
const STARRED = 4;
/** Parameters: a bare `*` that still wants a named parameter after it. */
const BARE_STAR = 8;
/** Lambda parameters: they end at this level's colon, not at a bracket. */
const LAMBDA_LIST = 16;
/** Arguments: a `for` of their own (a generator expression), a comma of their own; a class's bases. */
const GENERATOR = 32;
const COMMA_SEEN = 64;
const BASES = 128;
/** Arguments: between a generator expression's `for` and its `in`, where commas separate targets. */
const FOR_TARGETS = 256;

/** Reused by every call: a level's list kind and whether its next token starts an item; its state bits. */
let scratch = new Uint8Array(0);
let scratchState = new Uint16Array(0);

/** May an argument or parameter list of the file be one CPython's compiler refuses? */
export function badArguments(t: Tokens, text: string): boolean {
  const { kind: kinds, code: codes, start, end, count } = t;
  // One level per open bracket or lambda parameter list, innermost last (at most one per token).
  if (scratch.length < (count + 1) * 2) {
    scratch = new Uint8Array(Math.max(count + 1, scratch.length) * 2);
    scratchState = new Uint16Array(scratch.length / 2);
  }
  const levels = scratch.length / 2;
  const holds = scratch.subarray(0, levels);
  const atItem = scratch.subarray(levels);
  const state = scratchState;
  // Keyword names given (arguments) or parameter names (parameters), as their tokens: each
  // level's after the enclosing level's, from namesFrom[level] on. Lists are short, and comparing
  // characters beats making a string of every name.
  const nameTokens: number[] = [];
  const namesFrom: number[] = [];
  let names = 0;
  let top = -1;
  const push = (what: number, bits: number): void => {
    top++;
    holds[top] = what;
    state[top] = bits;
    atItem[top] = 1;
    namesFrom[top] = names;
  };
  const pop = (): void => {
    names = namesFrom[top]!;
    top--;
  };
  const isOp = (k: number, op: number): boolean => kinds[k] === Tok.Op && codes[k] === op;
  /** Adds the name at token `k` to the list's; true when it was there already. */
  const named = (k: number): boolean => {
    const s = start[k]!;
    const length = end[k]! - s;
    for (let i = namesFrom[top]!; i < names; i++) {
      const other = start[nameTokens[i]!]!;
      if (end[nameTokens[i]!]! - other !== length) continue;
      let j = 0;
      while (j < length && text.charCodeAt(s + j) === text.charCodeAt(other + j)) j++;
      if (j === length) return true;
    }
    nameTokens[names++] = k;
    return false;
  };

  /** Token `k` starts an argument: refused after what came before it? */
  const refusedArgument = (k: number): boolean => {
    if (isOp(k, DOUBLE_STAR)) {
      state[top]! |= KEYWORD | DOUBLE_STAR_SEEN | STARRED;
      return false;
    }
    if (isOp(k, STAR)) {
      state[top]! |= STARRED;
      return (state[top]! & DOUBLE_STAR_SEEN) !== 0;
    }
    if (kinds[k] === Tok.Name && isOp(k + 1, EQUAL)) {
      state[top]! |= KEYWORD;
      return named(k);
    }
    // Positional.
    return (state[top]! & KEYWORD) !== 0;
  };

  /** Token `k` starts a parameter: refused after what came before it? */
  const refusedParameter = (k: number): boolean => {
    // Nothing may follow `**k`; no parameter is parenthesised (Python 2's `def f(a, (b, c))`, `lambda (x): x`).
    if (state[top]! & DOUBLE_STAR_SEEN || isOp(k, LPAR)) return true;
    if (isOp(k, SLASH)) return false;
    let p = k;
    if (isOp(p, DOUBLE_STAR)) {
      // `def f(*, **k)`: the bare star's named parameter is missing.
      if (state[top]! & BARE_STAR) return true;
      state[top]! |= DOUBLE_STAR_SEEN;
      p++;
    } else if (isOp(p, STAR)) {
      // A second `*`.
      if (state[top]! & STARRED) return true;
      state[top]! |= STARRED;
      p++;
      if (kinds[p] !== Tok.Name) {
        state[top]! |= BARE_STAR;
        return false;
      }
    }
    if (kinds[p] !== Tok.Name) return false;
    if (named(p)) return true;
    if (p !== k) return false;
    state[top]! &= ~BARE_STAR;
    // The default, if any, follows the name and its annotation (no `=` of which is outside brackets).
    let q = p + 1;
    if (!(state[top]! & LAMBDA_LIST) && isOp(q, COLON)) {
      q++;
      for (let depth = 0; q < count && !(depth === 0 && (isOp(q, COMMA) || isOp(q, EQUAL) || isOp(q, RPAR))); q++) {
        if (kinds[q] === Tok.Op) depth += BRACKET[codes[q]!]!;
      }
    }
    if (isOp(q, EQUAL)) state[top]! |= KEYWORD;
    // A parameter without a default after one with, unless keyword-only.
    else if ((state[top]! & (KEYWORD | STARRED)) === KEYWORD) return true;
    return false;
  };

  for (let k = 0; k < count; k++) {
    const kind = kinds[k]!;
    if (kind === Tok.Newline) {
      // Only a lambda's parameters could still be open at a statement's end (and should not be).
      top = -1;
      names = 0;
      continue;
    }
    const op = kind === Tok.Op ? codes[k]! : -1;
    if (top >= 0 && atItem[top]) {
      const closes = op !== -1 && (BRACKET[op] === -1 || op === COMMA || (op === COLON && (state[top]! & LAMBDA_LIST) !== 0));
      if (!closes) {
        atItem[top] = 0;
        if (holds[top] === ARGUMENTS ? refusedArgument(k) : holds[top] === PARAMETERS && refusedParameter(k)) return true;
      }
    }
    if (op === -1) {
      if (kind === Tok.Name && codes[k] === LAMBDA) push(PARAMETERS, LAMBDA_LIST);
      else if (kind === Tok.Name && top >= 0 && holds[top] === ARGUMENTS) {
        if (codes[k] === FOR) {
          // A generator expression must be the only argument, not starred, and no class's base.
          if (state[top]! & (COMMA_SEEN | BASES | STARRED)) return true;
          state[top]! |= GENERATOR | FOR_TARGETS;
        } else if (codes[k] === IN) state[top]! &= ~FOR_TARGETS;
      }
      continue;
    }
    const bracket = BRACKET[op]!;
    if (bracket === 1) {
      // `def name(`: parameters; `name(`, `)(`, `](` and a string's `(`: a call's arguments (class bases too).
      const before = k - 1;
      const call = op === LPAR && before >= 0 && (kinds[before] === Tok.Name ? !isKeywordCode(codes[before]!) : kinds[before] === Tok.String || isOp(before, RPAR) || isOp(before, RSQB));
      const keyword = kinds[before - 1] === Tok.Name ? codes[before - 1] : -1;
      push(call && keyword === DEF ? PARAMETERS : call ? ARGUMENTS : OTHER, call && keyword === CLASS ? BASES : 0);
    } else if (bracket === -1) {
      // A lambda's parameters end at their colon; one still open here is no list of this kind.
      while (top >= 0 && state[top]! & LAMBDA_LIST) pop();
      if (top >= 0 && holds[top] === PARAMETERS && state[top]! & BARE_STAR) return true;
      if (top >= 0) pop();
    } else if (top >= 0) {
      if (op === COMMA) {
        atItem[top] = 1;
        if (holds[top] === ARGUMENTS) {
          // `f(x for x in y, 1)`; `f(x for a, b in y)` is one argument.
          if ((state[top]! & (GENERATOR | FOR_TARGETS)) === GENERATOR) return true;
          if (!(state[top]! & GENERATOR)) state[top]! |= COMMA_SEEN;
        }
      }
      else if (op === COLON && state[top]! & LAMBDA_LIST) {
        if (state[top]! & BARE_STAR) return true;
        pop();
      }
    }
  }
  return false;
}
