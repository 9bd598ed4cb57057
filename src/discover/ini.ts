/**
 * INI parsing that mirrors `iniconfig` (2.x) as pytest uses it for pytest.ini, .pytest.ini,
 * tox.ini and setup.cfg.
 *
 * pytest calls the legacy `iniconfig.IniConfig(path)` constructor, which does NOT strip inline
 * comments: `addopts = -x # fast` yields the value "-x # fast". Only section headers get their
 * `#`/`;` tails cut off. Whole-line comments (first non-blank char `#` or `;`) are skipped, even
 * indented ones inside a multi-line value.
 *
 * setup.cfg's `[options] package_dir` is read by setuptools through configparser, not iniconfig.
 * Differences that can matter there: configparser keeps blank lines inside multi-line values,
 * applies `%` interpolation, has a DEFAULT section, lowercases some keys (setuptools'
 * make_option_lowercase) and accepts trailing text after `[header]`; iniconfig drops blank lines,
 * does no interpolation and turns `[header] junk` into a continuation line. For a plain
 * `package_dir =\n    = src` both give the same value.
 */

export interface IniError {
  line: number;
  message: string;
}
export interface IniSection {
  name: string;
  line: number;
  values: Map<string, { value: string; line: number }>;
}
export interface IniFile {
  sections: Map<string, IniSection>;
}

const COMMENT_CHARS = "#;";

// Python's str.isspace() set, which drives strip()/lstrip()/rstrip() with no argument. It differs
// from JS \s: it includes \x1c-\x1f and \x85, and excludes \uFEFF.
const PY_SPACE = new Set(
  "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
);

function isSpace(c: string | undefined): boolean {
  return c !== undefined && PY_SPACE.has(c);
}

function lstrip(s: string): string {
  let i = 0;
  while (i < s.length && PY_SPACE.has(s[i]!)) i++;
  return s.slice(i);
}

function rstrip(s: string): string {
  let j = s.length;
  while (j > 0 && PY_SPACE.has(s[j - 1]!)) j--;
  return s.slice(0, j);
}

function strip(s: string): string {
  return lstrip(rstrip(s));
}

/** Python's repr() of a str, so error messages read like pytest's. */
function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += "\\" + ch;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch !== " " && /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch)) {
      if (cp < 0x100) out += "\\x" + cp.toString(16).padStart(2, "0");
      else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
      else out += "\\U" + cp.toString(16).padStart(8, "0");
    } else out += ch;
  }
  return out + quote;
}

/**
 * Lines as pytest sees them: open() in text mode turns \r\n and \r into \n, then iniconfig uses
 * str.splitlines(), which also breaks on \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029. Line numbers
 * count those breaks too. Terminators are dropped: they are all whitespace to Python, and every
 * use of a line strips it.
 */
