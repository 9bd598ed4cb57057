/**
 * The parse stage: every file's bytes → facts. A file that cannot be read or decoded still gets
 * facts (empty ones carrying the syntax error CPython would raise), plus a diagnostic.
 */
import * as fs from "node:fs";
import { join } from "node:path";
import { noteState, stateOf, stateOfStats, type PathState } from "../cache/observed-fs.js";
import { errorText } from "../discover/walk.js";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { extractPythonFacts } from "./python/extract.js";
import { emptyFacts } from "./python/facts.js";
import { scanLayout } from "./python/layout.js";
import { tokenize } from "./python/tokens.js";
import { batchFromText, batchText } from "./wire.js";
import { badArguments } from "./python/arguments.js";
import { misplacedStatement } from "./python/misplaced.js";
import { badTarget } from "./python/targets.js";
import { badDeclaration } from "./python/declarations.js";
import { badLiteral, namedEscapes } from "./python/literal-forms.js";
import { badStatementForm } from "./python/statement-forms.js";
import { versionSensitive } from "./python/version-sensitive.js";
import type { PyFileFacts } from "./python/facts.js";
import { decodePythonSource, hashBytes } from "./source.js";
import { scriptLanguageOf, type ScriptFacts } from "./typescript/facts.js";
import { parseScriptBytes } from "./typescript/parse-script.js";
import type { ParsePool } from "./pool.js";
import { WorkQueue } from "./work-queue.js";
import { noteParsed } from "../model/timings.js";

/** Larger files are not parsed: no hand-written module is this big, generated data can be. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface ParseOutput {
  facts: Map<string, PyFileFacts>;
  /** TypeScript/JavaScript files' facts. */
  scripts: Map<string, ScriptFacts>;
  diagnostics: Diagnostic[];
  /** sha256 of each file's bytes as parsed: `snag fix` refuses to edit a file that no longer has them. */
  hashes: Map<string, string>;
  /**
   * Files CPython's compiler for the target version has the last word on (confirm-syntax.ts):
   * syntax that only some Python versions parse, and what tree-sitter parses but CPython may
   * refuse (a misplaced statement, a bad argument list, a bare `except:` before another handler).
   */
  versionSensitive: Set<string>;
  /** The `\N{...}` names of files not in `versionSensitive`: one the target's Unicode database lacks sends its file to the compiler too. */
  namedEscapes: Map<string, string[]>;
}

/** How many files to parse between turns of the event loop. */
const YIELD_EVERY = 32;

/** Called as files are parsed, so a terminal can show progress on long scans. */
export type Progress = (done: number, total: number) => void;

/** What the parse stage may know from earlier runs (cache/facts-cache.ts). */
export interface KnownFacts {
  /** The result for a cache key (cacheKey: the content hash, plus the grammar for scripts). */
  get(key: string): ParsedFile | undefined;
  /** Every cache key it holds: a worker that has hashed a file checks it before parsing. */
  keys(): Iterable<string>;
  /** The content hash a file had when its stat state was `state`, if that was seen before. */
  hashOf(absPath: string, state: PathState): string | undefined;
  /** Whether `hashOf` knows any file: when not, files are not statted ahead of their read. */
  readonly knowsStates: boolean;
}

export interface ParseOptions {
  progress?: Progress;
  /** Worker threads to parse with; 1 parses on this thread. Output is the same for any number. */
  jobs?: number;
  /** Facts known from earlier runs; a hit skips the read and the parse. */
  known?: KnownFacts;
  /** Told every file's result, parsed or known, for the next run. */
  learn?: (key: string, result: ParsedFile, file: { absPath: string; state: PathState }) => void;
  /** Told each batch of files read and parsed, as JSON text of BatchEntry[], with the keys of those parsed. */
  learnBatch?: (json: string, parsedKeys: string[]) => void;
  /** Told each file's result as soon as it is had, parsed or from the cache, in no particular order. */
  onResult?: (file: string, result: ParsedFile) => void;
  /** Workers already started for this parse; closed unused when there is too little to parse. */
  pool?: ParsePool;
}

