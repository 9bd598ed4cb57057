/**
 * A cheap pass over a file's lines that answers one question: could CPython's tokenizer or parser
 * complain about its indentation? tree-sitter accepts blocks with no statements and statements at
 * stray columns, so extract.ts checks every block for them, which means touching every statement
 * node of every function body. A file whose layout is plainly sound skips that walk.
 *
 * The scanner is conservative: anything it does not follow exactly (tabs, form feeds, unclosed
 * strings or brackets, backslashes at the end of comments) makes it answer "maybe", and then the
 * full check runs. It follows CPython's tokenizer: logical lines, an indentation stack, and a block
 * opener's trailing colon.
 *
 * The same pass notices what tree-sitter accepts but CPython's tokenizer and parser refuse, so
 * that CPython's own compiler can judge the file (confirm-syntax.ts): brackets nested 200 deep,
 * 100 indentation levels, a backslash continuation at the end of the file, and a line ending in
 * a colon that no compound statement opens (tree-sitter reads `x = y:` plus an indented line as
 * one annotated assignment).
 */

const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const NEWLINE = 10;
const CR = 13;
const HASH = 35;
const BACKSLASH = 92;
const COLON = 58;
const QUOTE = 34;
const APOSTROPHE = 39;

/**
 * ASCII characters the line scan only has to note as the line's last: not a line end, comment,
 * backslash, quote, bracket, colon or control character (1 in this table).
 */
const PLAIN = new Uint8Array(128);
for (let c = 32; c < 127; c++) PLAIN[c] = 1;
PLAIN[TAB] = 1;
PLAIN[FORM_FEED] = 1;
for (const c of "#\\'\"()[]{}:") PLAIN[c.charCodeAt(0)] = 0;

/** CPython's tokenizer limits (Parser/tokenizer.h: MAXLEVEL, MAXINDENT). */
export const MAX_LEVEL = 200;
export const MAX_INDENT = 100;
/** The keywords that open a compound statement, and a test for one at the start of a text. */
export const COMPOUND_WORDS = ["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class", "async", "match", "case"] as const;
export const COMPOUND = new RegExp(`^(?:${COMPOUND_WORDS.join("|")})\\b`);

export interface LayoutScan {
  /** The indentation could be wrong (or the scanner cannot tell): run the full block check. */
  maybeWrong: boolean;
  /** CPython may reject what tree-sitter accepts: let the interpreter judge the file. */
  askCompiler: boolean;
}

/** True when the indentation could be wrong (or the scanner cannot tell): run the full block check. */
export function layoutMaybeWrong(text: string): boolean {
  return scanLayout(text).maybeWrong;
}

export function scanLayout(text: string): LayoutScan {
  let askCompiler = false;
  const maybe = (): LayoutScan => ({ maybeWrong: true, askCompiler });
  const stack = [0];
  let depth = 0;
  /** The previous logical line ended with a colon: the next one must be indented further. */
  let opener = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a physical line that starts a logical line (depth 0, no continuation).
    let col = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE) col++;
      else if (c === TAB || c === FORM_FEED) return maybe();
      else break;
      i++;
    }
    if (i >= n) break;
    let c = text.charCodeAt(i);
    if (c === NEWLINE || c === CR || c === HASH) {
      // Blank or comment-only line: no indentation meaning.
      while (i < n && text.charCodeAt(i) !== NEWLINE) {
        if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) !== NEWLINE) return maybe();
        i++;
      }
      i++;
      continue;
    }
    const top = stack[stack.length - 1] ?? 0;
    const lineStart = i;
    if (col > top) {
      if (!opener) return maybe();
      stack.push(col);
      if (stack.length >= MAX_INDENT - 1) askCompiler = true;
    } else {
      if (opener) return maybe();
      while ((stack[stack.length - 1] ?? 0) > col) stack.pop();
      if ((stack[stack.length - 1] ?? 0) !== col) return maybe();
    }
    // Scan the logical line to its end; remember its last significant character.
    let last = 0;
    let colons = 0;
    for (;;) {
      if (i >= n) {
        if (depth !== 0) return maybe();
        break;
      }
      c = text.charCodeAt(i);
      if (c >= 128 || PLAIN[c] === 1) {
        // Most characters: nothing to follow but the last one that is not a space.
        if (c !== SPACE && c !== TAB && c !== FORM_FEED) last = c;
        i++;
        continue;
      }
      if (c === NEWLINE || (c === CR && text.charCodeAt(i + 1) !== NEWLINE)) {
        if (c === CR) return maybe();
        i++;
        if (depth === 0) break;
        continue;
      }
      if (c === CR) {
        i++;
        continue;
      }
      if (c === HASH) {
        while (i < n && text.charCodeAt(i) !== NEWLINE) i++;
        continue;
      }
      if (c === BACKSLASH) {
        // A line continuation (or something the scanner does not follow).
        if (text.charCodeAt(i + 1) === NEWLINE) i += 2;
        else if (text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === NEWLINE) i += 3;
        else if (i + 1 >= n) {
          askCompiler = true; // a continuation with nothing after it
          i++;
        } else return maybe();
        if (i >= n) askCompiler = true;
        continue;
      }
      if (c === QUOTE || c === APOSTROPHE) {
        const end = skipString(text, i, c);
        if (end < 0) return maybe();
        i = end;
        last = QUOTE;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) {
        if (++depth >= MAX_LEVEL - 1) askCompiler = true;
      }
      else if (c === 41 || c === 93 || c === 125) {
        if (--depth < 0) return maybe();
      }
      if (c === COLON && depth === 0) colons++;
      // CPython's tokenizer refuses control characters outside strings and comments (U+000B is
      // whitespace to tree-sitter): only the compiler can say.
      else if ((c < 32 && c !== TAB && c !== FORM_FEED) || c === 127) askCompiler = true;
      if (c !== SPACE && c !== TAB && c !== FORM_FEED) last = c;
      i++;
    }
    // `class A:b:` or `if x: y:` plus an indented line: tree-sitter nests the block under the
    // same-line body, CPython refuses the line; the per-block walk must look.
    if (last === COLON && colons > 1) return maybe();
    if (last === COLON && !COMPOUND.test(text.slice(lineStart, lineStart + 8))) askCompiler = true;
    opener = last === COLON;
  }
  return { maybeWrong: opener, askCompiler };
}

/** Index just past the string literal starting at `i` (a quote), or -1 when it does not close. */
function skipString(text: string, i: number, quote: number): number {
  const n = text.length;
  const triple = text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      j += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return j + 1;
      if (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) return j + 3;
    } else if (!triple && (c === NEWLINE || c === CR)) return -1;
    j++;
  }
  return -1;
}
