/**
 * Statements tree-sitter parses anywhere but CPython's compiler takes only in some places:
 * `return` and `yield` outside a function, `await` and `async for`/`async with` outside an
 * `async def`, `break` and `continue` outside a loop's body, `nonlocal` with no enclosing
 * function. tree-sitter reads `return 1` at module level, or a `break` in a loop's `else:`, as
 * fine; importing the module raises SyntaxError. A file where one of them may stand in the wrong
 * place goes to the target interpreter's compile() (confirm-syntax.ts), which has the last word.
 *
 * Read off the tokens: every INDENT opens the block of the compound statement on the line before
 * it, and a compound statement's body may also follow its colon on the same line. Liberal where
 * the tokens cannot tell: `yield` in a lambda, and a `nonlocal` whose name may not be bound
 * where it points, are left to the compiler too, or pass when an enclosing function exists.
 */
import { BRACKET, endsExpression, isWord, opCode, Tok, wordCode, type Tokens } from "./tokens.js";

/** What a block is, for the statements above: a function's, a class's, a loop's body, or any other (bits, to ask for several at once). */
const DEF_BODY = 1;
const ASYNC_DEF_BODY = 2;
const CLASS_BODY = 4;
const LOOP_BODY = 8;
const OTHER = 16;
const FUNCTION = DEF_BODY | ASYNC_DEF_BODY;
const SCOPE = FUNCTION | CLASS_BODY;

const DEF = wordCode("def");
const CLASS = wordCode("class");
const ASYNC = wordCode("async");
const FOR = wordCode("for");
const WHILE = wordCode("while");
const LAMBDA = wordCode("lambda");
const RETURN = wordCode("return");
const YIELD = wordCode("yield");
const AWAIT = wordCode("await");
const BREAK = wordCode("break");
const CONTINUE = wordCode("continue");
const NONLOCAL = wordCode("nonlocal");
const FROM = wordCode("from");
const IMPORT = wordCode("import");
const COLON = opCode(":");
const SEMI = opCode(";");
const STAR = opCode("*");
const DOUBLE_STAR = opCode("**");
const LPAR = opCode("(");
/** A function's marks: it yields, it returns a value (both, in an async def, CPython refuses). */
const YIELDS = 1;
const RETURNS_VALUE = 2;

/** The block a compound statement starting at token `k` opens; 0 for a simple statement. */
function headerAt(t: Tokens, k: number): number {
  if (t.kind[k] !== Tok.Name) return 0;
  const c = t.code[k]!;
  if (c === DEF) return DEF_BODY;
  if (c === CLASS) return CLASS_BODY;
  if (c === FOR || c === WHILE) return LOOP_BODY;
  if (c === ASYNC) return isWord(t, k + 1, DEF) ? ASYNC_DEF_BODY : isWord(t, k + 1, FOR) ? LOOP_BODY : OTHER;
  // if/elif/else/try/except/finally/with: their blocks are the enclosing scope's. Any other line
  // (`match`, `case`, `x: int`, a lambda statement) has no header whose colon matters here.
  return COMPOUND_BLOCK_WORDS.has(c) ? OTHER : 0;
}

const COMPOUND_BLOCK_WORDS = new Set((["if", "elif", "else", "try", "except", "finally", "with"] as const).map(wordCode));

