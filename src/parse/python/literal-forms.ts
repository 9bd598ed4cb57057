/**
 * Literals tree-sitter parses and CPython's compiler refuses: a bytes literal joined to a str one
 * (`b"a" "b"`: "cannot mix bytes and nonbytes literals"), a bytes literal holding a non-ASCII
 * character, numbers the tokenizer found odd (leading zeros, `1_000_`, a name glued on), and an
 * f-string field every version refuses (`!z`, a bare `lambda`, a spec nesting fields two deep).
 * A file holding one goes to the target interpreter's compile() (confirm-syntax.ts), as does one
 * with an escape every CPython refuses (`"C:\Users"`: the tokenizer's Seen.BadEscape). The names
 * in `\N{...}` escapes are read here (namedEscapes) and looked up in the target's own Unicode
 * database, name by name: sending every file with a `\N{` to the compiler sent 69 of 25,790
 * library files, 3.5 MB of them.
 *
 * Liberal: an ODD bytes literal may only hold an escape CPython warns about; the compiler says.
 */
import { F_FIELDS, FIELD_NESTING, isStringToken, Seen, stringBody, Tok, type Tokens } from "./tokens.js";

const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DOT = 46;


const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** May a literal of the file be one CPython refuses? */
export function badLiteral(t: Tokens, text: string): boolean {
  if ((t.seen & Seen.BadEscape) !== 0) return true;
  const bytes = (t.seen & Seen.Bytes) !== 0;
  if (!bytes && (t.seen & Seen.Odd) === 0) return false;
  for (let k = 0; k < t.count; k++) {
    // The tokenizer marks a bytes literal with 1 in `bytes`, STRING and ODD alike.
    if (bytes && t.bytes[k] !== t.bytes[k + 1] && (t.bytes[k] === 1 || t.bytes[k + 1] === 1) && isStringToken(t, text, k) && isStringToken(t, text, k + 1)) return true;
    if (t.kind[k] !== Tok.Odd) continue;
    const s = t.start[k]!;
    const first = text.charCodeAt(s);
    if ((isDigit(first) || (first === DOT && isDigit(text.charCodeAt(s + 1)))) && badNumber(text, s, t.end[k]!)) return true;
    if (t.bytes[k] === 1) return true;
    if (t.bytes[k] === F_FIELDS && badFString(text, s, t.end[k]!)) return true;
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
  while (isNameChar(text.charCodeAt(end))) end++;
  return !GLUED_KEYWORDS.has(text.slice(e, end));
}

const UNDERSCORE = 95;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c >= 128;
/** Keywords CPython's tokenizer still lets touch a number (with a warning from 3.12 on). */
const GLUED_KEYWORDS = new Set(["and", "else", "for", "if", "in", "is", "not", "or"]);

const LBRACE = 123;
const RBRACE = 125;
const BANG = 33;
const COLON = 58;
const EQUAL = 61;
const BACKSLASH = 92;
const SPACE = 32;

/**
 * The f-string text[s, e) (prefix and quotes included) has a replacement field every CPython
 * refuses: a conversion other than `!r`, `!s`, `!a`; an expression starting with a bare
 * `lambda`; a format spec holding a field whose own spec holds another. Reads only what it can
 * follow; anything else (a quote it cannot pair) ends the reading with "no".
 */
function badFString(text: string, s: number, e: number): boolean {
  const { prefix, from, to: end } = stringBody(text, s, e);
  const raw = prefix.includes("r");
  // Fields open, innermost last: 0 while reading a field's expression, 1 while reading its spec.
  const fields: number[] = [];
  let brackets = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    const inExpression = fields.length > 0 && fields[fields.length - 1] === 0;
    if (!inExpression) {
      // Literal text, or a spec's.
      if (c === BACKSLASH && !raw) i++;
      else if (c === LBRACE) {
        if (fields.length === 0 && text.charCodeAt(i + 1) === LBRACE) i++;
        else {
          if (fields.length >= 2) return true;
          fields.push(0);
          brackets = 0;
          let j = i + 1;
          while (text.charCodeAt(j) === SPACE) j++;
          if (text.startsWith("lambda", j) && !isNameChar(text.charCodeAt(j + 6))) return true;
        }
      } else if (c === RBRACE) {
        if (fields.length === 0) i += text.charCodeAt(i + 1) === RBRACE ? 1 : 0;
        else fields.pop();
      }
      continue;
    }
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      const close = text.indexOf(String.fromCharCode(c), i + 1);
      if (close === -1 || close >= end) return false;
      i = close;
      continue;
    }
    const nesting = c < 128 ? FIELD_NESTING[c]! : 0;
    if (nesting === 1) brackets++;
    else if (nesting === -1 && brackets > 0) brackets--;
    else if (c === RBRACE) fields.pop();
    else if (brackets === 0 && c === BANG && text.charCodeAt(i + 1) !== EQUAL) {
      // A conversion: one of r, s, a, then the spec or the field's end.
      const conversion = text.charCodeAt(i + 1);
      const after = text.charCodeAt(i + 2);
      if (!(conversion === 114 || conversion === 115 || conversion === 97) || !(after === COLON || after === RBRACE)) return true;
      i++;
    } else if (brackets === 0 && c === COLON) fields[fields.length - 1] = 1;
  }
  return false;
}

const isNameChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === UNDERSCORE;

/**
 * The names of the file's `\N{...}` escapes in str literals that are not raw (f-strings too),
 * each once, in the order they come; `unclosed` when one has no `}` in its literal, which every
 * CPython refuses ("malformed \N character escape"). Files without Seen.NamedEscape hold none.
 */
export function namedEscapes(t: Tokens, text: string): { names: string[]; unclosed: boolean } {
  const names = new Set<string>();
  if ((t.seen & Seen.NamedEscape) === 0) return { names: [], unclosed: false };
  for (let k = 0; k < t.count; k++) {
    // The tokenizer makes every literal with a \N escape ODD; a bytes literal has none.
    if (t.kind[k] !== Tok.Odd || t.bytes[k] === 1 || !isStringToken(t, text, k)) continue;
    const { prefix, from, to } = stringBody(text, t.start[k]!, t.end[k]!);
    if (prefix.includes("r")) continue;
    for (let i = from; i < to; i++) {
      if (text.charCodeAt(i) !== BACKSLASH) continue;
      if (text.charCodeAt(i + 1) === CAPITAL_N && text.charCodeAt(i + 2) === LBRACE) {
        const close = text.indexOf("}", i + 3);
        if (close === -1 || close >= to) return { names: [...names], unclosed: true };
        names.add(text.slice(i + 3, close));
        i = close;
      } else i++;
    }
  }
  return { names: [...names], unclosed: false };
}

const CAPITAL_N = 78;
