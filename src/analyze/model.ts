/**
 * What `snag check` predicts: per module and per test file, importable or not, with the chain to
 * the statement the interpreter fails at; and findings, one per root cause, ranked by blast radius.
 */

export type RuleId =
  | "syntax-error"
  | "missing-module"
  | "missing-symbol"
  | "missing-export"
  | "import-cycle"
  | "mro-conflict"
  | "import-time-error"
  | "undefined-name"
  | "unknown-marker"
  | "test-module-collision"
  | "heavy-import"
  | "undeclared-dependency"
  | "unknown-option"
  | "unknown-ini-key"
  | "missing-plugin"
  | "conftest-failure"
  | "warning-as-error";

export type Severity = "error" | "warning" | "info";

/** The exception a failing statement raises; it decides which `except` clauses catch it. */
export type ExceptionKind =
  | "ModuleNotFoundError"
  | "ImportError"
  | "TypeError"
  | "SyntaxError"
  | "Failed"
  | "Skipped"
  /** Raised by an except clause that turns the original failure into another exception. */
  | (string & {});

/** The statement the interpreter fails at. */
export interface Cause {
  rule: RuleId;
  /**
   * missing-module: the name ModuleNotFoundError reports; missing-symbol / import-cycle: the name
   * that cannot be imported; mro-conflict: the class; unknown-marker: the marker; syntax-error: the file.
   */
  target: string;
  file: string;
  line: number;
  column: number;
  exception: ExceptionKind;
  /** The interpreter's own message, as close as snag can say it. */
  message: string;
  /** For missing-symbol / import-cycle: the module the name was imported from. */
  module?: string;
}

/** One module on the way from the imported module to the failing statement. */
export interface Hop {
  module: string;
  file: string;
  /** The line in `file` that leads to the next hop (the last hop: the failing statement). */
  line: number;
}

export interface Failure {
  cause: Cause;
  /** From the module being imported down to the module holding the failing statement. */
  chain: Hop[];
}

/** Absent means Python, the language snag began with (and the JSON contract's default). */
export type Language = "python" | "typescript" | "javascript";

export interface ModuleVerdict {
  language?: Language;
  module: string;
  file: string;
  importable: boolean;
  cause?: Cause;
  chain?: Hop[];
}

export interface TestVerdict {
  language?: Language;
  file: string;
  module: string;
  kind: "test" | "conftest";
  collectable: boolean;
  /** A module-level pytest.importorskip of a missing module: skipped, not an error. */
  skipped?: boolean;
  cause?: Cause;
  chain?: Hop[];
}

export interface Finding {
  rule: RuleId;
  /** The language of the file the finding is in; absent for Python. */
  language?: Language;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  message: string;
  target: string;
  /** What the root cause blocks: test files (collection) and modules (import). */
  blastRadius: { tests: number; modules: number };
  /** How to fix it, in one sentence. */
  suggestion?: string;
  /** missing-module: declared-not-installed, undeclared, wrong-root, moved, typo, unknown. */
  classification?: string;
  /** One example chain from a test file (or module) down to this statement. */
  chain?: Hop[];
  /** Every statement that fails for this same reason (one missing module imported in 125 files is one root cause). */
  sites?: { file: string; line: number; column: number }[];
}

/**
 * Statements that fail for the same reason are one root cause: the same missing module, the same
 * missing name of the same module, the same unknown marker. Cycles and class statements are their own.
 */
export function rootCauseKey(c: Cause): string {
  switch (c.rule) {
    case "missing-module":
      return c.target.startsWith(".") ? causeKey(c) : `${c.rule}\0${c.target}`;
    case "missing-export":
    case "missing-symbol":
      return `${c.rule}\0${c.module ?? ""}\0${c.target}`;
    case "unknown-marker":
      return `${c.rule}\0${c.target}`;
    default:
      return causeKey(c);
  }
}

export function causeKey(c: Pick<Cause, "rule" | "file" | "line" | "column" | "target">): string {
  return `${c.rule}\0${c.file}\0${c.line}\0${c.column}\0${c.target}`;
}
