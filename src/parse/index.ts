/**
 * The parse stage: every file's bytes → facts. A file that cannot be read or decoded still gets
 * facts (empty ones carrying the syntax error CPython would raise), plus a diagnostic.
 */
import { readFileSync, statSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import { errorText } from "../discover/walk.js";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { extractPythonFacts } from "./python/extract.js";
import { emptyFacts } from "./python/facts.js";
import { scanLayout } from "./python/layout.js";
import type { PyFileFacts } from "./python/facts.js";
import { decodePythonSource, hashBytes } from "./source.js";
import { scriptLanguageOf, type ScriptFacts } from "./typescript/facts.js";
import type { WorkItem } from "./pool.js";
import { parseScriptBytes } from "./typescript/parse-script.js";

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
   * Files using syntax that only some Python versions parse (and tree-sitter parses for all):
   * CPython's compiler for the target version has the last word on them (confirm-syntax.ts).
   */
  versionSensitive: Set<string>;
}

/**
 * Liberal on purpose: a hit only sends the file to the target interpreter's compile(). Soft
 * keywords (match/case, type aliases), except*, PEP 695 brackets, the walrus, parenthesised
 * context managers, PEP 701 f-strings reusing their quote, and Python 2 statements tree-sitter
 * still accepts (print >>f, exec "...", backticks, <>, except X, e).
 *
 * One alternation over the whole text cost more than tree-sitter's parse of a reduced file: each
 * form is tried only where a literal it needs is in the text.
 */
