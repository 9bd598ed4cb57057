/**
 * What snag keeps of a TypeScript or JavaScript file: its imports and exports, how its top-level
 * names are declared, and which imported names the module reads while it evaluates. Nothing else
 * in a script decides whether importing it fails.
 */

export type ScriptLanguage = "typescript" | "javascript";

export interface Position {
  line: number;
  column: number;
}

/** One name a statement brings in: `{ imported as local }`, with `type` when it is erased. */
export interface ScriptImportedName extends Position {
  imported: string;
  local: string;
  typeOnly: boolean;
}

/** Positioned at the module specifier string, where tsc reports an unresolved import. */
export interface ScriptImport extends Position {
  /**
   * import: `import … from "s"` and `import "s"`; reexport: `export { … } from "s"`;
   * star: `export * from "s"` (with `namespace` for `export * as ns`); dynamic: `import("s")`;
   * require: `require("s")`; import-equals: `import x = require("s")`.
   */
  kind: "import" | "reexport" | "star" | "dynamic" | "require" | "import-equals";
  specifier: string;
  /** `import type …` / `export type …`: erased by every compiler, never loaded. */
  typeOnly: boolean;
  names: ScriptImportedName[];
  /** `import D from` (local name). */
  defaultLocal?: string;
  /** `import * as ns` (local) or `export * as ns` (exported name). */
  namespace?: string;
  /** A dynamic import or require inside a function: nothing is loaded while the module evaluates. */
  lazy: boolean;
}

/** How a top-level name is declared: let/const/class are in their temporal dead zone until evaluated. */
export type DeclarationKind = "class" | "function" | "const" | "let" | "var" | "enum" | "namespace" | "type" | "import" | "default-expression";

export interface ScriptExport extends Position {
  /** The exported name; `default` for a default export. */
  name: string;
  /** The local name behind it (`export { local as name }`), when it is not the name itself. */
  local?: string;
  /** Known only for declarations in this file; `export { x }` takes the kind of the local `x`. */
  kind?: DeclarationKind;
  /** Types and interfaces: no value at run time. */
  typeOnly: boolean;
}

/** An imported name read while the module evaluates (top level, class heritage, static members). */
export interface EvaluationUse extends Position {
  name: string;
  /** Read by `class … extends name`: the classic "Cannot access 'B' before initialization". */
  heritage: boolean;
  /**
   * What the read does with the value: call it, construct it, read a property of it, extend it,
   * or only pass it on. On `undefined` the first four throw a TypeError; the last does not.
   * `member` carries the property name for the message.
   */
  use: "call" | "new" | "member" | "heritage" | "read";
  property?: string;
}

export interface ScriptFacts {
  language: ScriptLanguage;
  imports: ScriptImport[];
  exports: ScriptExport[];
  /** Top-level declarations in this file, by name. */
  declarations: Record<string, DeclarationKind>;
  /** `export = x` (or CommonJS `module.exports =`): named imports of it cannot be checked statically. */
  exportAssignment: boolean;
  /** Assigns `exports.x` / `module.exports`: a CommonJS module whose names are only known at run time. */
  commonjs: boolean;
  /**
   * `declare module "x"` blocks of a script (a file without imports or exports): a name they
   * declare (or match, for a pattern with one `*` like `"*.svg"`) resolves for tsc anywhere in the
   * program. In a module the same block only augments x, and is not listed.
   */
  ambientModules: string[];
  /** Identifiers read as values anywhere in the file: an import used by none of them is erased. */
  valueNames: string[];
  evaluationUses: EvaluationUse[];
  /** Lines whose tsc errors a `// @ts-ignore` or `// @ts-expect-error` above them silences. */
  suppressedLines: number[];
  /** `// @ts-nocheck` or `// @ts-check` in the file's leading comments. */
  checkPragma?: "nocheck" | "check";
  syntaxError?: Position & { message: string };
  /** tree-sitter could not parse all of it but tsc can: what it exports is not known for certain. */
  partial?: boolean;
}

export function emptyScriptFacts(language: ScriptLanguage): ScriptFacts {
  return { language, imports: [], exports: [], declarations: {}, exportAssignment: false, commonjs: false, ambientModules: [], valueNames: [], evaluationUses: [], suppressedLines: [] };
}

export const SCRIPT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;

/** vitest's and jest's default test file patterns. */
const TEST_FILE = /(^|\/)(__tests__\/.*|[^/]*\.(test|spec))\.[cm]?[jt]sx?$/;

export function isScriptTestFile(file: string): boolean {
  return TEST_FILE.test(file);
}

export function scriptLanguageOf(file: string): ScriptLanguage | undefined {
  if (/\.[mc]?tsx?$/.test(file)) return "typescript";
  if (/\.[mc]?jsx?$/.test(file)) return "javascript";
  return undefined;
}
