/**
 * A Python tokenizer for one job: telling reduce.ts where function and class bodies start and
 * end, and handing recognize.ts the tokens of the bodies it may leave out of tree-sitter's parse.
 *
 * It follows CPython's tokenizer (logical lines, an indentation stack, brackets, continuations)
 * and gives up on the whole file (returns undefined) wherever the line structure itself is in
 * doubt: a tab or form feed in indentation, a dedent to no known level, an unclosed string or
 * bracket, a lone carriage return. A token it does not fully understand (an f-string with
 * replacement fields, a non-ASCII name, an odd escape or number, a stray character) is kept as
 * ODD: the line structure around it is sound, but no body holding it is left out (unless it is
 * an f-string whose fields reduce.ts reads and vouches for, flagged F_FIELDS).
 *
 * On the way it answers layout.ts's questions about the file (could the indentation be wrong,
 * should CPython's compiler judge it), exactly as that scan would: one pass over the text
 * instead of two. Where it gives up, the caller runs the scan itself.
 */
import { COMPOUND, COMPOUND_WORDS, MAX_INDENT, MAX_LEVEL, type LayoutScan } from "./layout.js";

export const enum Tok {
  Name,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  End,
  Odd,
}

/**
 * Names the recognizer and reducer ask about, numbered from 1 in `Tokens.code` (0 for any other
 * name), so that they compare numbers, not strings.
 */
export const WORDS = [
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
  "pass", "raise", "return", "try", "while", "with", "yield",
  "__debug__", "__future__", "annotations",
  "__import__", "import_module", "importorskip", "globals", "vars", "locals", "modules", "__name__", "exec", "execfile",
  "eval", "f_globals", "f_locals", "mark", "addinivalue_line", "builtins", "__builtins__", "__builtin__", "install", "setattr",
  "match", "case", "type", "print",
] as const;
const WORD_CODES = new Map<string, number>(WORDS.map((w, i) => [w, i + 1]));
/** The same as an object: the recognizer asks for a word's code with a literal on every token it checks, and a property load is cheaper than a Map lookup. */
const WORD_CODE = Object.fromEntries(WORD_CODES) as Record<(typeof WORDS)[number], number>;
export function wordCode(w: (typeof WORDS)[number]): number {
  return WORD_CODE[w];
}
/** The WORDS code of any name, 0 when it is none of them. */
export function codeOfWord(name: string): number {
  return WORD_CODES.get(name) ?? 0;
}

/**
 * WORDS by first character and length: most names in a file are none of them, and this tells so
 * without making a string of the name (a slice and a Map lookup for every name token cost more
 * than the rest of the tokenizer).
 */
const MAX_WORD = 32;
// Filled out to its full length: an array written only at scattered indices is a dictionary to V8, and this lookup was then most of the tokenizer's time.
const WORDS_BY_SHAPE: ({ chars: number[]; code: number }[] | undefined)[] = Array.from({ length: 128 * MAX_WORD }, () => undefined);
for (const [word, code] of WORD_CODES) (WORDS_BY_SHAPE[word.charCodeAt(0) * MAX_WORD + word.length] ??= []).push({ chars: [...word].map((c) => c.charCodeAt(0)), code });

/** The WORDS code of the name text[s, e), 0 for any other name. */
function wordAt(text: string, s: number, e: number): number {
  const first = text.charCodeAt(s);
  if (e - s >= MAX_WORD || first >= 128) return 0;
  const candidates = WORDS_BY_SHAPE[first * MAX_WORD + (e - s)];
  if (candidates === undefined) return 0;
  // Character by character: `startsWith` at an offset is a call out of optimised code.
  next: for (const { chars, code } of candidates) {
    for (let j = 1; j < chars.length; j++) if (text.charCodeAt(s + j) !== chars[j]) continue next;
    return code;
  }
  return 0;
}

const LAST_KEYWORD = WORDS.indexOf("yield") + 1;

/** `Tokens.bytes` of an ODD token that is an f-string with replacement fields and nothing else odd. */
export const F_FIELDS = 2;
const DEBUG = WORDS.indexOf("__debug__") + 1;