/** One file through the parse stage: what `parseFiles` collects for it. */
export interface ParsedFile {
  /** Python facts (empty for a TypeScript/JavaScript file, whose facts are `script`). */
  facts: PyFileFacts;
  script?: ScriptFacts;
  diagnostics: Diagnostic[];
  hash?: string;
  versionSensitive?: boolean;
  /** The names of the file's `\N{...}` escapes, for the target's Unicode database to look up (confirm-syntax.ts). */
  namedEscapes?: string[];
}

/** A file to read and parse, on a worker or here. */
export interface ParseItem {
  file: string;
  absPath: string;
}

/**
 * What reading and parsing one item gives: its cache key and result, or 0 for a file the cache
 * already knows (the key ends with the content hash). The key is "" for a file that could not be
 * read. A batch of these, as JSON text (wire.ts), is what a worker sends back and what the facts cache keeps.
 */
export type BatchEntry = [key: string, result: ParsedFile | 0];

/** Fewer files than this to parse are not worth starting threads for. */
export const MIN_FILES_PER_WORKER = 200;

/**
 * When the cache knows files by their stat state, each file is looked at with one stat on this
 * thread, and one whose state an earlier run saw gives its hash and facts without a read. The
 * others (every file, on a cold run: no stat here at all) are read, hashed and parsed on worker
 * threads, which take each file's state from the open file, so this thread never holds the
 * repository's bytes (222 MB at 50k modules) and never waits on them.
 */
