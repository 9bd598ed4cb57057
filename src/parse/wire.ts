/**
 * A parse result as it travels between threads and lies in the facts cache: JSON of arrays in
 * place of the objects a Python file's facts are mostly made of (imports, their names, bindings),
 * and 0 in place of an empty list or an absent field.
 *
 * A worker's results are turned into text there and back into objects on the main thread, which
 * is also the thread that keeps every file's facts to the end of the run. As objects, most of
 * that JSON was key names and empty lists (`"context":[]` on every import and binding), and
 * JSON.parse's cost is mostly the objects it makes: this form is under half the text, and only
 * the objects the run keeps are made.
 *
 * A file's contexts go once, in a table its imports and bindings point into (1-based; 0 for
 * module level): every statement of an `if TYPE_CHECKING:` or `try:` block has its block's
 * context, and the main thread then keeps one array per block, not one per statement.
 *
 * `fromWire(toWire(r))` deep-equals `r`, with the same keys in the same order for what extract.ts
 * and simple.ts build (test/speed-paths.test.ts checks every fixture). A TypeScript or
 * JavaScript file's result goes as it is.
 */
import { NONE, type Ctx, type ImportedName, type PyBinding, type PyFileFacts, type PyImport } from "./python/facts.js";
import type { BatchEntry, ParsedFile } from "./index.js";

/** Absent, or an empty list. */
type None = 0;
type Maybe<T> = T | None;

type WireName = [name: string, line: number, column: number] | [name: string, line: number, column: number, alias: string];
type WireImport = [
  kind: PyImport["kind"],
  module: string,
  level: number,
  names: WireName[],
  line: number,
  column: number,
  endLine: number,
  context: ContextRef,
  alias: Maybe<string>,
  via: Maybe<NonNullable<PyImport["via"]>>,
];
type WireBinding = [name: string, kind: PyBinding["kind"], line: number, column: number, context: ContextRef];
/** 1 + the index of a context in the file's table; 0 for none (module level). */
type ContextRef = number;
type WireFacts = [
  encoding: string,
  lineCount: number,
  imports: WireImport[],
  bindings: WireBinding[],
  flags: number,
  classes: Maybe<PyFileFacts["classes"]>,
  raises: Maybe<PyFileFacts["raises"]>,
  markers: Maybe<PyFileFacts["markers"]>,
  markerRegistrations: Maybe<PyFileFacts["markerRegistrations"]>,
  pytestPlugins: Maybe<PyFileFacts["pytestPlugins"]>,
  unboundReads: Maybe<PyFileFacts["unboundReads"]>,
  builtinWrites: Maybe<PyFileFacts["builtinWrites"]>,
  dunderAll: Maybe<NonNullable<PyFileFacts["dunderAll"]>>,
  syntaxError: Maybe<NonNullable<PyFileFacts["syntaxError"]>>,
  contexts: Maybe<(readonly Ctx[])[]>,
];
/** A Python file's result; a script's is sent as the object it is. */
export type WireFile = [facts: WireFacts, hash: Maybe<string>, diagnostics: Maybe<ParsedFile["diagnostics"]>, versionSensitive: 0 | 1, namedEscapes: Maybe<string[]>] | ParsedFile;

// Every field of the encoded types is placed above: adding one to facts.ts without a place here
// fails to compile instead of being dropped on the way.
type Exactly<T, K extends keyof T> = Exclude<keyof T, K> extends never ? true : false;
const covered: [
  Exactly<PyImport, "kind" | "module" | "level" | "names" | "line" | "column" | "endLine" | "context" | "alias" | "via">,
  Exactly<ImportedName, "name" | "line" | "column" | "alias">,
  Exactly<PyBinding, "name" | "kind" | "line" | "column" | "context">,
  Exactly<
    PyFileFacts,
    | "encoding"
    | "lineCount"
    | "imports"
    | "bindings"
    | "hasModuleGetattr"
    | "dynamicNamespace"
    | "classes"
    | "raises"
    | "markers"
    | "markerRegistrations"
    | "pytestPlugins"
    | "unboundReads"
    | "builtinWrites"
    | "dunderAll"
    | "syntaxError"
  >,
  Exactly<ParsedFile, "facts" | "script" | "diagnostics" | "hash" | "versionSensitive" | "namedEscapes">,
] = [true, true, true, true, true];
void covered;

const list = <T>(items: T[]): Maybe<T[]> => (items.length === 0 ? 0 : items);