/** What a file's tokens hold at all, as bits of `Tokens.seen`: checks that need one skip files without it. */
export const enum Seen {
  /** A bytes literal. */
  Bytes = 1,
  /** An ODD token: an f-string with fields (code the tokenizer did not split), or anything else odd. */
  Odd = 2,
  /** A `*` or `**` that starts an item (`*a, b = c`, `f(*a)`, `[**a]`), not an operator between two. */
  Unpacking = 4,
  /** An augmented assignment's operator (`+=` ...). */
  Augmented = 8,
  /** A colon outside brackets on a line that may be an annotation's (or a lambda's): no keyword starts the line, or it has two. */
  Annotation = 16,
  /**
   * An escape every CPython refuses in a string literal that is not raw: `\x` without two hex
   * digits, `\u` or `\U` without four or eight in a str (or `\U` past U+10FFFF), `\N` without a
   * `{` (`"C:\Users"`, `"\Names"`).
   */
  BadEscape = 32,
  /** A `\N{...}` escape in a str literal that is not raw: its name is CPython's Unicode database's to know. */
  NamedEscape = 64,
}
/** `Tokens.words` is this long: a slot per WORDS code and slot 0, rounded up to keep the slab aligned. */
const WORD_SLOTS = (WORDS.length + 4) & ~3;

export interface Tokens {
  /** What layout.ts's scan would say of the same text, worked out on the way. */
  layout: LayoutScan;
  /** Seen bits: what the file holds at all. */
  seen: number;
  /** By WORDS code: 1 when a NAME token of the file is that word (slot 0 is any other name's). */
  words: Uint8Array;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** NAME: its WORDS number (0 for other names); OP: its OPERATORS number. */
  code: Uint16Array;
  /**
   * STRING tokens: 1 when bytes, 0 when str (adjacent literals may not mix). ODD tokens:
   * F_FIELDS for an f-string that is odd only for its replacement fields (fstring.ts reads them).
   */
  bytes: Uint8Array;
  count: number;
}

/**
 * Scratch arrays reused by every call (a file has at most two tokens per character, counting the
 * zero-width NEWLINE, INDENT and DEDENT ones); the result is a right-sized copy.
 */
let scratch = { kind: new Uint8Array(0), start: new Int32Array(0), end: new Int32Array(0), code: new Uint16Array(0), bytes: new Uint8Array(0) };
const scratchWords = new Uint8Array(WORD_SLOTS);
function scratchFor(chars: number): typeof scratch {
  const need = chars * 2 + 8;
  if (scratch.kind.length < need) {
    const size = Math.max(need, scratch.kind.length * 2);
    scratch = { kind: new Uint8Array(size), start: new Int32Array(size), end: new Int32Array(size), code: new Uint16Array(size), bytes: new Uint8Array(size) };
  }
  return scratch;
}

const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const NEWLINE = 10;
const CR = 13;
const HASH = 35;
const BACKSLASH = 92;

const COMPOUND_CODES = new Set<number>(COMPOUND_WORDS.map(wordCode));

/** Operators, longest first within each leading character. */
const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "!=", "->", ":=", "**", "//", ">>", "<<", "<=", ">=", "==",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
  "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];