const VERSION_SENSITIVE_FORMS: [needs: string[], form: RegExp][] = [
  [["match", "case"], /^[ \t]*(?:match|case)\s[^\n]*:[ \t]*(?:#.*)?$/m],
  [["type"], /^[ \t]*type\s+[A-Za-z_]\w*\s*[[=]/m],
  [["except"], /except\s*\*|^[ \t]*except\s+[\w.]+\s*,\s*\w+\s*:/m],
  [["["], /^[ \t]*(?:async\s+)?(?:def|class)\s+\w+\s*\[/m],
  [[":="], /:=/],
  [["with"], /^[ \t]*(?:async\s+)?with\s*\(/m],
  [["f'", 'f"'], /\bf(["'])[^\n]*?\{[^}\n]*\1[^}\n]*\}/],
  [["print"], /^[ \t]*print\s+[^\s(=,.)\]]/m],
  [["exec"], /^[ \t]*exec\s+["']/m],
  [["`", "<>"], /`|<>/],
];

export function versionSensitive(text: string): boolean {
  return VERSION_SENSITIVE_FORMS.some(([needs, form]) => needs.some((n) => text.includes(n)) && form.test(text));
}

/** How many files to parse between turns of the event loop. */
const YIELD_EVERY = 32;

/** Called as files are parsed, so a terminal can show progress on long scans. */
export type Progress = (done: number, total: number) => void;

export interface ParseOptions {
  progress?: Progress;
  /** Worker threads to parse with; 1 parses on this thread. Output is the same for any number. */
  jobs?: number;
  /** Facts already known by content hash (cache/facts-cache.ts); a hit skips the parse. */
  known?: (hash: string) => ParsedFile | undefined;
  /** Told every file's result by content hash, parsed or known, for the next run. */
  learn?: (hash: string, result: ParsedFile) => void;
}

/** One file through the parse stage: what `parseFiles` collects for it. */
export interface ParsedFile {
  /** Python facts (empty for a TypeScript/JavaScript file, whose facts are `script`). */
  facts: PyFileFacts;
  script?: ScriptFacts;
  diagnostics: Diagnostic[];
  hash?: string;
  versionSensitive?: boolean;
}

/** Fewer files than this are not worth starting threads for. */
const MIN_FILES_PER_WORKER = 200;

export async function parseFiles(root: string, files: readonly string[], options: ParseOptions = {}): Promise<ParseOutput> {
  const results: (ParsedFile | undefined)[] = new Array(files.length);
  // Files are read as they are about to be parsed, not all up front: a cache hit or an unreadable
  // file is settled on the way, and only the bytes of the batches being parsed are held.
  let cursor = 0;
  let settled = 0;
  const take = (max: number): WorkItem[] => {
    const out: WorkItem[] = [];
    while (out.length < max && cursor < files.length) {
      const i = cursor++;
      const file = files[i] as string;
      const read = readSource(join(root, file), file);
      if ("result" in read) {
        results[i] = read.result;
        settled++;
        continue;
      }
      const hash = hashBytes(read.bytes);
      const hit = options.known?.(cacheKey(file, hash));
      if (hit) {
        results[i] = { ...hit, facts: { ...hit.facts }, diagnostics: hit.diagnostics.map((d) => ({ ...d, file })), hash };
        settled++;
      } else out.push({ index: i, file, bytes: read.bytes, hash });
    }
    return out;
  };
  const progress = options.progress;
  // Threads pay only for enough files to parse: look ahead far enough to know.
  const wanted = options.jobs ?? 1;
  const ahead = wanted > 1 ? take(MIN_FILES_PER_WORKER * wanted) : [];
  const next = (max: number): WorkItem[] => (ahead.length > 0 ? ahead.splice(0, max) : take(max));
  const jobs = cursor < files.length ? wanted : Math.min(wanted, Math.floor(ahead.length / MIN_FILES_PER_WORKER));
  if (jobs > 1) {
    const { parseInWorkers } = await import("./pool.js");
    await parseInWorkers(next, jobs, (index, result) => {
      results[index] = result;
    }, progress && ((parsed) => progress(settled + parsed, files.length)));
  } else {
    let parsed = 0;
    for (let batch = next(YIELD_EVERY); batch.length > 0; batch = next(YIELD_EVERY)) {
      for (const item of batch) results[item.index] = parseBytes(item.bytes, item.file, item.hash);
      parsed += batch.length;
      progress?.(settled + parsed, files.length);
      // tree-sitter frees its native trees in N-API finalizers, which run only when the event loop
      // turns: a synchronous loop over 5k files held ~1 GB of dead trees.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const facts = new Map<string, PyFileFacts>();
  const scripts = new Map<string, ScriptFacts>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  const versionSensitive = new Set<string>();
  files.forEach((file, i) => {
    const result = results[i] as ParsedFile;
    if (result.script) scripts.set(file, result.script);
    else facts.set(file, result.facts);
    if (result.versionSensitive) versionSensitive.add(file);
    if (result.hash) {
      hashes.set(file, result.hash);
      options.learn?.(cacheKey(file, result.hash), result);
    }
    diagnostics.push(...result.diagnostics);
  });
  return { facts, scripts, diagnostics, hashes, versionSensitive };
}

export function parseOne(absPath: string, file: string): ParsedFile {
  const read = readSource(absPath, file);
  if ("result" in read) return read.result;
  return parseBytes(read.bytes, file, hashBytes(read.bytes));
}

/** A file's bytes, or its final result when it is too large or cannot be read. */
function readSource(absPath: string, file: string): { bytes: Buffer } | { result: ParsedFile } {
  try {
    const size = statSync(absPath).size;
    if (size > MAX_FILE_BYTES) {
      return {
        result: {
          facts: emptyFacts(),
          diagnostics: [diagnostic("file-too-large", file, `${(size / 1048576).toFixed(1)} MiB is over snag's ${MAX_FILE_BYTES / 1048576} MiB limit; not parsed`)],
        },
      };
    }
    return { bytes: readFileSync(absPath) };
  } catch (err) {
    return { result: { facts: emptyFacts(), diagnostics: [diagnostic("unreadable-file", file, `cannot read: ${errorText(err)}`, { severity: "error" })] } };
  }
}

/**
 * The facts cache's key: the content hash, and for a script the grammar and language its name
 * selects (the same bytes are other facts in a.py, a.ts and a.tsx).
 */
function cacheKey(file: string, hash: string): string {
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
  const layout = scanLayout(decoded.text);
  const sensitive = layout.askCompiler || versionSensitive(decoded.text);
  const facts = extractPythonFacts(decoded.text, decoded.encoding, { layout, reduce: !sensitive });
  const diagnostics: Diagnostic[] = [];
  if (decoded.undecodable) {
    // Reported unless CPython's compiler accepts the file (the bad bytes only in comments).
    facts.syntaxError = { message: decoded.undecodable.message, line: decoded.undecodable.line, column: 1 };
    diagnostics.push(diagnostic("invalid-encoding", file, decoded.undecodable.message, { line: decoded.undecodable.line, column: 1, severity: "error" }));
  } else if (facts.syntaxError) {
    diagnostics.push(diagnostic("parse-error", file, facts.syntaxError.message, { line: facts.syntaxError.line, column: facts.syntaxError.column, severity: "error" }));
  }
  const askCompiler = !facts.syntaxError && sensitive;
  return { facts, hash, diagnostics, ...(askCompiler ? { versionSensitive: true } : {}) };
}
