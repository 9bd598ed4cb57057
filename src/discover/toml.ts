import { parse as parseToml } from "smol-toml";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";

/** Parse a TOML config file; a syntax error becomes a `config-error` diagnostic with its position. */
export function readToml(text: string, file: string, diagnostics: Diagnostic[]): Record<string, unknown> | undefined {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as { line?: number; column?: number; message: string };
    const first = e.message.split("\n")[0] ?? e.message;
    diagnostics.push(diagnostic("config-error", file, `invalid TOML: ${first}`, { line: e.line ?? 0, column: e.column ?? 0, severity: "error" }));
    return undefined;
  }
}
