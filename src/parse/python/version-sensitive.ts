/**
 * Files whose syntax only some Python versions parse, while tree-sitter parses it for all:
 * CPython's compiler for the target version has the last word on them (confirm-syntax.ts), and
 * they are parsed whole, not reduced.
 *
 * Liberal on purpose: a hit only sends the file to the target interpreter's compile(). Soft
 * keywords (match/case, type aliases), except*, PEP 695 brackets, the walrus, parenthesised
 * context managers, PEP 701 f-strings (a field reusing the string's quote, or whose expression
 * holds a backslash or a comment), Python 2 statements tree-sitter
 * still accepts (print >>f, exec "...", backticks, <>, except X, e), a starred subscript, and one
 * form no version takes that tree-sitter does: a bare `except:` before another handler.
 *
 * Each form is a regular expression over the text, tried only where the file's tokens show what
 * it needs in the code (a docstring that says "print the value", or quotes ``code`` in backticks,
 * is no Python 2). A file the tokenizer does not follow goes to the compiler whatever it holds
 * (parse/index.ts). One alternation over the whole text cost more than tree-sitter's parse of a
 * reduced file.
 */
import { bodyEnd, endsExpression, FIELD_NESTING, isWord, opCode, stringBody, Tok, wordCode, type Tokens } from "./tokens.js";

interface Form {
  /** Literals one of which the text must hold. */
  needs: string[];
  /** Words of the code one of which the file must hold, if the form is found by a word. */
  words?: Parameters<typeof wordCode>[0][];
  form: RegExp;
  exactly?: RegExp;
}

