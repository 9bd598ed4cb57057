/**
 * Literals tree-sitter parses and CPython's compiler refuses: a bytes literal joined to a str one
 * (`b"a" "b"`: "cannot mix bytes and nonbytes literals"), a bytes literal holding a non-ASCII
 * character, and numbers the tokenizer found odd (leading zeros, `1_000_`, a name glued on). A
 * file holding one goes to the target interpreter's compile() (confirm-syntax.ts). Not read: a
 * `\N{...}` escape naming no character, which only CPython's Unicode database can tell (sending
 * every `\N{` sent hundreds of valid files).
 *
 * Liberal: an ODD bytes literal may only hold an escape CPython warns about; the compiler says.
 */
import { Seen, Tok, type Tokens } from "./tokens.js";

const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DOT = 46;

/** Token `k` is a string literal: a STRING token, or an ODD one (an f-string, an odd escape) that ends with a quote. */
function isString(t: Tokens, text: string, k: number): boolean {
  const kind = t.kind[k];
  if (kind === Tok.String) return true;
  if (kind !== Tok.Odd) return false;
  const last = text.charCodeAt(t.end[k]! - 1);
  return last === QUOTE || last === DOUBLE_QUOTE;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** May a literal of the file be one CPython refuses? */
export function badLiteral(t: Tokens, text: string): boolean {
  const bytes = (t.seen & Seen.Bytes) !== 0;
  if (!bytes && (t.seen & Seen.Odd) === 0) return false;
  for (let k = 0; k < t.count; k++) {
    // The tokenizer marks a bytes literal with 1 in `bytes`, STRING and ODD alike.
    if (bytes && t.bytes[k] !== t.bytes[k + 1] && (t.bytes[k] === 1 || t.bytes[k + 1] === 1) && isString(t, text, k) && isString(t, text, k + 1)) return true;
    if (t.kind[k] !== Tok.Odd) continue;
    const s = t.start[k]!;
    const first = text.charCodeAt(s);
    if ((isDigit(first) || (first === DOT && isDigit(text.charCodeAt(s + 1)))) && badNumber(text, s, t.end[k]!)) return true;
    if (t.bytes[k] === 1) return true;
  }
  return false;
}

/**
 * The number text[s, e), which the tokenizer found odd, is one CPython refuses: a decimal integer
 * with leading zeros (`0777`), or one glued to `_` or to a name that is no keyword (`1_000_`,
 * `0x`, `12abc`). Not a long literal, nor `1if x else 2`, nor `1.5.real`.
 */
function badNumber(text: string, s: number, e: number): boolean {
  if (/^0[0-9_]*[1-9][0-9_]*$/.test(text.slice(s, e))) return true;
  const next = text.charCodeAt(e);
  if (next === UNDERSCORE) return true;
  if (!isLetter(next)) return false;
  let end = e;
  while (isLetter(text.charCodeAt(end)) || isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === UNDERSCORE) end++;
  return !GLUED_KEYWORDS.has(text.slice(e, end));
}

const UNDERSCORE = 95;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 128;
/** Keywords CPython's tokenizer still lets touch a number (with a warning from 3.12 on). */
const GLUED_KEYWORDS = new Set(["and", "else", "for", "if", "in", "is", "not", "or"]);
