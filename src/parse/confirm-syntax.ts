/**
 * tree-sitter's grammar is not CPython's: on rare valid files its error recovery gives up, and a
 * false syntax error would be a false alarm on every test behind that module. When tree-sitter
 * reports an error and the interpreter is the target version, CPython's own compiler confirms it:
 * `compile()` parses and compiles the file without running a line of it.
 */
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import type { PyFileFacts } from "./python/facts.js";

const SCRIPT = String.raw`
import json, sys
out = {}
for path in json.load(sys.stdin):
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
): Diagnostic[] {
  const suspects = [...facts].filter(([, f]) => f.syntaxError && f.lineCount > 0).map(([file]) => file);
  if (!python || suspects.length === 0) return diagnostics;
  let verdicts: Record<string, Verdict>;
  try {
    const out = execFileSync(python, ["-I", "-S", "-c", SCRIPT], {
      input: JSON.stringify(suspects.map((f) => join(root, f))),
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
  return diagnostics
    .filter((d) => !(d.code === "parse-error" && cleared.has(d.file)))
    .map((d) => {
      const se = d.code === "parse-error" ? facts.get(d.file)?.syntaxError : undefined;
      return se ? { ...d, line: se.line, column: se.column, message: se.message } : d;
    });
}