function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split(/[\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

type Parsed =
  | { kind: "blank" }
  | { kind: "section"; name: string }
  | { kind: "value"; name: string; value: string }
  | { kind: "continuation"; value: string }
  | { kind: "error"; message: string };

/** iniconfig's _parseline with strip_inline_comments=False and strip_section_whitespace=False. */
function parseLine(raw: string): Parsed {
  const first = lstrip(raw)[0];
  if (first === undefined || COMMENT_CHARS.includes(first)) return { kind: "blank" };
  let line = rstrip(raw);
  if (line[0] === "[") {
    const realline = line;
    for (const c of COMMENT_CHARS) line = rstrip(line.split(c)[0]!);
    if (line.endsWith("]")) return { kind: "section", name: line.slice(1, -1) };
    // A header with trailing junk (`[a] b`, `[a;b]`) is, surprisingly, a continuation line.
    return { kind: "continuation", value: strip(realline) };
  }
  if (!isSpace(line[0])) {
    // First `=` unless a `:` precedes it, i.e. whichever delimiter comes first.
    const eq = line.indexOf("=");
    const colon = line.indexOf(":");
    const at = eq !== -1 && (colon === -1 || colon > eq) ? eq : colon;
    if (at === -1) return { kind: "error", message: `unexpected line: ${pyRepr(line)}` };
    return { kind: "value", name: strip(line.slice(0, at)), value: strip(line.slice(at + 1)) };
  }
  return { kind: "continuation", value: strip(line) };
}

/**
 * Never throws: a malformed file yields the sections parsed so far plus errors, like iniconfig's
 * ParseError but collected. iniconfig stops at its first error (and pytest then refuses to run),
 * so after an error this keeps going only as a best effort: the offending line, duplicate
 * sections and keys, keys outside any section, and their continuation lines are dropped.
 * Errors are sorted by line; iniconfig's own error is among them, though it reports line-shape
 * errors before duplicate/no-section errors, so it is not always the first.
 */
export function parseIni(text: string): { file: IniFile; errors: IniError[] } {
  const sections = new Map<string, IniSection>();
  const errors: IniError[] = [];

  // iniconfig reads with encoding="utf-8", not "utf-8-sig": a BOM becomes part of line 1, which
  // then can be neither a comment, a header nor a continuation, so pytest always fails on it.
  if (text.startsWith("\uFEFF")) {
    const shown = parseLine(splitLines(text)[0] ?? "");
    const detail = shown.kind === "error" ? shown.message : "no section header defined";
    errors.push({ line: 1, message: `UTF-8 BOM at start of file, which pytest does not skip (${detail})` });
    text = text.slice(1);
  }

  const nul = text.indexOf("\0");
  if (nul !== -1) {
    // Python reads NULs as ordinary characters, but they mean a binary or UTF-16 file.
    const line = splitLines(text.slice(0, nul + 1)).length;
    errors.push({ line, message: "file contains NUL bytes (binary or UTF-16 encoded?)" });
  }

  // `current` is where new keys go; null means before any header, "drop" means inside a
  // section whose keys are being discarded after an error.
  let current: IniSection | null | "drop" = null;
  // What a continuation line extends. "drop" swallows continuations of a discarded key or a bad
  // line silently, since iniconfig would only have reported the first error anyway.
  let last: { kind: "none" } | { kind: "section" } | { kind: "drop" } | { kind: "key"; entry: { value: string; line: number } } = {
    kind: "none",
  };

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const p = parseLine(lines[i]!);
    switch (p.kind) {
      case "blank":
        break;
      case "error":
        errors.push({ line: lineNo, message: p.message });
        last = { kind: "drop" };
        break;
      case "section":
        last = { kind: "section" };
        if (p.name === "") {
          errors.push({ line: lineNo, message: "empty section name" });
          current = "drop";
        } else if (sections.has(p.name)) {
          errors.push({ line: lineNo, message: `duplicate section ${pyRepr(p.name)}` });
          current = "drop";
        } else {
          current = { name: p.name, line: lineNo, values: new Map() };
          sections.set(p.name, current);
        }
        break;
      case "value":
        if (current === null) {
          errors.push({ line: lineNo, message: "no section header defined" });
          last = { kind: "drop" };
        } else if (current === "drop") {
          last = { kind: "drop" };
        } else if (current.values.has(p.name)) {
          errors.push({ line: lineNo, message: `duplicate name ${pyRepr(p.name)}` });
          last = { kind: "drop" };
        } else {
          const entry = { value: p.value, line: lineNo };
          current.values.set(p.name, entry);
          last = { kind: "key", entry };
        }
        break;
      case "continuation":
        if (last.kind === "key") {
          // An empty first value is replaced, not joined: `k =\n  a` gives "a", not "\na".
          last.entry.value = last.entry.value ? `${last.entry.value}\n${p.value}` : p.value;
        } else if (last.kind !== "drop") {
          errors.push({ line: lineNo, message: "unexpected value continuation" });
          last = { kind: "drop" };
        }
        break;
    }
  }

  errors.sort((a, b) => a.line - b.line);
  return { file: { sections }, errors };
}