const FORMS: Form[] = [
  { needs: ["match", "case"], words: ["match", "case"], form: /^[ \t]*(?:match|case)\s[^\n]*:[ \t]*(?:#.*)?$/m },
  { needs: ["type"], words: ["type"], form: /^[ \t]*type\s+[A-Za-z_]\w*\s*[[=]/m },
  { needs: ["except"], words: ["except"], form: /except\s*\*|^[ \t]*except\s+[\w.]+\s*,\s*\w+\s*:/m },
  // Unanchored first: the line-anchored form tried at every offset of every file with a `[` cost most of this check.
  { needs: ["["], form: /(?:def|class)\s+\w+\s*\[/, exactly: /^[ \t]*(?:async\s+)?(?:def|class)\s+\w+\s*\[/m },
  { needs: [":="], form: /:=/ },
  { needs: ["with"], words: ["with"], form: /^[ \t]*(?:async\s+)?with\s*\(/m },
  { needs: ["f'", 'f"'], form: /\bf(["'])[^\n]*?\{[^}\n]*\1[^}\n]*\}/ },
  { needs: ["print"], words: ["print"], form: /^[ \t]*print\s+[^\s(=,.)\]]/m },
  { needs: ["exec"], words: ["exec"], form: /^[ \t]*exec\s+["']/m },
  { needs: ["`", "<>"], form: /`|<>/ },
  // A starred subscript, `a[*b]` (3.11 on). With the tokens, found only where `[` follows an expression.
  { needs: ["[*", "[ *"], form: /\[\s*\*/ },
  // A backslash or a comment in an f-string field's expression (3.12 on). Found only by reading the fields (fieldEscape).
  { needs: [], form: /[\\#]/ },
  // "default 'except:' must be last". With the tokens, found only where another handler follows.
  { needs: ["except"], form: /^[ \t]*except\s*:/m },
];
/** The forms found by something other than a word, by the first literal they need. */
const formNeeding = (literal: string): number => FORMS.findIndex((f) => f.needs[0] === literal);
const PEP695 = formNeeding("[");
const WALRUS = formNeeding(":=");
const F_QUOTE = formNeeding("f'");
const PY2_REPR = formNeeding("`");
const STARRED_SUBSCRIPT = formNeeding("[*");
const F_FIELD_ESCAPE = FORMS.length - 2;
const BARE_EXCEPT = FORMS.length - 1;

/** Form number + 1 by word code (0: no form's word). */
const FORM_OF_WORD = new Uint8Array(256);
FORMS.forEach((f, i) => {
  for (const w of f.words ?? []) FORM_OF_WORD[wordCode(w)] = i + 1;
});
const DEF = wordCode("def");
const EXCEPT = wordCode("except");
const COLON = opCode(":");
const CLASS = wordCode("class");
const LSQB = opCode("[");
const STAR = opCode("*");
const WALRUS_OP = opCode(":=");
const LESS = opCode("<");
const GREATER_FIRST = new Set([">", ">=", ">>", ">>="].map(opCode));

const matches = (f: Form, text: string): boolean => f.form.test(text) && (!f.exactly || f.exactly.test(text));

/** True when the text starting at `s` is a string prefix ending in `f` and a quote. */
function fQuoteAt(text: string, s: number): boolean {
  const head = text.slice(s, s + 3);
  return head.includes("f'") || head.includes('f"');
}

const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;
const HASH = 35;
const COLON_CHAR = 58;
const BANG = 33;
const EQUAL_CHAR = 61;
const QUOTE_CHAR = 39;
const DOUBLE_QUOTE_CHAR = 34;

/**
 * The f-string text[s, e) (an ODD token: prefix and quotes included) has a backslash in a
 * replacement field's expression, strings in it included, or a `#` there outside a string: what
 * CPython takes from 3.12 on ("f-string expression part cannot include a backslash"). Format
 * specs may hold both in any version (`{x:#x}`). Reads only what it can follow; a quote it cannot
 * pair ends the reading with "no".
 */
function fieldEscape(text: string, s: number, e: number): boolean {
  const { prefix, from, to: end } = stringBody(text, s, e);
  if (!prefix.includes("f")) return false;
  const raw = prefix.includes("r");
  // Open fields, innermost last: 0 while in the expression, 1 in the spec.
  const fields: number[] = [];
  let brackets = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (fields.length === 0 || fields[fields.length - 1] === 1) {
      // Literal text or a spec: escapes are the literal's own (a raw string has none).
      if (c === BACKSLASH && !raw) i++;
      else if (c === LBRACE) {
        if (fields.length === 0 && text.charCodeAt(i + 1) === LBRACE) i++;
        else {
          fields.push(0);
          brackets = 0;
        }
      } else if (c === RBRACE) {
        if (fields.length === 0) i += text.charCodeAt(i + 1) === RBRACE ? 1 : 0;
        else fields.pop();
      }
      continue;
    }
    if (c === BACKSLASH || c === HASH) return true;
    if (c === QUOTE_CHAR || c === DOUBLE_QUOTE_CHAR) {
      const close = text.indexOf(String.fromCharCode(c), i + 1);
      if (close === -1 || close >= end) return false;
      if (text.slice(i, close).includes("\\")) return true;
      i = close;
      continue;
    }
    const nesting = c < 128 ? FIELD_NESTING[c]! : 0;
    if (nesting === 1) brackets++;
    else if (nesting === -1 && brackets > 0) brackets--;
    else if (c === RBRACE) fields.pop();
    else if (brackets === 0 && c === COLON_CHAR) fields[fields.length - 1] = 1;
    else if (brackets === 0 && c === BANG && text.charCodeAt(i + 1) !== EQUAL_CHAR) i++;
  }
  return false;
}

/** After a handler's `:` at `k - 1`, its body (a block or the rest of the line) is followed by another `except`. */
function handlerFollows(t: Tokens, k: number): boolean {
  return isWord(t, bodyEnd(t, k), EXCEPT);
}

export function versionSensitive(text: string, tokens: Tokens): boolean {
  const found = new Array<boolean>(FORMS.length).fill(false);
  const { kind, code, start, end } = tokens;
  for (let k = 0; k < tokens.count; k++) {
    const kk = kind[k];
    if (kk === Tok.Name) {
      const c = code[k]!;
      if (c === 0) continue;
      const form = FORM_OF_WORD[c]!;
      if (form > 0) found[form - 1] = true;
      if (c === EXCEPT && kind[k + 1] === Tok.Op && code[k + 1] === COLON && handlerFollows(tokens, k + 2)) found[BARE_EXCEPT] = true;
      // `def name[` / `class name[`.
      else if ((c === DEF || c === CLASS) && kind[k + 1] === Tok.Name && kind[k + 2] === Tok.Op && code[k + 2] === LSQB) found[PEP695] = true;
    } else if (kk === Tok.Op) {
      const c = code[k]!;
      if (c === WALRUS_OP) found[WALRUS] = true;
      else if (c === STAR && k >= 2 && kind[k - 1] === Tok.Op && code[k - 1] === LSQB && endsExpression(tokens, k - 2)) found[STARRED_SUBSCRIPT] = true;
      // `<>` is `<` and an operator starting with `>`, touching.
      else if (c === LESS && kind[k + 1] === Tok.Op && start[k + 1] === end[k] && GREATER_FIRST.has(code[k + 1]!)) found[PY2_REPR] = true;
    } else if (kk === Tok.String) {
      if (fQuoteAt(text, start[k]!)) found[F_QUOTE] = true;
    } else if (kk === Tok.Odd) {
      // A backtick is no token of Python 3. An ODD token may also be an f-string with replacement
      // fields, which are code the tokenizer did not split: in one, any of a form's literals counts.
      const odd = text.slice(start[k]!, end[k]!);
      if (!found[F_FIELD_ESCAPE] && fieldEscape(text, start[k]!, end[k]!)) found[F_FIELD_ESCAPE] = true;
      FORMS.forEach((f, i) => {
        // A handler is a statement: no f-string field holds one.
        if (!found[i] && i !== BARE_EXCEPT && f.needs.some((n) => odd.includes(n))) found[i] = true;
      });
    }
  }
  return FORMS.some((f, i) => found[i] && matches(f, text));
}
