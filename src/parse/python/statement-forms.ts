/**
 * Statements tree-sitter parses and CPython's compiler refuses for their form: a `try:` with
 * neither an `except` nor a `finally` clause, and an `import`, `from ... import`, `global` or
 * `nonlocal` list ending in a comma outside parentheses (`from os import path,`). A file holding
 * one goes to the target interpreter's compile() (confirm-syntax.ts).
 */
import { bodyEnd, BRACKET, isOp, isWord, opCode, Tok, wordCode, type Tokens } from "./tokens.js";

const TRY = wordCode("try");
const EXCEPT = wordCode("except");
const FINALLY = wordCode("finally");
const COMMA = opCode(",");
const SEMI = opCode(";");
const COLON = opCode(":");
/** Statements whose list of names may not end in a bare comma. */
const LISTS = new Set((["import", "from", "global", "nonlocal"] as const).map(wordCode));

/** May a statement of the file have a form CPython refuses? */
export function badStatementForm(t: Tokens): boolean {
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