const OP_CODES = new Map<string, number>(OPERATORS.map((o, i) => [o, i + 1]));
/** By first character: the operators starting with it, longest first, with their codes. */
const OPS_BY_CHAR: ({ second: number; third: number; length: number; code: number }[] | undefined)[] = Array.from({ length: 128 }, () => undefined);
for (const op of OPERATORS) (OPS_BY_CHAR[op.charCodeAt(0)] ??= []).push({ second: op.charCodeAt(1), third: op.charCodeAt(2), length: op.length, code: OP_CODES.get(op)! });
export function opCode(op: string): number {
  const code = OP_CODES.get(op);
  if (code === undefined) throw new Error(`not an operator: ${op}`);
  return code;
}
const COLON_OP = opCode(":");
/** By operator code: 1 for an opening bracket, -1 for a closing one, 0 for any other operator. */
export const BRACKET = new Int8Array(OPERATORS.length + 1);
for (const o of ["(", "[", "{"]) BRACKET[opCode(o)] = 1;
for (const o of [")", "]", "}"]) BRACKET[opCode(o)] = -1;
const WALRUS_OP = opCode(":=");
/** By operator code: 1 for an augmented assignment's operator. */
export const AUGMENTED_OP = new Uint8Array(OPERATORS.length + 1);
for (const o of ["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "|=", "^=", "@="]) AUGMENTED_OP[opCode(o)] = 1;
/** By operator code: the Seen bit it may set (Unpacking only where no expression ends before it). */
const OP_SEEN = new Uint8Array(OPERATORS.length + 1);
OPERATORS.forEach((o, i) => (OP_SEEN[i + 1] = AUGMENTED_OP[i + 1] ? Seen.Augmented : o === "*" || o === "**" ? Seen.Unpacking : 0));

const NUMBER =
  /0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?/y;
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
/** Escapes CPython reads in str literals without a warning; \x, \u, \U, \N are checked apart. */
const SIMPLE_ESCAPES = new Set([..."\n\\'\"abfnrtv01234567"].map((c) => c.charCodeAt(0)));

/** ASCII name characters: 1 for a letter or `_`, 2 for a digit (a table load beats the range tests on every character of every name). */
const NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CLASS[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 ? 1 : c >= 48 && c <= 57 ? 2 : 0;

function isNameStart(c: number): boolean {
  return c < 128 && NAME_CLASS[c] === 1;
}
function isNameChar(c: number): boolean {
  return c < 128 && NAME_CLASS[c] !== 0;
}
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export function tokenize(text: string): Tokens | undefined {
  const { kind, start, end, code, bytes: bytesFlags } = scratchFor(text.length);
  const words = scratchWords.fill(0);
  let count = 0;
  let seen = 0;
  const push = (k: Tok, s: number, e: number, isBytes = 0, c = 0): void => {
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    code[count] = c;
    bytesFlags[count] = isBytes;
    if (k === Tok.Odd) seen |= Seen.Odd;
    count++;
  };
  const n = text.length;
  const hasCR = text.includes("\r");
  const indents = [0];
  const brackets: number[] = [];
  let i = 0;
  let atLineStart = true;
  /** The current logical line has a token: its end gets a NEWLINE. */
  let lineHasToken = false;
  // The layout scan's answers (layout.ts). That scan stops at the first sign the indentation may
  // be wrong, so nothing after that sign may ask for the compiler.
  let maybeWrong = false;
  let askCompiler = false;
  const ask = (): void => {
    if (!maybeWrong) askCompiler = true;
  };
  /** The last logical line ended with a colon: this one must be indented further. */
  let opener = false;
  /** Where the current logical line starts, and its colons outside brackets. */
  let lineStart = 0;
  let colons = 0;
  /** The logical line's first token. */
  let lineFirst = 0;
  const endLine = (): void => {
    if (colons > 1 || (colons === 1 && !(kind[lineFirst] === Tok.Name && isKeywordCode(code[lineFirst]!)))) seen |= Seen.Annotation;
    const colon = lineHasToken && kind[count - 1] === Tok.Op && code[count - 1] === COLON_OP;
    if (colon && colons > 1) maybeWrong = true;
    else if (colon && !compoundAt(lineFirst)) ask();
    opener = colon;
  };
  // A compound statement's keyword starts the line: a name token there with its code says so
  // (the name ended at an ASCII character that is no name's), else the text is asked.
  const compoundAt = (first: number): boolean =>
    (kind[first] === Tok.Name && start[first] === lineStart && COMPOUND_CODES.has(code[first]!)) || COMPOUND.test(text.slice(lineStart, lineStart + 8));
  while (i < n) {
    if (atLineStart && brackets.length === 0) {
      let col = 0;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === SPACE) col++;
        else if (c === TAB || c === FORM_FEED) return undefined;
        else break;
        i++;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === HASH || c === NEWLINE || c === CR) {
        // A blank or comment-only line: no indentation meaning.
        while (i < n && text.charCodeAt(i) !== NEWLINE) {
          if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) !== NEWLINE) return undefined;
          i++;
        }
        i++;
        continue;
      }
      const top = indents[indents.length - 1]!;
      if (col > top) {
        if (!opener) maybeWrong = true;
        indents.push(col);
        if (indents.length >= MAX_INDENT - 1) ask();
        push(Tok.Indent, i, i);
      } else {
        if (opener) maybeWrong = true;
        if (col < top) {
          while (indents[indents.length - 1]! > col) {
            indents.pop();
            push(Tok.Dedent, i, i);
          }
          if (indents[indents.length - 1] !== col) return undefined;
        }
      }
      atLineStart = false;
      lineStart = i;
      lineFirst = count;
      colons = 0;
    }
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === FORM_FEED) {
      i++;
      continue;
    }
    if (c === HASH) {
      // To the line end, which is handled below.
      if (hasCR) while (i < n && text.charCodeAt(i) !== NEWLINE && text.charCodeAt(i) !== CR) i++;
      else {
        const nl = text.indexOf("\n", i);
        i = nl < 0 ? n : nl;
      }
      continue;
    }
    if (c === NEWLINE || c === CR) {
      if (c === CR && text.charCodeAt(i + 1) !== NEWLINE) return undefined;
      const s = i;
      i += c === CR ? 2 : 1;
      if (brackets.length === 0) {
        endLine();
        if (lineHasToken) push(Tok.Newline, s, s);
        lineHasToken = false;
        atLineStart = true;
      }
      continue;
    }
    if (c === BACKSLASH) {
      if (text.charCodeAt(i + 1) === NEWLINE) i += 2;
      else if (text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === NEWLINE) i += 3;
      else return undefined;
      if (i >= n) return undefined;
      continue;
    }
    lineHasToken = true;
    if (isNameStart(c) || c >= 128) {
      const s = i;
      let odd = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d < 128) {
          if (NAME_CLASS[d] === 0) break;
          i++;
        } else {
          odd = true;
          i++;
        }
      }
      const q = text.charCodeAt(i);
      if ((q === 34 || q === 39) && !odd && STRING_PREFIX.test(text.slice(s, i))) {
        const string = scanString(text, s, i);
        if (!string) return undefined;
        if (string.crlfContinued) maybeWrong = true;
        push(string.odd || string.fields ? Tok.Odd : Tok.String, s, string.end, string.bytes ? 1 : !string.odd && string.fields ? F_FIELDS : 0);
        if (string.bytes) seen |= Seen.Bytes;
        seen |= string.seen;
        i = string.end;
        continue;
      }
      const word = odd ? 0 : wordAt(text, s, i);
      push(odd ? Tok.Odd : Tok.Name, s, i, 0, word);
      words[word] = 1;
      continue;
    }
    if (c === 34 || c === 39) {
      const string = scanString(text, i, i);
      if (!string) return undefined;
      if (string.crlfContinued) maybeWrong = true;
      push(string.odd ? Tok.Odd : Tok.String, i, string.end);
      seen |= string.seen;
      i = string.end;
      continue;
    }
    if (c >= 48 && c <= 57) {
      // A plain decimal integer (most numbers): no regular expression needed.
      let j = i + 1;
      if (c !== 48) while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const after = j < n ? text.charCodeAt(j) : SPACE;
      if (j - i <= 100 && !isNameChar(after) && after !== 46 && after < 128) {
        push(Tok.Number, i, j);
        i = j;
        continue;
      }
    }
    if ((c >= 48 && c <= 57) || (c === 46 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const s = i;
      const len = m ? m[0].length : 1;
      i += len;
      // Leading zeros, a name glued on (`1if`), or a huge literal: left to the real parsers.
      const literal = m?.[0] ?? "";
      const glued = i < n && (isNameChar(text.charCodeAt(i)) || text.charCodeAt(i) >= 128 || text.charCodeAt(i) === 46);
      const leadingZeros = /^0[0-9_]*[1-9]/.test(literal) && !/[.eEjJ]/.test(literal);
      push(!m || glued || leadingZeros || len > 100 ? Tok.Odd : Tok.Number, s, i);
      continue;
    }
    const ops = c < 128 ? OPS_BY_CHAR[c] : undefined;
    let found: { length: number; code: number } | undefined;
    if (ops) {
      for (const o of ops) {
        if (o.length === 1 || (text.charCodeAt(i + 1) === o.second && (o.length === 2 || text.charCodeAt(i + 2) === o.third))) {
          found = o;
          break;
        }
      }
    }
    if (!found) {
      // CPython's tokenizer refuses control characters outside strings and comments (U+000B is
      // whitespace to tree-sitter): only the compiler can say.
      if (c < 32 || c === 127) ask();
      push(Tok.Odd, i, i + 1);
      i++;
      continue;
    }
    const length = found.length;
    if (length === 1) {
      if (c === 40 || c === 91 || c === 123) {
        brackets.push(c);
        if (brackets.length >= MAX_LEVEL - 1) ask();
      } else if (c === 41 || c === 93 || c === 125) {
        const open = brackets.pop();
        if (open === undefined || open !== (c === 41 ? 40 : c === 93 ? 91 : 123)) return undefined;
      }
    }
    if ((found.code === COLON_OP || found.code === WALRUS_OP) && brackets.length === 0) colons++;
    const flags = OP_SEEN[found.code]!;
    if (flags !== 0 && (flags === Seen.Augmented || !(count > 0 && endsExpressionAt(kind, code, count - 1)))) seen |= flags;
    push(Tok.Op, i, i + length, 0, found.code);
    i += length;
  }
  if (brackets.length > 0) return undefined;
  if (!atLineStart) endLine();
  if (lineHasToken) push(Tok.Newline, n, n);
  while (indents.length > 1) {
    indents.pop();
    push(Tok.Dedent, n, n);
  }
  push(Tok.End, n, n);
  // The six right-sized copies in one stretch of a shared slab (the widest first, for alignment).
  const [buffer, at] = carve(count * 12 + WORD_SLOTS);
  const out: Tokens = {
    layout: { maybeWrong: maybeWrong || opener, askCompiler },
    seen,
    start: new Int32Array(buffer, at, count),
    end: new Int32Array(buffer, at + count * 4, count),
    code: new Uint16Array(buffer, at + count * 8, count),
    kind: new Uint8Array(buffer, at + count * 10, count),
    bytes: new Uint8Array(buffer, at + count * 11, count),
    words: new Uint8Array(buffer, at + count * 12, WORD_SLOTS),
    count,
  };
  out.start.set(start.subarray(0, count));
  out.end.set(end.subarray(0, count));
  out.code.set(code.subarray(0, count));
  out.kind.set(kind.subarray(0, count));
  out.bytes.set(bytesFlags.subarray(0, count));
  out.words.set(words);
  return out;
}

