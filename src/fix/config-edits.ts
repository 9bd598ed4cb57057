/**
 * Formatting-preserving edits to pytest and packaging configuration: register a marker, declare a
 * dependency. Each edit is a pure insertion (or, rarely, a rewrite of the one value being extended),
 * so comments, ordering and layout of everything else stay byte-for-byte as they were.
 *
 * The INI reading mirrors iniconfig (what pytest uses for pytest.ini, tox.ini and setup.cfg); for
 * setup.cfg's `[options]` it is close enough to configparser, which agrees on everything used here.
 * The TOML reading is a small scanner that only locates tables, keys, arrays and strings; a file it
 * cannot scan gets no edits (undefined) rather than a guess.
 */
import type { TextEdit } from "./model.js";

/** Where pytest's configuration lives; `file` is repository-relative ("pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", ".pytest.ini", "pytest.toml", "sub/pytest.ini"). */
export interface PytestConfigFile {
  file: string;
  text: string;
}

/** Where a project declares dependencies. */
export interface DependencyFile {
  file: string;
  text: string;
}

/**
 * Edits that register marker `name` with `description` in that file's own syntax, or undefined when
 * the file holds no pytest section to add to (the caller then says so). Never touches anything but
 * the markers setting. Returns [] when the marker is already registered.
 */
export function registerMarkerEdits(config: PytestConfigFile, name: string, description: string): TextEdit[] | undefined {
  const { file, text } = config;
  const base = baseName(file);
  const desc = description.replace(/\s+/g, " ").trim();
  const entry = desc ? `${name}: ${desc}` : name;
  const has = (lines: string[]): boolean => lines.some((l) => markerName(l) === name);
  if (base.endsWith(".toml")) {
    const doc = scanTomlSafe(text);
    if (!doc) return undefined;
    // pytest 9 reads both; ini_options is what every older pytest understands too.
    const tables = base === "pyproject.toml" ? [["tool", "pytest", "ini_options"], ["tool", "pytest"]] : [["pytest"]];
    for (const table of tables) {
      const markers = findEntry(doc, [...table, "markers"]);
      if (!markers) continue;
      if (markers.value.kind !== "array") return undefined;
      if (has(stringsOf(markers.value))) return [];
      return appendToArray(file, text, markers.value, tomlString(entry));
    }
    for (const table of tables) {
      const header = findTable(doc, table);
      if (header) return insertKey(file, text, header, `markers = [${tomlString(entry)}]`);
    }
    return undefined;
  }
  const section = base === "setup.cfg" ? "tool:pytest" : "pytest";
  return extendIniList(file, text, section, (k) => k === "markers", "markers", entry, (values) => (has(values) ? [] : undefined));
}

/**
 * Edits that declare distribution `dist` (a requirement string like "numpy") in that file, or
 * undefined when the file has no place for it. Returns [] when a requirement with the same
 * normalised name is already there.
 */
export function declareDependencyEdits(file: DependencyFile, dist: string): TextEdit[] | undefined {
  const base = baseName(file.file);
  const req = dist.trim();
  const name = requirementName(req);
  if (name === undefined) return undefined;
  const wanted = normalizeDist(name);
  const declared = (reqs: string[]): boolean => reqs.some((r) => {
    const n = requirementName(r);
    return n !== undefined && normalizeDist(n) === wanted;
  });
  if (base === "pyproject.toml") return declarePyproject(file, req, name, declared);
  if (base === "setup.cfg") return declareSetupCfg(file, req, declared);
  if (base.endsWith(".txt") || base.endsWith(".in")) return declareRequirementsTxt(file, req, declared);
  return undefined;
}