export async function parseFiles(root: string, files: readonly string[], options: ParseOptions = {}): Promise<ParseOutput> {
  const results: (ParsedFile | undefined)[] = new Array(files.length);
  const states: PathState[] = new Array(files.length);
  const known = options.known;
  const onResult = options.onResult;
  const settle = (index: number, result: ParsedFile): void => {
    results[index] = result;
    onResult?.(files[index] as string, result);
  };
  // The files to read and parse, and the index in `files` of each.
  const items: ParseItem[] = [];
  const indices: number[] = [];
  files.forEach((file, i) => {
    const absPath = join(root, file);
    if (known?.knowsStates) {
      const state = stateOf(absPath);
      const hash = known.hashOf(absPath, state);
      const hit = hash === undefined ? undefined : known.get(cacheKey(file, hash));
      if (hit) {
        states[i] = state;
        noteState(absPath, state);
        settle(i, fromCache(hit, file, hash!));
        return;
      }
    }
    items.push({ file, absPath });
    indices.push(i);
  });
  const settled = files.length - items.length;
  const progress = options.progress;
  let parsed = 0;
  let parsedHere = 0;
  const learnBatch = options.learnBatch;
  // A batch of entries for items [from, to), and the state each file was read in.
  const put = (from: number, entries: readonly BatchEntry[], read: readonly PathState[], json?: string): void => {
    entries.forEach(([key, result], k) => {
      const index = indices[from + k] as number;
      const file = files[index] as string;
      states[index] = read[k] as PathState;
      noteState((items[from + k] as ParseItem).absPath, read[k] as PathState);
      if (result === 0) {
        const hit = known?.get(key);
        // The parser was told every key the cache holds, so a known one always has its entry.
        if (!hit) throw new Error(`the facts cache lost ${file}`);
        settle(index, fromCache(hit, file, key.slice(key.lastIndexOf(":") + 1)));
      } else settle(index, result);
    });
    if (learnBatch)
      learnBatch(
        json ?? batchText(entries),
        entries.filter(([key, result]) => key !== "" && result !== 0).map(([key]) => key),
      );
    parsed += entries.length;
    if (json === undefined) parsedHere += entries.length;
    progress?.(settled + parsed, files.length);
  };
  const wanted = options.pool ? options.pool.size + 1 : (options.jobs ?? 1);
  const jobs = Math.min(wanted, Math.floor(items.length / MIN_FILES_PER_WORKER));
  if (jobs <= 1) options.pool?.close();
  const queue = new WorkQueue(items);
  // This thread parses too: one worker fewer to start and warm up, and its results need no copying.
  const here = async (): Promise<void> => {
    const keys = new Set(known?.keys() ?? []);
    for (let [from, to] = queue.claim(YIELD_EVERY); from < to; [from, to] = queue.claim(YIELD_EVERY)) {
      const read: PathState[] = [];
      put(
        from,
        items.slice(from, to).map((item) => parseItem(item, keys, read)),
        read,
      );
      // tree-sitter frees its native trees in N-API finalizers, which run only when the event loop
      // turns (a synchronous loop over 5k files held ~1 GB of dead trees); workers' results come in then too.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  if (jobs > 1) {
    const pool = options.pool ?? (await import("./pool.js")).ParsePool.start(jobs - 1);
    await Promise.all([pool.parse(root, queue, known ? [...known.keys()] : [], (from, json, read) => put(from, batchFromText(json), read, json)), here()]);
  } else await here();
  noteParsed(parsedHere, parsed - parsedHere);
  const facts = new Map<string, PyFileFacts>();
  const scripts = new Map<string, ScriptFacts>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  const versionSensitive = new Set<string>();
  const escapeNames = new Map<string, string[]>();
  files.forEach((file, i) => {
    const result = results[i] as ParsedFile;
    if (result.script) scripts.set(file, result.script);
    else facts.set(file, result.facts);
    if (result.versionSensitive) versionSensitive.add(file);
    if (result.namedEscapes) escapeNames.set(file, result.namedEscapes);
    if (result.hash) {
      hashes.set(file, result.hash);
      options.learn?.(cacheKey(file, result.hash), result, { absPath: join(root, file), state: states[i] as PathState });
    }
    diagnostics.push(...result.diagnostics);
  });
  return { facts, scripts, diagnostics, hashes, versionSensitive, namedEscapes: escapeNames };
}

/** A cached result given to `file` (identical files share an entry, and diagnostics name their file). */
function fromCache(hit: ParsedFile, file: string, hash: string): ParsedFile {
  return { ...hit, facts: { ...hit.facts }, diagnostics: hit.diagnostics.map((d) => ({ ...d, file })), hash };
}

/**
 * Read, hash and, unless the cache has the key (`keys`), parse one file; its stat state, taken
 * from the open file before the read, is pushed on `states`. Pure but for the read.
 */
export function parseItem(item: ParseItem, keys: ReadonlySet<string>, states: PathState[]): BatchEntry {
  const read = readFile(item.absPath);
  states.push(read.state);
  if ("error" in read) return ["", unreadable(item.file, read.error)];
  if (!read.bytes) return ["", tooLarge(item.file, read.size)];
  const hash = hashBytes(read.bytes);
  const key = cacheKey(item.file, hash);
  return [key, keys.has(key) ? 0 : parseBytes(read.bytes, item.file, hash)];
}

/**
 * A file's state and bytes, with one open, fstat and read; no bytes for a file over
 * MAX_FILE_BYTES, which is not read at all.
 */
function readFile(absPath: string): { state: PathState; bytes?: Buffer; size: number } | { state: PathState; error: unknown } {
  let fd: number;
  try {
    fd = fs.openSync(absPath, "r");
  } catch (error) {
    return { state: "-", error };
  }
  let state: PathState = "-";
  try {
    const st = fs.fstatSync(fd);
    state = stateOfStats(st);
    if (st.size > MAX_FILE_BYTES) return { state, size: st.size };
    // Sized by the stat, read until the end: a file that grows meanwhile is read whole.
    let bytes = Buffer.allocUnsafe(st.size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(bytes.length)]);
      const got = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (got === 0) break;
      length += got;
    }
    return { state, bytes: bytes.subarray(0, length), size: length };
  } catch (error) {
    return { state, error };
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: number): ParsedFile {
  return {
    facts: emptyFacts(),
    diagnostics: [diagnostic("file-too-large", file, `${(size / 1048576).toFixed(1)} MiB is over snag's ${MAX_FILE_BYTES / 1048576} MiB limit; not parsed`)],
  };
}

