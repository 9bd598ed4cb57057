/**
 * `global` and `nonlocal` statements tree-sitter parses and CPython's compiler refuses: a name
 * declared after the scope has already used or bound it (`x = 1` then `global x`), a parameter
 * declared (`def f(x): global x`), a name declared both ways, a declared name annotated
 * (`global x` then `x: int = 1`), and a `nonlocal` name no enclosing function binds. A file holding one goes to the target interpreter's compile()
 * (confirm-syntax.ts), which has the last word and the message.
 *
 * Read off the tokens. Scopes are def and class bodies (a def's from its parameter list on);
 * lambdas and comprehensions are not told apart from the scope around them. The reading is
 * liberal: a name seen anywhere earlier in the scope counts as used, and only a plain binding
 * (assignment, parameter, import, `for`, `as`, def, class, del, walrus, annotation) as a
 * binding, so a file that compiles may be sent, never one that does not passed on these counts.
 */
import { AUGMENTED_OP, BRACKET, bodyEnd, isOp, opCode, Tok, wordCode, type Tokens } from "./tokens.js";

const GLOBAL = wordCode("global");
const NONLOCAL = wordCode("nonlocal");
const DEF = wordCode("def");
const CLASS = wordCode("class");
const IMPORT = wordCode("import");
const FOR = wordCode("for");
const FROM = wordCode("from");
const LPAR = opCode("(");
const RPAR = opCode(")");
const COLON = opCode(":");
const COMMA = opCode(",");
const DOT = opCode(".");
const EQUAL = opCode("=");
const WALRUS = opCode(":=");
const STAR = opCode("*");
const DOUBLE_STAR = opCode("**");
const SEMI = opCode(";");
/** A name right after one of these is bound in the scope the name is in. */
const BINDS_NEXT = new Set((["def", "class", "as", "del", "for", "import", "nonlocal"] as const).map(wordCode));

interface Scope {
  isDef: boolean;
  /** Tokens [from, to) are the scope's: a def's from its parameter list's `(`, a class's from its header's colon. */
  from: number;
  to: number;
  /** A def's parameter list ends at this token (its `)`); -1 for a class. */
  paramsEnd: number;
  parent: number;
}

/** May a `global` or `nonlocal` statement of the file be one CPython's compiler refuses? */
export function badDeclaration(t: Tokens, text: string): boolean {
  if (t.words[GLOBAL] === 0 && t.words[NONLOCAL] === 0) return false;
  const { kind, code, count } = t;
  const scopes = scopesOf(t);
  const { owner, depth } = owners(t, scopes);
  const same = (a: number, b: number): boolean => t.end[a]! - t.start[a]! === t.end[b]! - t.start[b]! && text.startsWith(text.slice(t.start[a], t.end[a]), t.start[b]!);
  for (let g = 0; g < count; g++) {
    if (kind[g] !== Tok.Name || (code[g] !== GLOBAL && code[g] !== NONLOCAL)) continue;
    const scope = owner[g]!;
    const from = scope < 0 ? 0 : scopes[scope]!.from;
    for (let n = g + 1; n < count && kind[n] === Tok.Name; n += 2) {
      // Used or bound earlier in the same scope (keyword arguments and default values are neither).
      for (let k = from; k < g; k++) {
        if (kind[k] !== Tok.Name || owner[k] !== scope || !same(k, n) || isOp(t, k - 1, DOT)) continue;
        // Declaring a name twice the same way compiles.
        if (kind[k - 1] === Tok.Name && code[k - 1] === code[g]) continue;
        if (scope >= 0 && k < scopes[scope]!.paramsEnd ? isParameter(t, k) : !(depth[k]! > 0 && isOp(t, k + 1, EQUAL))) return true;
      }
      // Annotated later in the same scope: `annotated name 'x' can't be global`.
      const to = scope < 0 ? count : scopes[scope]!.to;
      for (let k = g + 1; k < to; k++) if (kind[k] === Tok.Name && owner[k] === scope && isOp(t, k + 1, COLON) && depth[k] === 0 && startsStatement(t, k) && same(k, n)) return true;
      if (code[g] === NONLOCAL && !boundAround(t, scopes, owner, depth, scope, n, same)) return true;
      if (!isOp(t, n + 1, COMMA)) break;
    }
  }
  return false;
}

/** Def and class scopes, each with its parent, in the order they start. */
function scopesOf(t: Tokens): Scope[] {
  const scopes: Scope[] = [];
  for (let k = 0; k < t.count; k++) {
    if (t.kind[k] !== Tok.Name || (t.code[k] !== DEF && t.code[k] !== CLASS)) continue;
    const isDef = t.code[k] === DEF;
    // The header's colon: the first one outside brackets.
    let depth = 0;
    let colon = k + 1;
    let paramsStart = -1;
    let paramsEnd = -1;
    for (; colon < t.count && t.kind[colon] !== Tok.Newline; colon++) {
      if (t.kind[colon] !== Tok.Op) continue;
      const op = t.code[colon]!;
      if (isDef && op === LPAR && depth === 0 && paramsStart < 0) paramsStart = colon;
      depth += BRACKET[op]!;
      if (isDef && op === RPAR && depth === 0 && paramsEnd < 0) paramsEnd = colon;
      if (depth === 0 && op === COLON) break;
    }
    if (colon >= t.count || t.kind[colon] === Tok.Newline) continue;
    // The body: an indented block after the header's line, or the rest of the line.
    scopes.push({ isDef, from: isDef && paramsStart >= 0 ? paramsStart : colon + 1, to: bodyEnd(t, colon + 1), paramsEnd, parent: -1 });
  }
  // Parents: scopes nest, and start in order.
  const open: number[] = [];
  scopes.forEach((s, i) => {
    while (open.length > 0 && scopes[open[open.length - 1]!]!.to <= s.from) open.pop();
    s.parent = open.length > 0 ? open[open.length - 1]! : -1;
    open.push(i);
  });
  return scopes;
}

