/**
 * tree-sitter's grammar is not CPython's: on rare valid files its error recovery gives up, and a
 * false syntax error would be a false alarm on every test behind that module. When tree-sitter
 * reports an error and the interpreter is the target version, CPython's own compiler confirms it:
 * `compile()` parses and compiles the file without running a line of it.
 *
 * The same run looks up the names of `\N{...}` escapes in the target's Unicode database (its
 * `unicodedata`, which is what the compiler asks): a file with a name it lacks, or one naming a
 * sequence of characters, is compiled too. Names, not files, cross over: the 69 of 25,790
 * library files with such escapes hold 3.5 MB of source and 91 distinct names.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "../cache/observed-fs.js";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import type { PyFileFacts } from "./python/facts.js";

const SCRIPT = String.raw`
import json, sys, unicodedata
request = json.load(sys.stdin)
def character(name):
    # A name of a sequence of characters is no escape's; anything lookup refuses, the compiler judges.
    try:
        return len(unicodedata.lookup(name)) == 1
    except Exception:
        return False
unknown = {name for names in request["names"].values() for name in set(names) if not character(name)}
paths = request["compile"] + [path for path, names in request["names"].items() if unknown.intersection(names)]
out = {}
for path in paths:
    try:
        with open(path, "rb") as fh:
            compile(fh.read(), path, "exec", dont_inherit=True)
        out[path] = None
    except SyntaxError as e:
        out[path] = {"line": e.lineno or 1, "column": e.offset or 1, "message": f"{type(e).__name__}: {e.msg}"}
    except (ValueError, OSError) as e:
        out[path] = {"line": 1, "column": 1, "message": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
`;

type Verdict = { line: number; column: number; message: string } | null;

export function confirmSyntaxErrors(
  root: string,
  facts: Map<string, PyFileFacts>,
  diagnostics: Diagnostic[],
  python: string | undefined,
  versionSensitive: ReadonlySet<string> = new Set(),
  namedEscapes: ReadonlyMap<string, string[]> = new Map(),
): Diagnostic[] {
  const compile = [...facts].filter(([file, f]) => (f.syntaxError && f.lineCount > 0) || versionSensitive.has(file)).map(([file]) => file);
  const compiled = new Set(compile);
  const named = [...namedEscapes.keys()].filter((file) => facts.has(file) && !compiled.has(file));
  if (!python || compile.length + named.length === 0) return diagnostics;
  // Every file the run may have compiled: a verdict is had for those compiled, none for the rest.
  const suspects = [...compile, ...named];
  let verdicts: Record<string, Verdict>;
  try {
    const out = execFileSync(python, ["-I", "-S", "-c", SCRIPT], {
      input: JSON.stringify({ compile: compile.map((f) => join(root, f)), names: Object.fromEntries(named.map((f) => [join(root, f), namedEscapes.get(f)!])) }),
      cwd: tmpdir(),
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 60_000,
    });
    verdicts = JSON.parse(out) as Record<string, Verdict>;
  } catch {
    return diagnostics; // keep tree-sitter's word when the interpreter cannot answer
  }
  const cleared = new Set<string>();
  for (const file of suspects) {
    const v = verdicts[join(root, file)];
    const f = facts.get(file)!;
    if (v === undefined) continue;
    if (v === null) {
      delete f.syntaxError;
      cleared.add(file);
    } else f.syntaxError = { line: v.line, column: v.column, message: v.message };
  }
  // Files tree-sitter parsed but the target's compiler rejects get the diagnostic they lacked.
  const flagged = new Set(diagnostics.filter((d) => d.code === "parse-error" || d.code === "invalid-encoding").map((d) => d.file));
  for (const file of suspects) {
    const se = facts.get(file)?.syntaxError;
    if (se && !flagged.has(file)) diagnostics = [...diagnostics, diagnostic("parse-error", file, se.message, { line: se.line, column: se.column, severity: "error" })];
  }
  return diagnostics
    .filter((d) => !((d.code === "parse-error" || d.code === "invalid-encoding") && cleared.has(d.file)))
    .map((d) => {
      const se = d.code === "parse-error" ? facts.get(d.file)?.syntaxError : undefined;
      return se ? { ...d, line: se.line, column: se.column, message: se.message } : d;
    });
}

/**
 * An interpreter of another Python version on this machine (`python3.X` on PATH, or a pyenv
 * build), to compile files as that version would: only its compiler knows its grammar.
 */
export function interpreterFor(version: string): string | undefined {
  const candidates = [`python${version}`];
  const pyenv = join(homedir(), ".pyenv", "versions");
  try {
    for (const d of readdirSync(pyenv).sort().reverse()) if (d === version || d.startsWith(`${version}.`)) candidates.push(join(pyenv, d, "bin", "python"));
  } catch {
    // No pyenv.
  }
  for (const exe of candidates) {
    try {
      const out = execFileSync(exe, ["-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
      if (out.trim() === version) return exe;
    } catch {
      // Not there, or not that version.
    }
  }
  return undefined;
}