function unreadable(file: string, err: unknown): ParsedFile {
  return { facts: emptyFacts(), diagnostics: [diagnostic("unreadable-file", file, `cannot read: ${errorText(err)}`, { severity: "error" })] };
}

/**
 * The facts cache's key: the content hash, and for a script the grammar and language its name
 * selects (the same bytes are other facts in a.py, a.ts and a.tsx).
 */
export function cacheKey(file: string, hash: string): string {
  const language = scriptLanguageOf(file);
  return language ? `${language}:${/\.(tsx|jsx|js|mjs|cjs)$/.test(file) ? "tsx" : "ts"}:${hash}` : hash;
}

/** Bytes → facts. Pure: the same bytes give the same result on any thread. */
export function parseBytes(bytes: Uint8Array, file: string, hash: string): ParsedFile {
  const language = scriptLanguageOf(file);
  if (language) return { facts: emptyFacts(), ...parseScriptBytes(bytes, file, hash, language) };
  const decoded = decodePythonSource(bytes);
  if (!decoded.ok) {
    const facts = emptyFacts();
    facts.syntaxError = { message: decoded.message, line: decoded.line, column: 1 };
    const code = decoded.reason === "binary" ? "binary-file" : "invalid-encoding";
    return { facts, hash, diagnostics: [diagnostic(code, file, decoded.message, { line: decoded.line, column: 1, severity: "error" })] };
  }
  // The tokenizer makes the layout scan on its way; the scan runs apart only where it gives up.
  const tokens = tokenize(decoded.text);
  const layout = tokens?.layout ?? scanLayout(decoded.text);
  const named = tokens ? namedEscapes(tokens, decoded.text) : undefined;
  // A file the tokenizer cannot follow (tabs in its indentation, a stray carriage return) gets
  // none of the token checks below, so the compiler judges it: 14 of 25,790 library files.
  const sensitive =
    layout.askCompiler ||
    tokens === undefined ||
    versionSensitive(decoded.text, tokens) ||
    misplacedStatement(tokens) ||
    badArguments(tokens, decoded.text) ||
    badTarget(tokens) ||
    badDeclaration(tokens, decoded.text) ||
    badLiteral(tokens, decoded.text) ||
    named?.unclosed === true ||
    badStatementForm(tokens, decoded.text);
  const facts = extractPythonFacts(decoded.text, decoded.encoding, { layout, reduce: !sensitive, ...(tokens ? { tokens } : {}) });
  const diagnostics: Diagnostic[] = [];
  if (decoded.undecodable) {
    // Reported unless CPython's compiler accepts the file (the bad bytes only in comments).
    facts.syntaxError = { message: decoded.undecodable.message, line: decoded.undecodable.line, column: 1 };
    diagnostics.push(diagnostic("invalid-encoding", file, decoded.undecodable.message, { line: decoded.undecodable.line, column: 1, severity: "error" }));
  } else if (facts.syntaxError) {
    diagnostics.push(diagnostic("parse-error", file, facts.syntaxError.message, { line: facts.syntaxError.line, column: facts.syntaxError.column, severity: "error" }));
  }
  const askCompiler = !facts.syntaxError && sensitive;
  // A file the compiler judges anyway needs no names looked up.
  const lookUp = !facts.syntaxError && !sensitive && named !== undefined && named.names.length > 0;
  return { facts, hash, diagnostics, ...(askCompiler ? { versionSensitive: true } : {}), ...(lookUp ? { namedEscapes: named.names } : {}) };
}
