/**
 * A problem with the *input* (a file snag could not read or parse, a malformed config), as opposed
 * to a finding about the code. Diagnostics never stop a scan; they travel with the results.
 */
export type DiagnosticCode =
  | "parse-error"
  | "invalid-encoding"
  | "binary-file"
  | "file-too-large"
  | "unreadable-file"
  | "symlink-loop"
  | "symlink-outside"
  | "config-error"
  | "interpreter-error";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: "error" | "warning" | "info";
  /** Relative to the scanned root, `/`-separated; absolute when outside it. */
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  column: number;
  message: string;
}

export function diagnostic(
  code: DiagnosticCode,
  file: string,
  message: string,
  at: { line?: number; column?: number; severity?: Diagnostic["severity"] } = {},
): Diagnostic {
  return {
    code,
    severity: at.severity ?? "warning",
    file,
    line: at.line ?? 0,
    column: at.column ?? 0,
    message,
  };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.code, b.code)
  );
}

/** Locale-independent ordering, so output is byte-identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
