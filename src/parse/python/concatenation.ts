/**
 * Adjacent string literals CPython joins into one, and refuses to when bytes and str meet
 * (`b"a" "b"`: "cannot mix bytes and nonbytes literals"); tree-sitter parses them. A file holding
 * such a pair goes to the target interpreter's compile() (confirm-syntax.ts).
 */
import { Seen, Tok, type Tokens } from "./tokens.js";

const QUOTE = 39;
const DOUBLE_QUOTE = 34;

/** Token `k` is a string literal: a STRING token, or an ODD one (an f-string, an odd escape) that ends with a quote. */
function isString(t: Tokens, text: string, k: number): boolean {
  const kind = t.kind[k];
  if (kind === Tok.String) return true;
  if (kind !== Tok.Odd) return false;
  const last = text.charCodeAt(t.end[k]! - 1);
  return last === QUOTE || last === DOUBLE_QUOTE;
}

/** May the file join a bytes literal and a str one? */
export function mixedLiterals(t: Tokens, text: string): boolean {
  if (!(t.seen & Seen.Bytes)) return false;
  for (let k = 0; k + 1 < t.count; k++) {
    // The tokenizer marks a bytes literal with 1 in `bytes`, STRING and ODD alike.
    if (t.bytes[k] !== t.bytes[k + 1] && (t.bytes[k] === 1 || t.bytes[k + 1] === 1) && isString(t, text, k) && isString(t, text, k + 1)) return true;
  }
  return false;
}