function declarePyproject(file: DependencyFile, dist: string, name: string, declared: (reqs: string[]) => boolean): TextEdit[] | undefined {
  const { text } = file;
  const doc = scanTomlSafe(text);
  if (!doc) return undefined;
  const deps = findEntry(doc, ["project", "dependencies"]);
  const poetryPath = ["tool", "poetry", "dependencies"];
  const poetryKeys = doc.flatMap((t) => t.entries)
    .filter((e) => e.path.length === poetryPath.length + 1 && poetryPath.every((p, i) => e.path[i] === p))
    .map((e) => e.path[poetryPath.length] ?? "");
  const depStrings = deps?.value.kind === "array" ? stringsOf(deps.value) : [];
  if (declared([...depStrings, ...poetryKeys])) return [];
  if (deps) return deps.value.kind === "array" ? appendToArray(file.file, text, deps.value, tomlString(dist)) : undefined;

  const project = findTable(doc, ["project"]);
  const dynamic = findEntry(doc, ["project", "dynamic"]);
  const dynamicDeps = dynamic?.value.kind === "array" && stringsOf(dynamic.value).includes("dependencies");
  const poetry = findTable(doc, poetryPath);
  // Poetry 2 treats [project].dependencies, once present, as the whole list and uses its own table only
  // to enrich those entries, so starting that list next to a populated Poetry table would drop deps.
  const poetryInUse = poetry !== undefined && poetryKeys.some((k) => k !== "python");
  if (project && !dynamicDeps && !poetryInUse) return insertKey(file.file, text, project, `dependencies = [${tomlString(dist)}]`);
  if (poetry) {
    const spec = dist.slice(name.length).trim();
    const constraint = /^[<>=!~][^;\[@]*$/.test(spec) ? spec : "*";
    const key = /^[A-Za-z0-9_-]+$/.test(name) ? name : tomlString(name);
    return insertKey(file.file, text, poetry, `${key} = ${tomlString(constraint)}`);
  }
  return undefined;
}

function declareSetupCfg(file: DependencyFile, dist: string, declared: (reqs: string[]) => boolean): TextEdit[] | undefined {
  const isKey = (k: string): boolean => k.toLowerCase().replace(/-/g, "_") === "install_requires";
  return extendIniList(file.file, file.text, "options", isKey, "install_requires", dist, (values, multiLine) => {
    // A single-line value is `file:` directive or a `;`-separated list to setuptools.
    if (!multiLine && values[0]?.startsWith("file:")) return "refuse";
    const reqs = multiLine ? values : values.flatMap((v) => v.split(";"));
    return declared(reqs.map((r) => r.trim()).filter((r) => r && !r.startsWith("#"))) ? [] : undefined;
  });
}

function declareRequirementsTxt(file: DependencyFile, dist: string, declared: (reqs: string[]) => boolean): TextEdit[] {
  const { text } = file;
  const reqs = text.split(/\r\n|\n|\r/)
    .map((l) => l.replace(/(^|\s)#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("-"));
  if (declared(reqs)) return [];
  const eol = eolOf(text);
  const lastLine = text.replace(/(\r\n|\n|\r)$/, "").split(/\r\n|\n|\r/).pop() ?? "";
  // A trailing backslash would join our line onto the previous requirement.
  const guard = lastLine.endsWith("\\") ? eol : "";
  const insert = text === "" ? dist + eol
    : /(\r\n|\n|\r)$/.test(text) ? guard + dist + eol
    : eol + guard + dist;
  return [{ file: file.file, start: text.length, end: text.length, text: insert }];
}

// ---------------------------------------------------------------------------------------------- INI

interface IniLine {
  start: number;
  /** Before the line break. */
  end: number;
  kind: "blank" | "section" | "key" | "cont";
  /** Section name or key name. */
  name: string;
  /** Key value (first line) or continuation text, stripped. */
  value: string;
  /** Offset just after the key's `=` or `:`. */
  valueFrom: number;
}

function iniLines(text: string): IniLine[] {
  const lines: IniLine[] = [];
  const re = /\r\n|\n|\r/g;
  for (let start = 0; start <= text.length; ) {
    re.lastIndex = start;
    const m = re.exec(text);
    const end = m ? m.index : text.length;
    lines.push(classifyIni(text.slice(start, end), start, end));
    if (!m) break;
    start = m.index + m[0].length;
  }
  return lines;
}

function classifyIni(raw: string, start: number, end: number): IniLine {
  const line = { start, end, kind: "blank" as IniLine["kind"], name: "", value: "", valueFrom: end };
  const first = raw.trimStart()[0];
  if (first === undefined || first === "#" || first === ";") return line;
  if (raw[0] === "[") {
    let head = raw;
    for (const c of "#;") head = (head.split(c)[0] ?? "").trimEnd();
    if (head.endsWith("]")) return { ...line, kind: "section", name: head.slice(1, -1) };
    return { ...line, kind: "cont", value: raw.trim() };
  }
  if (/\s/.test(raw[0] ?? "")) return { ...line, kind: "cont", value: raw.trim() };
  // Like iniconfig and configparser: split at `=` unless a `:` comes first.
  const eq = raw.indexOf("=");
  const colon = raw.indexOf(":");
  const at = eq >= 0 && (colon < 0 || colon > eq) ? eq : colon;
  if (at < 0) return { ...line, kind: "key", name: raw.trim() };
  return { ...line, kind: "key", name: raw.slice(0, at).trim(), value: raw.slice(at + 1).trim(), valueFrom: start + at + 1 };
}

/**
 * Add `item` to the multi-line list value `keyName` of INI `section`. `check` sees the current items
 * (and whether the value already spans lines) and may answer with a final result: [] (present) or
 * "refuse" (the value is not a plain list).
 */
function extendIniList(
  file: string,
  text: string,
  section: string,
  isKey: (name: string) => boolean,
  keyName: string,
  item: string,
  check: (values: string[], multiLine: boolean) => TextEdit[] | "refuse" | undefined,
): TextEdit[] | undefined {
  const lines = iniLines(text);
  const eol = eolOf(text);
  const head = lines.findIndex((l) => l.kind === "section" && l.name === section);
  if (head < 0) return undefined;
  let stop = lines.findIndex((l, i) => i > head && l.kind === "section");
  if (stop < 0) stop = lines.length;
  const body = lines.slice(head + 1, stop);
  const key = body.find((l) => l.kind === "key" && isKey(l.name));
  if (!key) {
    // After the section's last real line, so trailing blank lines and comments stay between sections.
    const anchor = body.filter((l) => l.kind !== "blank").pop() ?? lines[head];
    if (!anchor) return undefined;
    return [{ file, start: anchor.end, end: anchor.end, text: `${eol}${keyName} =${eol}    ${item}` }];
  }
  const conts: IniLine[] = [];
  for (const l of body.slice(body.indexOf(key) + 1)) {
    if (l.kind === "key" || l.kind === "section") break;
    if (l.kind === "cont") conts.push(l);
  }
  const values = [key.value, ...conts.map((c) => c.value)].filter((v) => v !== "");
  const verdict = check(values, conts.length > 0);
  if (verdict === "refuse") return undefined;
  if (verdict) return verdict;
  const firstCont = conts[0];
  // An unindented continuation (a stray `[...` line) would turn our line into a key.
  const indent = (firstCont && /^\s+/.exec(text.slice(firstCont.start, firstCont.end))?.[0]) || "    ";
  const last = conts[conts.length - 1] ?? key;
  if (conts.length === 0 && keyName === "install_requires" && key.value.includes(";")) {
    // setuptools splits a single-line value at `;` but a multi-line one only at line breaks.
    const parts = key.value.split(";").map((p) => p.trim()).filter(Boolean);
    return [{ file, start: key.valueFrom, end: key.end, text: [...parts, item].map((p) => `${eol}${indent}${p}`).join("") }];
  }
  return [{ file, start: last.end, end: last.end, text: `${eol}${indent}${item}` }];
}

// --------------------------------------------------------------------------------------------- TOML

interface TomlValue {
  kind: "string" | "array" | "other";
  start: number;
  end: number;
  /** Decoded, for strings. */
  str?: string;
  items?: TomlValue[];
  /** Offset of the comma after the last array item, if any. */
  comma?: number;
}

interface TomlEntry {
  /** Full dotted path: the table's path followed by the key's. */
  path: string[];
  indent: string;
  /** Offset of the line break after the entry (or end of text). */
  lineEnd: number;
  value: TomlValue;
}

interface TomlTable {
  path: string[];
  arrayOfTables: boolean;
  indent: string;
  lineEnd: number;
  entries: TomlEntry[];
}

class TomlSyntaxError extends Error {}

function scanTomlSafe(text: string): TomlTable[] | undefined {
  try {
    return new TomlScanner(text).document();
  } catch (err) {
    if (err instanceof TomlSyntaxError) return undefined;
    throw err;
  }
}

function findEntry(doc: TomlTable[], path: string[]): TomlEntry | undefined {
  return doc.flatMap((t) => t.entries).find((e) => samePath(e.path, path));
}

function findTable(doc: TomlTable[], path: string[]): TomlTable | undefined {
  return doc.find((t) => !t.arrayOfTables && t.lineEnd >= 0 && samePath(t.path, path));
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function stringsOf(array: TomlValue): string[] {
  return (array.items ?? []).flatMap((v) => (v.str !== undefined ? [v.str] : []));
}

/** A locating scanner, lenient about scalars and inline tables, strict about the structure it reports. */
class TomlScanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): TomlTable[] {
    const root: TomlTable = { path: [], arrayOfTables: false, indent: "", lineEnd: -1, entries: [] };
    const tables = [root];
    let current = root;
    for (;;) {
      this.skipBlank();
      if (this.pos >= this.text.length) return tables;
      const indent = this.text.slice(this.lineStart(this.pos), this.pos);
      if (this.at("[")) {
        const arrayOfTables = this.at("[[");
        this.pos += arrayOfTables ? 2 : 1;
        const path = this.key();
        this.expect(arrayOfTables ? "]]" : "]");
        current = { path, arrayOfTables, indent, lineEnd: this.endOfLine(), entries: [] };
        tables.push(current);
      } else {
        const key = this.key();
        this.expect("=");
        this.skipSpace();
        const value = this.value();
        current.entries.push({ path: [...current.path, ...key], indent, lineEnd: this.endOfLine(), value });
      }
    }
  }

  private at(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private fail(): never {
    throw new TomlSyntaxError(`cannot scan TOML at offset ${this.pos}`);
  }

  private expect(s: string): void {
    this.skipSpace();
    if (!this.at(s)) this.fail();
    this.pos += s.length;
  }

  /** `sticky` must carry the `y` flag. */
  private match(sticky: RegExp): RegExpExecArray | null {
    sticky.lastIndex = this.pos;
    return sticky.exec(this.text);
  }

  private lineStart(pos: number): number {
    return this.text.lastIndexOf("\n", pos - 1) + 1;
  }

  private skipSpace(): void {
    while (this.at(" ") || this.at("\t")) this.pos++;
  }

  private skipComment(): void {
    if (!this.at("#")) return;
    while (this.pos < this.text.length && !this.at("\n") && !this.at("\r\n")) this.pos++;
  }

  /** Whitespace, line breaks and comments. */
  private skipBlank(): void {
    for (;;) {
      this.skipSpace();
      this.skipComment();
      if (this.at("\n")) this.pos++;
      else if (this.at("\r\n")) this.pos += 2;
      else return;
    }
  }

  /** Consume the rest of the line; return where its line break starts. */
  private endOfLine(): number {
    this.skipSpace();
    this.skipComment();
    const end = this.pos;
    if (this.at("\r\n")) this.pos += 2;
    else if (this.at("\n")) this.pos++;
    else if (this.pos < this.text.length) this.fail();
    return end;
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.at('"')) parts.push(this.basicString());
      else if (this.at("'")) parts.push(this.literalString());
      else {
        const m = this.match(/[A-Za-z0-9_-]+/y);
        if (!m) this.fail();
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpace();
      if (!this.at(".")) return parts;
      this.pos++;
    }
  }

  private value(): TomlValue {
    const start = this.pos;
    if (this.at('"""')) return { kind: "string", start, str: this.multiLineString('"'), end: this.pos };
    if (this.at("'''")) return { kind: "string", start, str: this.multiLineString("'"), end: this.pos };
    if (this.at('"')) return { kind: "string", start, str: this.basicString(), end: this.pos };
    if (this.at("'")) return { kind: "string", start, str: this.literalString(), end: this.pos };
    if (this.at("[")) return this.array();
    if (this.at("{")) {
      this.pos++;
      for (;;) {
        this.skipBlank();
        if (this.at("}")) break;
        this.key();
        this.expect("=");
        this.skipSpace();
        this.value();
        this.skipBlank();
        if (this.at(",")) this.pos++;
        else if (!this.at("}")) this.fail();
      }
      this.pos++;
      return { kind: "other", start, end: this.pos };
    }
    while (this.pos < this.text.length && !",]}#\n\r".includes(this.text[this.pos] ?? "")) this.pos++;
    let end = this.pos;
    while (end > start && /[ \t]/.test(this.text[end - 1] ?? "")) end--;
    if (end === start) this.fail();
    return { kind: "other", start, end };
  }

  private array(): TomlValue {
    const start = this.pos++;
    const items: TomlValue[] = [];
    let comma: number | undefined;
    for (;;) {
      this.skipBlank();
      if (this.at("]")) break;
      if (items.length > 0 && comma === undefined) this.fail();
      items.push(this.value());
      comma = undefined;
      this.skipBlank();
      if (this.at(",")) comma = this.pos++;
    }
    this.pos++;
    return { kind: "array", start, end: this.pos, items, ...(comma !== undefined ? { comma } : {}) };
  }

  private basicString(): string {
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === "\n" || c === "\r") this.fail();
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === "\\") out += this.escape();
      else {
        out += c;
        this.pos++;
      }
    }
  }

  private literalString(): string {
    const close = this.text.indexOf("'", this.pos + 1);
    const body = close < 0 ? undefined : this.text.slice(this.pos + 1, close);
    if (body === undefined || /[\r\n]/.test(body)) this.fail();
    this.pos = close + 1;
    return body;
  }

  private multiLineString(quote: '"' | "'"): string {
    this.pos += 3;
    if (this.at("\r\n")) this.pos += 2;
    else if (this.at("\n")) this.pos++;
    let out = "";
    for (;;) {
      if (this.pos >= this.text.length) this.fail();
      if (this.at(quote.repeat(3))) {
        let run = 3;
        while (run < 5 && this.text[this.pos + run] === quote) run++;
        this.pos += run;
        return out + quote.repeat(run - 3);
      }
      const c = this.text[this.pos] ?? "";
      if (quote === '"' && c === "\\") {
        const lineEnding = this.match(/\\[ \t]*\r?\n/y);
        if (lineEnding) {
          this.pos += lineEnding[0].length;
          while (/[ \t\r\n]/.test(this.text[this.pos] ?? "")) this.pos++;
        } else out += this.escape();
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private escape(): string {
    const c = this.text[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\x1b", '"': '"', "\\": "\\" };
    if (c !== undefined && c in simple) return simple[c] ?? "";
    const width = c === "u" ? 4 : c === "U" ? 8 : c === "x" ? 2 : 0;
    const hex = this.text.slice(this.pos, this.pos + width);
    if (width === 0 || !new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) this.fail();
    this.pos += width;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.fail();
    return String.fromCodePoint(code);
  }
}

/** Add an already-encoded TOML value to an array, following its one-line or one-item-per-line layout. */
function appendToArray(file: string, text: string, array: TomlValue, item: string): TextEdit[] {
  const eol = eolOf(text);
  const items = array.items ?? [];
  const open = array.start;
  const close = array.end - 1;
  const last = items[items.length - 1];
  const at = (pos: number, insert: string): TextEdit => ({ file, start: pos, end: pos, text: insert });
  if (!/[\r\n]/.test(text.slice(open, close))) {
    if (!last) return [{ file, start: open + 1, end: close, text: item }];
    return array.comma !== undefined ? [at(array.comma + 1, ` ${item},`)] : [at(last.end, `, ${item}`)];
  }
  const lineStart = (pos: number): number => text.lastIndexOf("\n", pos - 1) + 1;
  const leading = (pos: number): string | undefined => {
    const before = text.slice(lineStart(pos), pos);
    return /^[ \t]*$/.test(before) ? before : undefined;
  };
  const closeIndent = leading(close);
  const indent = items.map((v) => leading(v.start)).filter((s) => s !== undefined).pop()
    ?? (closeIndent ?? /^[ \t]*/.exec(text.slice(lineStart(open)))?.[0] ?? "") + "    ";
  if (closeIndent !== undefined) {
    const edits = last && array.comma === undefined ? [at(last.end, ",")] : [];
    return [...edits, at(lineStart(close), `${indent}${item},${eol}`)];
  }
  // `]` shares its line with the last item: continue after that item.
  if (!last) return [at(close, `${eol}${indent}${item},${eol}`)];
  return array.comma !== undefined ? [at(array.comma + 1, `${eol}${indent}${item},`)] : [at(last.end, `,${eol}${indent}${item}`)];
}

/** Add a `key = value` line after the last entry of a table, so it lands before any following header. */
function insertKey(file: string, text: string, table: TomlTable, line: string): TextEdit[] {
  const last = table.entries[table.entries.length - 1];
  const pos = last ? last.lineEnd : table.lineEnd;
  return [{ file, start: pos, end: pos, text: `${eolOf(text)}${last ? last.indent : table.indent}${line}` }];
}

/** A TOML basic string. */
function tomlString(s: string): string {
  const escaped = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

// ------------------------------------------------------------------------------------------- shared

function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

/** The marker name of one `markers` line, as pytest reads it. */
function markerName(line: string): string {
  return (line.split(":")[0] ?? "").split("(")[0]?.trim() ?? "";
}

/** The project name at the start of a PEP 508 requirement. */
function requirementName(req: string): string | undefined {
  return /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(req)?.[1];
}

/** PEP 503. */
function normalizeDist(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
