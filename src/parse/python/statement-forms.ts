/**
 * Statements tree-sitter parses and CPython's compiler refuses for their form: a `try:` with
 * neither an `except` nor a `finally` clause, an `import`, `from ... import`, `global` or
 * `nonlocal` list ending in a comma outside parentheses (`from os import path,`), and two operands
 * with nothing between them (Python 2's `print "x"` and `ur"x"`, `bf"x"`, `x 1`). A file holding
 * one goes to the target interpreter's compile() (confirm-syntax.ts).
 */
import { bodyEnd, BRACKET, isKeywordCode, isOp, isStringToken, isWord, opCode, Tok, wordCode, type Tokens } from "./tokens.js";

const TRY = wordCode("try");
const EXCEPT = wordCode("except");
const FINALLY = wordCode("finally");
const COMMA = opCode(",");
const SEMI = opCode(";");
const COLON = opCode(":");
/** Statements whose list of names may not end in a bare comma. */
const LISTS = new Set((["import", "from", "global", "nonlocal"] as const).map(wordCode));

/** Soft keywords, which a statement may start with and follow with an operand. */
const SOFT = new Set((["match", "case", "type"] as const).map(wordCode));

/** Token `k` is an operand: a name that is no keyword, a number or a string literal. Other ODD tokens (a non-ASCII name, an odd number) are not read. */
function operand(t: Tokens, text: string, k: number): boolean {
  const kd = t.kind[k];
  if (kd === Tok.Name) return !isKeywordCode(t.code[k]!);
  return kd === Tok.Number || isStringToken(t, text, k);
}

/** May a statement of the file have a form CPython refuses? */
export function badStatementForm(t: Tokens, text: string): boolean {
  const { kind, code, count } = t;
  let atStart = true;
  let list = false;
  let depth = 0;
  for (let k = 0; k < count; k++) {
    const kd = kind[k];
    if (kd === Tok.Newline || kd === Tok.Indent || kd === Tok.Dedent) {
      atStart = true;
      list = false;
      depth = 0;
      continue;
    }
    const first = atStart;
    atStart = false;
    // Two operands in a row, but string literals joined and a soft keyword starting a statement.
    if (operand(t, text, k) && operand(t, text, k + 1) && !(isStringToken(t, text, k) && isStringToken(t, text, k + 1)) && !(first && SOFT.has(code[k]!))) return true;
    if (kd === Tok.Op) {
      const op = code[k]!;
      depth += BRACKET[op]!;
      if (depth !== 0) continue;
      if (op === SEMI) {
        atStart = true;
        list = false;
      } else if (op === COMMA && list && (kind[k + 1] === Tok.Newline || isOp(t, k + 1, SEMI))) return true;
      continue;
    }
    if (kd !== Tok.Name || !first) continue;
    const c = code[k]!;
    if (LISTS.has(c)) list = true;
    else if (c === TRY && isOp(t, k + 1, COLON) && !handled(t, k + 2)) return true;
  }
  return false;
}

/** The body of a `try:` starts at token `k` (after its colon): an `except` or `finally` clause follows it. */
function handled(t: Tokens, k: number): boolean {
  const next = bodyEnd(t, k);
  return isWord(t, next, EXCEPT) || isWord(t, next, FINALLY);
}