/**
 * Token arrays are carved out of shared slabs, as Node's Buffer pool does: allocating an
 * ArrayBuffer per file (zeroed, outside the heap, counted by the GC) cost a tenth of the
 * tokenizer's time. A slab is freed once no file's tokens in it are alive.
 */
const SLAB = 1 << 20;
let slab = new ArrayBuffer(0);
let slabUsed = 0;
function carve(bytes: number): [ArrayBuffer, number] {
  if (bytes > SLAB / 8) return [new ArrayBuffer(bytes), 0];
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const at = slabUsed;
  // Multiples of 4 keep every slice's Int32Array aligned (count * 12 and WORD_SLOTS always are).
  slabUsed += bytes;
  return [slab, at];
}

/**
 * The string literal whose prefix starts at `s` and quote at `q`: its end, whether it is one
 * snag's recognizer may vouch for as it is (only escapes CPython reads silently, ASCII-only
 * bytes: not `odd`), and whether it is an f-string with replacement fields, which only
 * fstring.ts can vouch for. Undefined when it does not close: the file's line structure is in doubt.
 */
function scanString(text: string, s: number, q: number): { end: number; odd: boolean; fields: boolean; bytes: boolean; crlfContinued?: true; seen: number } | undefined {
  const prefix = text.slice(s, q).toLowerCase();
  const raw = prefix.includes("r");
  const isBytes = prefix.includes("b");
  const isF = prefix.includes("f");
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  const n = text.length;
  let odd = false;
  let fields = false;
  let crlfContinued: true | undefined;
  // Seen.BadEscape and Seen.NamedEscape.
  let seen = 0;
  let j = q + (triple ? 3 : 1);
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      const d = text.charCodeAt(j + 1);
      if (j + 1 >= n) return undefined;
      if (!raw) {
        if (d === 120) {
          if (!isHex(text.charCodeAt(j + 2)) || !isHex(text.charCodeAt(j + 3))) {
            odd = true;
            seen |= Seen.BadEscape;
          }
        } else if (d === 117 || d === 85) {
          // \u and \U are escapes in str only (f-strings aside, where one may spell a brace), and
          // \U only up to U+10FFFF.
          const digits = d === 117 ? 4 : 8;
          let hex = true;
          for (let h = 2; h < 2 + digits; h++) if (!isHex(text.charCodeAt(j + h))) hex = false;
          const refused = !isBytes && (!hex || (digits === 8 && Number.parseInt(text.slice(j + 2, j + 10), 16) > 0x10ffff));
          if (refused) seen |= Seen.BadEscape;
          if (isBytes || isF || refused) odd = true;
        } else if (d === 78) {
          // \N{...} needs its name looked up; in bytes it is no escape.
          odd = true;
          if (!isBytes) seen |= text.charCodeAt(j + 2) === 123 ? Seen.NamedEscape : Seen.BadEscape;
        } else if (d === CR) {
          if (text.charCodeAt(j + 2) !== NEWLINE) return undefined;
          // layout.ts's scan ends a one-quote string at that line feed, and calls the layout unsure.
          if (!triple) crlfContinued = true;
          j++;
        } else if (!SIMPLE_ESCAPES.has(d)) odd = true;
      } else if (d === CR && text.charCodeAt(j + 2) !== NEWLINE) return undefined;
      j += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return { end: j + 1, odd, fields, bytes: isBytes, seen, ...(crlfContinued ? { crlfContinued } : {}) };
      if (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) return { end: j + 3, odd, fields, bytes: isBytes, seen };
    } else if (c === NEWLINE || c === CR) {
      if (!triple) return undefined;
      if (c === CR && text.charCodeAt(j + 1) !== NEWLINE) return undefined;
    } else if (isF && (c === 123 || c === 125)) {
      if (text.charCodeAt(j + 1) === c) j++;
      else fields = true;
    } else if (c >= 128 && isBytes) odd = true;
    else if (c === 0) odd = true;
    j++;
  }
  return undefined;
}

