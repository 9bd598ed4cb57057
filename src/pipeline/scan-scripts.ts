/**
 * The TypeScript/JavaScript half of a scan: the repository's scripts are parsed, every import is
 * resolved, and the package files that named imports land in are read too (their declaration
 * files say what they export), following their own re-exports.
 */
import { readFileSync, statSync, note } from "../cache/observed-fs.js";
import { join, relative, sep } from "node:path";
import { errorText } from "../discover/walk.js";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { extractScriptFacts } from "../parse/typescript/extract.js";
import { emptyScriptFacts, scriptLanguageOf, type ScriptFacts } from "../parse/typescript/facts.js";
import { MAX_FILE_BYTES } from "../parse/index.js";
import { decodeScriptSource, hashBytes } from "../parse/source.js";
import { runnerAppliesPaths, ScriptResolver, type ScriptTarget } from "../resolve/scripts.js";
import { dirname } from "node:path";

export interface ScriptModule {
  /** Root-relative for the repository's files; absolute for package files outside it. */
  file: string;
  abs: string;
  /** One of the repository's scripts (not a package's file). */
  local: boolean;
  facts: ScriptFacts;
  /** Where each of `facts.imports` lands for tsc, index for index. */
  targets: ScriptTarget[];
  /** Where each lands when the test runner loads the module (resolve/scripts.ts: the runtime view). */
  runtime: ScriptTarget[];
}

export interface ScriptScan {
  /** By absolute path. */
  modules: Map<string, ScriptModule>;
  /** The repository's scripts, root-relative, sorted. */
  files: string[];
  /** sha256 of each of the repository's scripts as read: `snag fix` refuses to edit one that changed. */
  hashes: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** Package files are read only as deep as their re-export chains go; no real chain is longer. */
const MAX_PACKAGE_DEPTH = 16;

export function scanScripts(root: string, files: readonly string[], projectFiles: readonly string[]): ScriptScan {
  const modules = new Map<string, ScriptModule>();
  const diagnostics: Diagnostic[] = [];
  const hashes = new Map<string, string>();
  // The resolver reads these itself; noting them lets an unchanged run be replayed and a changed one not.
  for (const f of projectFiles) note(join(root, f));
  const resolver = new ScriptResolver(root);
  const runtimeWithPaths = new ScriptResolver(root, "runtime", true);
  const runtimeWithoutPaths = new ScriptResolver(root, "runtime", false);
  const pathsByDir = new Map<string, boolean>();
  const runtimeFor = (abs: string) => {
    const dir = dirname(abs);
    let applies = pathsByDir.get(dir);
    if (applies === undefined) pathsByDir.set(dir, (applies = runnerAppliesPaths(abs, root)));
    return applies ? runtimeWithPaths : runtimeWithoutPaths;
  };
  const rel = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith("..") ? abs : r.split(sep).join("/");
  };

  const load = (abs: string, local: boolean): ScriptModule => {
    const file = rel(abs);
    const language = scriptLanguageOf(abs) ?? "javascript";
    const read = readScript(abs, file);
    if (local && "hash" in read) hashes.set(file, read.hash);
    if ("diagnostic" in read) {
      if (local) diagnostics.push(read.diagnostic);
      const facts = emptyScriptFacts(language);
      facts.syntaxError = { line: 1, column: 1, message: read.diagnostic.message };
      return { file, abs, local, facts, targets: [], runtime: [] };
    }
    const facts = extractScriptFacts(read.text, abs, language);
    if (facts.syntaxError && local) diagnostics.push(diagnostic("parse-error", file, facts.syntaxError.message, { line: facts.syntaxError.line, column: facts.syntaxError.column, severity: "error" }));
    const targets = facts.imports.map((imp) => resolver.resolve(abs, imp.specifier));
    const runner = local ? runtimeFor(abs) : undefined;
    const runtime = runner ? facts.imports.map((imp) => runner.resolve(abs, imp.specifier)) : [];
    for (const t of [...targets, ...runtime]) if (t.kind === "file") note(t.path);
    return { file, abs, local, facts, targets, runtime };
  };

  for (const f of files) {
    const abs = join(root, f);
    modules.set(abs, load(abs, true));
  }
  // Package files whose exports a named import, re-export or star depends on.
  const queue: { abs: string; depth: number }[] = [];
  const want = (m: ScriptModule, depth: number) => {
    m.facts.imports.forEach((imp, i) => {
      const t = m.targets[i];
      if (t?.kind !== "file" || modules.has(t.path)) return;
      const needsExports = imp.names.length > 0 || imp.kind === "star" || imp.kind === "reexport";
      if (needsExports && depth < MAX_PACKAGE_DEPTH && !/\.(json|node)$/.test(t.path)) queue.push({ abs: t.path, depth: depth + 1 });
    });
  };
  for (const m of modules.values()) want(m, 0);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (modules.has(next.abs)) continue;
    const m = load(next.abs, false);
    modules.set(next.abs, m);
    want(m, next.depth);
  }
  return { modules, files: [...files], hashes, diagnostics };
}

function readScript(abs: string, file: string): { text: string; hash: string } | { diagnostic: Diagnostic } {
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) return { diagnostic: diagnostic("file-too-large", file, `${(size / 1048576).toFixed(1)} MiB is over snag's ${MAX_FILE_BYTES / 1048576} MiB limit; not parsed`) };
    const bytes = readFileSync(abs);
    const decoded = decodeScriptSource(bytes);
    if (!decoded.ok) return { diagnostic: diagnostic("binary-file", file, decoded.message, { line: decoded.line, column: 1, severity: "error" }) };
    return { text: decoded.text, hash: hashBytes(bytes) };
  } catch (err) {
    return { diagnostic: diagnostic("unreadable-file", file, `cannot read: ${errorText(err)}`, { severity: "error" }) };
  }
}
