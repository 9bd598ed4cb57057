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

/** True when the indentation could be wrong (or the scanner cannot tell): run the full block check. */
export function layoutMaybeWrong(text: string): boolean {
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
      else if (c === TAB || c === FORM_FEED) return true;
      else break;
      i++;
    }
    if (i >= n) break;
    let c = text.charCodeAt(i);
    if (c === NEWLINE || c === CR || c === HASH) {
      // Blank or comment-only line: no indentation meaning.
      while (i < n && text.charCodeAt(i) !== NEWLINE) {
        if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) !== NEWLINE) return true;
        i++;
      }
      i++;
      continue;
    }
    const top = stack[stack.length - 1] ?? 0;
    if (col > top) {
      if (!opener) return true;
      stack.push(col);
    } else {
      if (opener) return true;
      while ((stack[stack.length - 1] ?? 0) > col) stack.pop();
      if ((stack[stack.length - 1] ?? 0) !== col) return true;
    }
    // Scan the logical line to its end; remember its last significant character.
    let last = 0;
    for (;;) {
      if (i >= n) {
        if (depth !== 0) return true;
        break;
      }
      c = text.charCodeAt(i);
      if (c === NEWLINE || (c === CR && text.charCodeAt(i + 1) !== NEWLINE)) {
        if (c === CR) return true;
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
        else return true;
        continue;
      }
      if (c === QUOTE || c === APOSTROPHE) {
        const end = skipString(text, i, c);
        if (end < 0) return true;
        i = end;
        last = QUOTE;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) {
        if (--depth < 0) return true;
      }
      if (c !== SPACE && c !== TAB && c !== FORM_FEED) last = c;
      i++;
    }
    opener = last === COLON;
  }
  return opener;
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