/** Token `k` is a name that may be bound or read: not a keyword, not `__debug__`. */
export function isPlainName(t: Tokens, k: number): boolean {
  const c = t.code[k]!;
  return t.kind[k] === Tok.Name && (c === 0 || (c > LAST_KEYWORD && c !== DEBUG));
}

/** Token `k` ends an expression, so a `(` after it opens a call's arguments (a `[`, a subscript) rather than a group or display. */
export function endsExpression(t: Tokens, k: number): boolean {
  return endsExpressionAt(t.kind, t.code, k);
}

function endsExpressionAt(kinds: Uint8Array, codes: Uint16Array, k: number): boolean {
  const kind = kinds[k];
  if (kind === Tok.Name) return !isKeywordCode(codes[k]!);
  if (kind === Tok.Number || kind === Tok.String || kind === Tok.Odd) return true;
  return kind === Tok.Op && BRACKET[codes[k]!] === -1;
}

/** Token `c` is a keyword (a NAME token whose code is one of the first WORDS). */
export function isKeywordCode(c: number): boolean {
  return c > 0 && c <= LAST_KEYWORD;
}

/** Token `k` is the operator `op`. */
export function isOp(t: Tokens, k: number, op: number): boolean {
  return t.kind[k] === Tok.Op && t.code[k] === op;
}

