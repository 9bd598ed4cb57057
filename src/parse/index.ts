/**
 * The parse stage: every file's bytes → facts. A file that cannot be read or decoded still gets
 * facts (empty ones carrying the syntax error CPython would raise), plus a diagnostic.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { errorText } from "../discover/walk.js";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { emptyFacts, extractPythonFacts } from "./python/extract.js";
import type { PyFileFacts } from "./python/facts.js";
import { decodePythonSource } from "./source.js";

/** Larger files are not parsed: no hand-written module is this big, generated data can be. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface ParseOutput {
  facts: Map<string, PyFileFacts>;
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
 */
const VERSION_SENSITIVE =
  /^[ \t]*(?:match|case)\s[^\n]*:[ \t]*(?:#.*)?$|^[ \t]*type\s+[A-Za-z_]\w*\s*[[=]|except\s*\*|^[ \t]*(?:async\s+)?(?:def|class)\s+\w+\s*\[|:=|^[ \t]*(?:async\s+)?with\s*\(|\bf(["'])[^\n]*?\{[^}\n]*\1[^}\n]*\}|^[ \t]*print\s+[^\s(=,.)\]]|^[ \t]*exec\s+["']|`|<>|^[ \t]*except\s+[\w.]+\s*,\s*\w+\s*:/m;

/** How many files to parse between turns of the event loop. */
const YIELD_EVERY = 32;

/** Called as files are parsed, so a terminal can show progress on long scans. */
export type Progress = (done: number, total: number) => void;

export async function parseFiles(root: string, files: readonly string[], progress?: Progress): Promise<ParseOutput> {
  const facts = new Map<string, PyFileFacts>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  const versionSensitive = new Set<string>();
  let sinceYield = 0;
  for (const file of files) {
    const result = parseOne(join(root, file), file);
    facts.set(file, result.facts);
    if (result.versionSensitive) versionSensitive.add(file);
    if (result.hash) hashes.set(file, result.hash);
    diagnostics.push(...result.diagnostics);
    // tree-sitter frees its native trees in N-API finalizers, which run only when the event loop
    // turns: a synchronous loop over 5k files held ~1 GB of dead trees.
    if (++sinceYield === YIELD_EVERY) {
      sinceYield = 0;
      progress?.(facts.size, files.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { facts, diagnostics, hashes, versionSensitive };
}

export function parseOne(absPath: string, file: string): { facts: PyFileFacts; diagnostics: Diagnostic[]; hash?: string; versionSensitive?: boolean } {
  let bytes: Buffer;
  try {
    const size = statSync(absPath).size;
    if (size > MAX_FILE_BYTES) {
      return {
        facts: emptyFacts(),
        diagnostics: [diagnostic("file-too-large", file, `${(size / 1048576).toFixed(1)} MiB is over snag's ${MAX_FILE_BYTES / 1048576} MiB limit; not parsed`)],
      };
    }
    bytes = readFileSync(absPath);
  } catch (err) {
    return { facts: emptyFacts(), diagnostics: [diagnostic("unreadable-file", file, `cannot read: ${errorText(err)}`, { severity: "error" })] };
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const decoded = decodePythonSource(bytes);
  if (!decoded.ok) {
    const facts = emptyFacts();
    facts.syntaxError = { message: decoded.message, line: decoded.line, column: 1 };
    const code = decoded.reason === "binary" ? "binary-file" : "invalid-encoding";
    return { facts, hash, diagnostics: [diagnostic(code, file, decoded.message, { line: decoded.line, column: 1, severity: "error" })] };
  }
  const facts = extractPythonFacts(decoded.text, decoded.encoding);
  const diagnostics: Diagnostic[] = [];
  if (facts.syntaxError) {
    diagnostics.push(diagnostic("parse-error", file, facts.syntaxError.message, { line: facts.syntaxError.line, column: facts.syntaxError.column, severity: "error" }));
  }
  return { facts, diagnostics, hash, ...(!facts.syntaxError && VERSION_SENSITIVE.test(decoded.text) ? { versionSensitive: true } : {}) };
}
