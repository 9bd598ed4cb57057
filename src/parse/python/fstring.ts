/**
 * The replacement fields of an f-string, for reduce.ts: a function body holding f-strings (most
 * modern bodies do) may be left out of tree-sitter's parse once every field is an expression the
 * recognizer vouches for and no name in it can matter to the facts.
 *
 * CPython read f-strings with a separate scanner before 3.12 and with its grammar from 3.12 on,
 * and the two disagree at the edges: the enclosing quote reused inside a field, backslashes and
 * comments in fields, fields over several lines, deeply nested format specs, the `=` specifier
 * (3.8+). This reader takes only the part both read the same way and gives up (undefined) on
 * anything else, so a string it gives fields for is one every version splits alike:
 *
 * - literal text with `{{` and `}}`; escapes only outside raw strings (the tokenizer has already
 *   refused the escapes CPython warns about);
 * - `{expr}`, `{expr!r}` (`s`, `a`), `{expr:spec}`, where `expr` is on one line, holds no
 *   backslash, `#`, the enclosing quote or a triple-quoted string, and its inner strings hold none
 *   of `{}:!#`;
 * - a spec of plain characters and fields `{expr}` one level deep.
 */

const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const LPAR = 40;
const RPAR = 41;
const LSQB = 91;
const RSQB = 93;
const BANG = 33;
const COLON = 58;
const EQUAL = 61;
const LESS = 60;
const GREATER = 62;
const DQUOTE = 34;
const SQUOTE = 39;

class GiveUp {}
const GIVE_UP = new GiveUp();

/**
 * The f-string token text[start, end) (prefix and quotes included): the [start, end) offsets of
 * each field's expression, in order, or undefined when it is not one this reader vouches for.
 */
export function fStringFields(text: string, start: number, end: number): number[] | undefined {
  let q = start;
  while (q < end && text.charCodeAt(q) !== DQUOTE && text.charCodeAt(q) !== SQUOTE) q++;
  const prefix = text.slice(start, q).toLowerCase();
  if (!prefix.includes("f")) return undefined;
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote && end - q >= 6;
  const width = triple ? 3 : 1;
  try {
    return new FieldReader(text, quote, prefix.includes("r"), q + width, end - width).read();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class FieldReader {
  private readonly fields: number[] = [];

  constructor(
    private readonly text: string,
    private readonly quote: number,
    private readonly raw: boolean,
    private readonly from: number,
    private readonly to: number,
  ) {}

  private at(i: number): number {
    if (i >= this.to) throw GIVE_UP;
    return this.text.charCodeAt(i);
  }

  read(): number[] {
    let i = this.from;
    while (i < this.to) {
      const c = this.text.charCodeAt(i);
      if (c === BACKSLASH) {
        if (this.raw) throw GIVE_UP;
        i += 2;
      } else if (c === LBRACE) {
        if (this.text.charCodeAt(i + 1) === LBRACE && i + 1 < this.to) i += 2;
        else i = this.field(i + 1, false);
      } else if (c === RBRACE) {
        if (this.text.charCodeAt(i + 1) !== RBRACE || i + 1 >= this.to) throw GIVE_UP;
        i += 2;
      } else i++;
    }
    if (i !== this.to) throw GIVE_UP;
    return this.fields;
  }

  /** The field whose expression starts at `i` (past its `{`): returns the offset past its `}`. */
  private field(i: number, nested: boolean): number {
    const exprStart = i;
    let depth = 0;
    for (;;) {
      const c = this.at(i);
      if (c === BACKSLASH || c === HASH || c === LF || c === CR || c === this.quote) throw GIVE_UP;
      if (c === DQUOTE || c === SQUOTE) {
        i = this.innerString(i, c);
        continue;
      }
      if (c === LPAR || c === LSQB || c === LBRACE) depth++;
      else if (c === RPAR || c === RSQB) {
        if (depth === 0) throw GIVE_UP;
        depth--;
      } else if (c === RBRACE) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && c === BANG) {
        if (this.at(i + 1) !== EQUAL) break;
        i += 2;
        continue;
      } else if (depth === 0 && c === COLON) break;
      else if (depth === 0 && c === EQUAL) {
        // `==`, `<=`, `>=` (and `!=` above) are operators; any other `=` is the 3.8+ specifier or an error.
        if (this.at(i + 1) === EQUAL) {
          i += 2;
          continue;
        }
        const before = this.text.charCodeAt(i - 1);
        if (i === exprStart || (before !== LESS && before !== GREATER)) throw GIVE_UP;
      }
      i++;
    }
    this.fields.push(exprStart, i);
    if (this.at(i) === BANG) {
      const conversion = this.at(i + 1);
      if (conversion !== 114 && conversion !== 115 && conversion !== 97) throw GIVE_UP; // r, s, a
      i += 2;
      if (this.at(i) !== COLON && this.at(i) !== RBRACE) throw GIVE_UP;
    }
    if (this.at(i) === COLON) {
      if (nested) throw GIVE_UP;
      i++;
      for (;;) {
        const c = this.at(i);
        if (c === RBRACE) break;
        if (c === LBRACE) {
          if (this.at(i + 1) === LBRACE) throw GIVE_UP;
          i = this.field(i + 1, true);
          continue;
        }
        if (c === BACKSLASH || c === LF || c === CR || c === DQUOTE || c === SQUOTE) throw GIVE_UP;
        i++;
      }
    }
    if (this.at(i) !== RBRACE) throw GIVE_UP;
    // `}}` right after a field: CPython's readers differ on which brace closes what.
    if (!nested && i + 1 < this.to && this.text.charCodeAt(i + 1) === RBRACE) throw GIVE_UP;
    return i + 1;
  }

  /** A one-quote string inside an expression, opened at `i`: the offset past its closing quote. */
  private innerString(i: number, quote: number): number {
    if (this.at(i + 1) === quote && this.at(i + 2) === quote) throw GIVE_UP;
    let j = i + 1;
    for (;;) {
      const c = this.at(j);
      if (c === quote) return j + 1;
      if (c === BACKSLASH || c === LF || c === CR || c === LBRACE || c === RBRACE || c === COLON || c === BANG || c === HASH) throw GIVE_UP;
      j++;
    }
  }
}
