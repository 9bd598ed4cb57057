/** A script's bytes → facts and diagnostics: decode, extract, and let tsc confirm a syntax error. Pure. */
import { diagnostic, type Diagnostic } from "../../model/diagnostic.js";
import { decodeScriptSource } from "../source.js";
import { confirmScriptSyntax } from "./confirm-syntax.js";
import { extractScriptFacts } from "./extract.js";
import { emptyScriptFacts, type ScriptFacts, type ScriptLanguage } from "./facts.js";

export function parseScriptBytes(bytes: Uint8Array, file: string, hash: string, language: ScriptLanguage): { script: ScriptFacts; diagnostics: Diagnostic[]; hash: string } {
  const decoded = decodeScriptSource(bytes);
  if (!decoded.ok) {
    const script = emptyScriptFacts(language);
    script.syntaxError = { line: decoded.line, column: 1, message: decoded.message };
    return { script, hash, diagnostics: [diagnostic("binary-file", file, decoded.message, { line: decoded.line, column: 1, severity: "error" })] };
  }
  const script = extractScriptFacts(decoded.text, file, language);
  confirmScriptSyntax(decoded.text, file, script);
  const diagnostics = script.syntaxError ? [diagnostic("parse-error", file, script.syntaxError.message, { line: script.syntaxError.line, column: script.syntaxError.column, severity: "error" })] : [];
  return { script, hash, diagnostics };
}