/** Token `k` is the name with WORDS code `w`. */
export function isWord(t: Tokens, k: number, w: number): boolean {
  return t.kind[k] === Tok.Name && t.code[k] === w;
}

/** Token `k` is a string literal: a STRING token, or an ODD one ending in a quote (an f-string, a literal with an odd escape). */
export function isStringToken(t: Tokens, text: string, k: number): boolean {
  const kind = t.kind[k];
  if (kind === Tok.String) return true;
  if (kind !== Tok.Odd) return false;
  const last = text.charCodeAt(t.end[k]! - 1);
  return last === 39 || last === 34;
}

/**
 * The parts of the string literal text[s, e) (prefix and quotes included) that readers of its
 * body need: its prefix, lower-cased, and its body text[from, to).
 */
export function stringBody(text: string, s: number, e: number): { prefix: string; from: number; to: number } {
  let q = s;
  while (q < e && text.charCodeAt(q) !== 39 && text.charCodeAt(q) !== 34) q++;
  const quote = text.charCodeAt(q);
  const width = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote && e - q >= 6 ? 3 : 1;
  return { prefix: text.slice(s, q).toLowerCase(), from: q + width, to: e - width };
}

/** Brackets inside an f-string field's expression, by char code: +1 opening, -1 closing. */
export const FIELD_NESTING = new Int8Array(128);
FIELD_NESTING[40] = FIELD_NESTING[91] = FIELD_NESTING[123] = 1;
FIELD_NESTING[41] = FIELD_NESTING[93] = FIELD_NESTING[125] = -1;

/**
 * The first token after the body that starts at `k`, just past a header's colon: past the DEDENT
 * closing an indented block, or past the NEWLINE of a body on the header's line.
 */
export function bodyEnd(t: Tokens, k: number): number {
  if (t.kind[k] === Tok.Newline && t.kind[k + 1] === Tok.Indent) return blockEnd(t, k + 1) + 1;
  while (k < t.count && t.kind[k] !== Tok.Newline) k++;
  return k + 1;
}

/** Index of the DEDENT closing the INDENT at `k` (the END token's when the file ends first). */
export function blockEnd(t: Tokens, k: number): number {
  let depth = 0;
  for (; k < t.count; k++) {
    if (t.kind[k] === Tok.Indent) depth++;
    else if (t.kind[k] === Tok.Dedent && --depth === 0) return k;
  }
  return t.count - 1;
}