/** May a statement of the file stand where CPython's compiler refuses it? */
export function misplacedStatement(t: Tokens): boolean {
  const blocks: number[] = [];
  /** YIELDS and RETURNS_VALUE of each block in `blocks` (for a function's), and of the current line's inline body. */
  const marks: number[] = [];
  let inlineMarks = 0;
  /** A lambda on this logical line: an `await` after it may be in its body. */
  let lambdaOnLine = false;
  /** A `yield` inside brackets, or a bracket opening with `*`: either may be a comprehension's. */
  let mayBeComprehension = false;
  /** The block the next INDENT opens: the last logical line's header's, if the line ended at its colon. */
  let opens = OTHER;
  /** The current line's header (0 for none), and the block its same-line body is (0 until its colon). */
  let header = 0;
  let inline = 0;
  let atStart = true;
  let depth = 0;
  let lambdas = 0;
  /** The innermost enclosing block among `of`, 0 for none (the module). */
  const innermost = (of: number): number => {
    if (inline & of) return inline;
    for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i]! & of) return blocks[i]!;
    return 0;
  };
  /** Marks the innermost function (a def's block, or the line's inline def body) with `mark`. */
  const markFunction = (mark: number): void => {
    if (inline & FUNCTION) inlineMarks |= mark;
    else
      for (let i = blocks.length - 1; i >= 0; i--)
        if (blocks[i]! & SCOPE) {
          if (blocks[i]! & FUNCTION) marks[i] = marks[i]! | mark;
          return;
        }
  };
  const functions = (): number => (inline & FUNCTION ? 1 : 0) + blocks.filter((b) => b & FUNCTION).length;
  const { kind: kinds, code: codes, count } = t;
  for (let k = 0; k < count; k++) {
    const kind = kinds[k];
    if (kind === Tok.Indent) {
      blocks.push(opens);
      marks.push(0);
      opens = OTHER;
      continue;
    }
    if (kind === Tok.Dedent) {
      const block = blocks.pop();
      if (marks.pop() === (YIELDS | RETURNS_VALUE) && block === ASYNC_DEF_BODY) return true;
      continue;
    }
    if (kind === Tok.Newline) {
      if (inline === ASYNC_DEF_BODY && inlineMarks === (YIELDS | RETURNS_VALUE)) return true;
      opens = header !== 0 && kinds[k - 1] === Tok.Op && codes[k - 1] === COLON ? header : OTHER;
      header = inline = depth = lambdas = inlineMarks = 0;
      lambdaOnLine = false;
      atStart = true;
      continue;
    }
    if (atStart) {
      atStart = false;
      header = headerAt(t, k);
    }
    if (kind === Tok.Op) {
      const op = codes[k]!;
      depth += BRACKET[op]!;
      // `[*a for ...`; a call's `f(*a)` is arguments.ts's.
      if ((op === STAR || op === DOUBLE_STAR) && kinds[k - 1] === Tok.Op && BRACKET[codes[k - 1]!] === 1 && !(codes[k - 1] === LPAR && endsExpression(t, k - 2))) mayBeComprehension = true;
      if (op === COLON && depth === 0 && header !== 0 && inline === 0) {
        // `for x in lambda: y: pass`: a lambda's colon comes first.
        if (lambdas > 0) lambdas--;
        else inline = header;
      }
      continue;
    }
    if (kind !== Tok.Name) continue;
    const c = codes[k]!;
    if (c === 0) continue;
    if (c === LAMBDA) {
      lambdaOnLine = true;
      if (depth === 0 && header !== 0 && inline === 0) lambdas++;
    } else if (c === RETURN || c === YIELD) {
      const scope = innermost(SCOPE);
      if (!(scope & FUNCTION)) return true;
      if (c === YIELD) {
        if (scope === ASYNC_DEF_BODY && isWord(t, k + 1, FROM)) return true;
        if (depth > 0) mayBeComprehension = true;
        markFunction(YIELDS);
      } else if (kinds[k + 1] !== Tok.Newline && !(kinds[k + 1] === Tok.Op && codes[k + 1] === SEMI)) markFunction(RETURNS_VALUE);
    } else if (c === AWAIT || (c === ASYNC && !isWord(t, k + 1, DEF))) {
      if (innermost(SCOPE) !== ASYNC_DEF_BODY || (c === AWAIT && lambdaOnLine)) return true;
    } else if (c === BREAK || c === CONTINUE) {
      if (innermost(SCOPE | LOOP_BODY) !== LOOP_BODY) return true;
    } else if (c === IMPORT && kinds[k + 1] === Tok.Op && codes[k + 1] === STAR) {
      // `from m import *` only at module level.
      if (innermost(SCOPE) !== 0) return true;
    } else if (c === NONLOCAL) {
      const scope = innermost(SCOPE);
      if (scope === 0 || functions() < (scope === CLASS_BODY ? 1 : 2)) return true;
    }
  }
  return mayBeComprehension && comprehensionRefused(t);
}

/** Per open bracket, in comprehensionRefused(): it directly holds a `for`, holds a `yield`, opens with `*` or `**`. */
const HOLDS_FOR = 1;
const HOLDS_YIELD = 2;
const OPENS_STARRED = 4;

/**
 * A comprehension or generator expression CPython refuses: one holding a `yield` (anywhere in its
 * brackets, nested brackets included), or one whose element is starred (`[*a for a in b]`). A
 * comprehension is a bracket directly holding a `for`. Liberal about the first iterable, which is
 * evaluated outside and may yield.
 */
function comprehensionRefused(t: Tokens): boolean {
  const open: number[] = [];
  for (let k = 0; k < t.count; k++) {
    const kind = t.kind[k];
    if (kind === Tok.Op) {
      const op = t.code[k]!;
      const b = BRACKET[op]!;
      if (b === 1) open.push(0);
      else if (b === -1) {
        const held = open.pop()!;
        if (held & HOLDS_FOR && held & (HOLDS_YIELD | OPENS_STARRED)) return true;
      } else if ((op === STAR || op === DOUBLE_STAR) && t.kind[k - 1] === Tok.Op && BRACKET[t.code[k - 1]!] === 1) open[open.length - 1] = open[open.length - 1]! | OPENS_STARRED;
    } else if (kind === Tok.Name && open.length > 0) {
      if (t.code[k] === FOR) open[open.length - 1] = open[open.length - 1]! | HOLDS_FOR;
      else if (t.code[k] === YIELD) for (let i = 0; i < open.length; i++) open[i] = open[i]! | HOLDS_YIELD;
    }
  }
  return false;
}
