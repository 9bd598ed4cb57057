/**
 * tsc's own parser has the last word on what tree-sitter calls a syntax error in a script, as
 * CPython's compiler has for Python (parse/confirm-syntax.ts): the TypeScript grammar lags the
 * language (variance annotations, generic call signatures on a new line, tagged templates with
 * type arguments). A file tsc parses keeps no syntax error, but its facts are marked partial,
 * since tree-sitter's recovery may have dropped an export; no finding then rests on its exports.
 * The compiler is loaded only when some file needs it.
 */
import { createRequire } from "node:module";
import type { ScriptFacts } from "./facts.js";

type TypeScriptApi = typeof import("typescript");

let api: TypeScriptApi | null | undefined;

function typescript(): TypeScriptApi | null {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)("typescript") as TypeScriptApi;
    } catch {
      api = null;
    }
  }
  return api;
}

/** Clears `facts.syntaxError` when tsc parses `text`; otherwise puts tsc's first error in its place. */
export function confirmScriptSyntax(text: string, file: string, facts: ScriptFacts): void {
  if (!facts.syntaxError) return;
  const ts = typescript();
  if (!ts) return;
  const kind = /\.[mc]?tsx$/.test(file) ? ts.ScriptKind.TSX : /\.[mc]?ts$/.test(file) ? ts.ScriptKind.TS : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const diagnostics = (source as unknown as { parseDiagnostics?: import("typescript").DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (!first) {
    delete facts.syntaxError;
    facts.partial = true;
    return;
  }
  const at = source.getLineAndCharacterOfPosition(first.start);
  facts.syntaxError = { line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, "\n") };
}