/** Each token's innermost scope (-1 for the module) and its bracket depth within its statement. */
function owners(t: Tokens, scopes: Scope[]): { owner: Int32Array; depth: Int32Array } {
  const owner = new Int32Array(t.count);
  const depth = new Int32Array(t.count);
  const open: number[] = [];
  let next = 0;
  let d = 0;
  for (let k = 0; k < t.count; k++) {
    while (open.length > 0 && scopes[open[open.length - 1]!]!.to <= k) open.pop();
    while (next < scopes.length && scopes[next]!.from <= k) open.push(next++);
    owner[k] = open.length > 0 ? open[open.length - 1]! : -1;
    const kd = t.kind[k];
    if (kd === Tok.Newline || kd === Tok.Indent || kd === Tok.Dedent) d = 0;
    else if (kd === Tok.Op && BRACKET[t.code[k]!] === -1) d--;
    depth[k] = d;
    if (kd === Tok.Op && BRACKET[t.code[k]!] === 1) d++;
  }
  return { owner, depth };
}

/** The statement holding token `k` has an `=` outside brackets after it. */
function assignedLater(t: Tokens, depth: Int32Array, k: number): boolean {
  for (; k < t.count && t.kind[k] !== Tok.Newline && !isOp(t, k, SEMI); k++) if (depth[k] === 0 && isOp(t, k, EQUAL)) return true;
  return false;
}

function startsStatement(t: Tokens, k: number): boolean {
  const prev = t.kind[k - 1];
  return k === 0 || prev === Tok.Newline || prev === Tok.Indent || prev === Tok.Dedent || isOp(t, k - 1, SEMI);
}

/** The name at `k`, inside a def's parameter list, is a parameter's (not a default value or an annotation). */
function isParameter(t: Tokens, k: number): boolean {
  const prev = t.kind[k - 1] === Tok.Op ? t.code[k - 1]! : -1;
  return prev === LPAR || prev === COMMA || prev === STAR || prev === DOUBLE_STAR;
}

/** Some def enclosing `scope` (not `scope` itself when it is one) binds the name at `n` in its own scope. */
function boundAround(
  t: Tokens,
  scopes: Scope[],
  owner: Int32Array,
  depth: Int32Array,
  scope: number,
  n: number,
  same: (a: number, b: number) => boolean,
): boolean {
  let s = scope >= 0 && scopes[scope]!.isDef ? scopes[scope]!.parent : scope;
  for (; s >= 0; s = scopes[s]!.parent) {
    const outer = scopes[s]!;
    if (!outer.isDef) continue;
    for (let k = outer.from; k < outer.to; k++) if (t.kind[k] === Tok.Name && owner[k] === s && same(k, n) && binds(t, outer, depth, k)) return true;
  }
  return false;
}

/** The name at `k` is surely bound in `scope` there: assigned, a parameter, imported, a loop or `as` target, defined, deleted, declared nonlocal. */
function binds(t: Tokens, scope: Scope, depth: Int32Array, k: number): boolean {
  if (isOp(t, k - 1, DOT)) return false;
  if (k < scope.paramsEnd) return isParameter(t, k);
  const next = t.kind[k + 1] === Tok.Op ? t.code[k + 1]! : -1;
  if (next === WALRUS) return true;
  if (depth[k] === 0 && (next === EQUAL || AUGMENTED_OP[next] === 1)) return true;
  // `a, x = ...`: one of a tuple of targets.
  if (depth[k] === 0 && next === COMMA && (startsStatement(t, k) || isOp(t, k - 1, COMMA)) && assignedLater(t, depth, k)) return true;
  // `x: int` binds x; `if x:` does not.
  if (next === COLON && depth[k] === 0 && startsStatement(t, k)) return true;
  const prev = t.kind[k - 1] === Tok.Name ? t.code[k - 1]! : -1;
  // `for` inside brackets is a comprehension's, whose names are its own.
  if (BINDS_NEXT.has(prev)) return prev !== FOR || depth[k] === 0;
  // `from a import b, c`: the names after `import`.
  if (isOp(t, k - 1, COMMA) && !isOp(t, k + 1, DOT)) {
    for (let j = k - 1; j >= 0 && t.kind[j] !== Tok.Newline && !isOp(t, j, SEMI); j--) if (t.kind[j] === Tok.Name && (t.code[j] === IMPORT || t.code[j] === FROM)) return t.code[j] === IMPORT;
  }
  return false;
}