export function toWire(result: ParsedFile): WireFile {
  if (result.script) return result;
  const f = result.facts;
  const contexts: (readonly Ctx[])[] = [];
  // The simple reader hands a block's statements one array; tree-sitter's extractor makes one per
  // statement: equal ones are found by their text.
  let refs: Map<readonly Ctx[], ContextRef> | undefined;
  let byText: Map<string, ContextRef> | undefined;
  const ref = (context: readonly Ctx[]): ContextRef => {
    if (context.length === 0) return 0;
    let r = (refs ??= new Map()).get(context);
    if (r === undefined) {
      const text = JSON.stringify(context);
      r = (byText ??= new Map()).get(text);
      if (r === undefined) {
        r = contexts.push(context);
        byText.set(text, r);
      }
      refs.set(context, r);
    }
    return r;
  };
  const facts: WireFacts = [
    f.encoding,
    f.lineCount,
    f.imports.map((i) => [
      i.kind,
      i.module,
      i.level,
      i.names.map((n): WireName => (n.alias === undefined ? [n.name, n.line, n.column] : [n.name, n.line, n.column, n.alias])),
      i.line,
      i.column,
      i.endLine,
      ref(i.context),
      i.alias ?? 0,
      i.via ?? 0,
    ]),
    f.bindings.map((b) => [b.name, b.kind, b.line, b.column, ref(b.context)]),
    (f.hasModuleGetattr ? 1 : 0) | (f.dynamicNamespace ? 2 : 0),
    list(f.classes),
    list(f.raises),
    list(f.markers),
    list(f.markerRegistrations),
    list(f.pytestPlugins),
    list(f.unboundReads),
    list(f.builtinWrites),
    f.dunderAll ?? 0,
    f.syntaxError ?? 0,
    list(contexts),
  ];
  return [facts, result.hash ?? 0, list(result.diagnostics), result.versionSensitive ? 1 : 0, result.namedEscapes ?? 0];
}

export function fromWire(wire: WireFile): ParsedFile {
  if (!Array.isArray(wire)) return wire;
  const [w, hash, diagnostics, versionSensitive, namedEscapes] = wire;
  const contexts = w[14] || [];
  const context = (r: ContextRef): readonly Ctx[] => (r === 0 ? NONE : contexts[r - 1]!);
  const facts: PyFileFacts = {
    encoding: w[0],
    lineCount: w[1],
    imports: w[2].map((i) => importOf(i, context)),
    bindings: w[3].map((b) => ({ name: b[0], kind: b[1], line: b[2], column: b[3], context: context(b[4]) })),
    hasModuleGetattr: (w[4] & 1) !== 0,
    dynamicNamespace: (w[4] & 2) !== 0,
    classes: w[5] || [],
    raises: w[6] || [],
    markers: w[7] || [],
    markerRegistrations: w[8] || [],
    pytestPlugins: w[9] || [],
    unboundReads: w[10] || [],
    builtinWrites: w[11] || [],
  };
  if (w[12] !== 0) facts.dunderAll = w[12];
  if (w[13] !== 0) facts.syntaxError = w[13];
  const result: ParsedFile = hash === 0 ? { facts, diagnostics: diagnostics || [] } : { facts, hash, diagnostics: diagnostics || [] };
  if (versionSensitive === 1) result.versionSensitive = true;
  if (namedEscapes) result.namedEscapes = namedEscapes;
  return result;
}

function importOf(i: WireImport, context: (r: ContextRef) => readonly Ctx[]): PyImport {
  const names = i[3].length === 0 ? NONE : i[3].map((n): ImportedName => (n.length === 3 ? { name: n[0], line: n[1], column: n[2] } : { name: n[0], line: n[1], column: n[2], alias: n[3] }));
  // extract.ts gives a dynamic import its `via` before its position; the others come in this order.
  const imp: PyImport =
    i[9] !== 0
      ? { kind: i[0], module: i[1], level: i[2], names, via: i[9], line: i[4], column: i[5], endLine: i[6], context: context(i[7]) }
      : { kind: i[0], module: i[1], level: i[2], names, line: i[4], column: i[5], endLine: i[6], context: context(i[7]) };
  if (i[8] !== 0) imp.alias = i[8];
  return imp;
}

/** A batch entry (index.ts) on the wire. */
export type WireEntry = [key: string, result: WireFile | 0];

/** A batch of results as one line of JSON: what a worker sends and the facts cache keeps. */
export function batchText(entries: readonly BatchEntry[]): string {
  return JSON.stringify(entries.map(([key, result]): WireEntry => [key, result === 0 ? 0 : toWire(result)]));
}

/** batchText's text back as batch entries. */
export function batchFromText(text: string): BatchEntry[] {
  return (JSON.parse(text) as WireEntry[]).map(([key, result]) => [key, result === 0 ? 0 : fromWire(result)]);
}
