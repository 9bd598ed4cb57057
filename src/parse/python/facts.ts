/**
 * Facts extracted from one Python file. Plain JSON-able data: no tree-sitter objects survive the
 * parse stage, so facts can be cached by content hash and compared in tests.
 *
 * Positions are 1-based lines and 1-based columns counted in UTF-16 code units of the decoded text.
 */

/** A condition of an `if` that snag can evaluate for a target environment, or `unknown`. */
export type Cond =
  | { k: "bool"; v: boolean }
  /** `TYPE_CHECKING` / `typing.TYPE_CHECKING`: false whenever the code actually runs. */
  | { k: "type-checking" }
  /** `__name__ == "__main__"`: false when the module is imported. */
  | { k: "main" }
  /**
   * `sys.version_info OP (3, 8)`. `sys.version_info[:2]` sets `width` (compare a prefix);
   * `.major`/`[0]` and `.minor`/`[1]` set `index` (compare one component with `version[0]`).
   */
  | { k: "version"; op: CompareOp; version: number[]; width?: number; index?: number }
  | { k: "platform"; op: "==" | "!=" | "startswith"; value: string }
  | { k: "os-name"; op: "==" | "!="; value: string }
  | { k: "not"; x: Cond }
  | { k: "and"; xs: Cond[] }
  | { k: "or"; xs: Cond[] }
  | { k: "unknown"; text: string };

export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

/**
 * One enclosing construct of a statement, outermost first. Together they say whether the statement
 * runs when the module is imported and whether an ImportError it raises escapes.
 */
export type Ctx =
  /** Inside a function or lambda body: runs only when called. Decorators and defaults are not "inside". */
  | { kind: "function"; name: string; line: number }
  /** Inside a class body: runs at import, like module level. */
  | { kind: "class"; name: string; line: number }
  /** Inside the body of a `try`; `handlers` are the clauses that may catch what the body raises. */
  | { kind: "try"; line: number; handlers: Handler[] }
  /** Inside `with contextlib.suppress(...)`. */
  | { kind: "suppress"; line: number; catches: string[] }
  /** Inside a branch that runs only when `cond` evaluates to `want`. */
  | { kind: "if"; line: number; cond: Cond; want: boolean }
  /** Inside a loop body, or a `match` case: runs under a condition snag does not evaluate. */
  | { kind: "loop" | "case"; line: number }
  /** Inside an except clause (runs only when the try body raised), or the else clause of a try
   * (runs only when it did not, which may hinge on an installed package snag does not read). */
  | { kind: "handler" | "try-else"; line: number };

/**
 * The context of a module-level statement, and the names of an `import` statement: an empty list
 * every fact shares. Facts are never changed once made, and a 10k-module run held some 300,000
 * separate empty lists on its main thread, each one more object for every young-generation
 * collection there to copy.
 */
export const NONE: readonly never[] = Object.freeze([]);

export interface Handler {
  line: number;
  /** Exception class names as written, last dotted segment (`builtins.ImportError` → `ImportError`). */
  catches: string[];
  /** A bare `except:`. */
  bare: boolean;
  /** The handler re-raises: `always` when a `raise` (or sys.exit) is a direct statement of its body. */
  raises: "always" | "maybe" | "never";
  /**
   * For `raises: "always"`: the statement that raises, and the class it raises (`RuntimeError` for
   * `raise RuntimeError(...)`, `SystemExit` for sys.exit; absent for a bare `raise`, which re-raises).
   */
  raise?: { line: number; column: number; exception?: string };
}

export interface Position {
  line: number;
  column: number;
}

export interface ImportedName extends Position {
  name: string;
  alias?: string;
}

export interface PyImport extends Position {
  /**
   * `import` (one dotted name of an `import a, b` statement), `from`, `future`, or `dynamic`
   * (`importlib.import_module("x")`, `__import__("x")`, `pytest.importorskip("x")`).
   */
  kind: "import" | "from" | "future" | "dynamic";
  /** Dotted module as written, without the leading dots of a relative import; `""` for `from . import x`. */
  module: string;
  /** Number of leading dots; 0 for absolute imports. */
  level: number;
  /** For `from` imports: the imported names (`*` for a star import). */
  names: readonly ImportedName[];
  /** `import a.b as c` → `c`. */
  alias?: string;
  /** For dynamic imports: the callable that imports. */
  via?: "importlib.import_module" | "__import__" | "pytest.importorskip";
  endLine: number;
  context: readonly Ctx[];
}

export type BindingKind =
  | "def"
  | "class"
  | "assign"
  | "import"
  | "for"
  | "with"
  | "except"
  | "walrus"
  | "match"
  | "global"
  | "del"
  | "type";

/** A name bound (or unbound, for `del`) in the module namespace. */
export interface PyBinding extends Position {
  name: string;
  kind: BindingKind;
  context: readonly Ctx[];
}

export interface DunderAll extends Position {
  names: string[];
  /** Some part of `__all__` is computed (`__all__ = a.__all__ + [...]`): `names` is a lower bound. */
  dynamic: boolean;
}

export interface PyBase extends Position {
  /** Source text of the base expression. */
  text: string;
  /** `a.b.C` for a name or attribute chain; for `Generic[T]` the subscripted value, `Generic`. */
  dotted?: string;
  subscripted: boolean;
}

export interface PyClass extends Position {
  name: string;
  /** `Outer.Inner` for nested classes. */
  qualname: string;
  bases: PyBase[];
  /** `*bases` or another computed base list: linearisation cannot be checked. */
  dynamicBases: boolean;
  metaclass?: string;
  context: readonly Ctx[];
}

export interface MarkerUse extends Position {
  name: string;
  /** Where `pytest.mark.<name>` is evaluated: at import (decorators, pytestmark) or later. */
  context: readonly Ctx[];
}

export interface MarkerRegistration extends Position {
  /** The marker name, from a `config.addinivalue_line("markers", "name(...): help")` call. */
  name: string;
}

/** A `raise` or `assert` statement: at module level it can fail the import by itself. */
export interface PyRaise extends Position {
  kind: "raise" | "assert";
  /** raise: the class raised (`ImportError` for `raise ImportError("...")`); absent for a bare `raise`. */
  exception?: string;
  /** raise: the literal message, when there is one. */
  message?: string;
  /** assert: the condition, when snag can evaluate it. */
  cond?: Cond;
  context: readonly Ctx[];
}

/**
 * A name read at import time that nothing in its file can have bound before the read, on any path
 * (see names.ts): a NameError unless a builtin, a star import or an enclosing handler says otherwise.
 */
export interface PyNameRead extends Position {
  name: string;
  context: readonly Ctx[];
  /** Part of an annotation evaluated when its statement runs (PEP 649 defers it from 3.14 on). */
  annotation?: true;
  /**
   * Looked up in this class body's namespace first (the position of the class statement): a
   * metaclass whose `__prepare__` returns a custom mapping may supply any name there.
   */
  classScope?: Position;
  /** Names that class body binds anywhere, for did-you-mean. */
  classNames?: string[];
  /** Names bound in enclosing class bodies this read cannot see (from a comprehension or a nested class body). */
  hiddenNames?: string[];
}

export interface SyntaxProblem extends Position {
  message: string;
}

export interface PyFileFacts {
  /** Decoding: `utf-8`, `utf-8-sig` (with BOM), or the PEP 263 declared encoding. */
  encoding: string;
  lineCount: number;
  imports: PyImport[];
  bindings: PyBinding[];
  dunderAll?: DunderAll;
  /** A module-level `def __getattr__` exists: every `from m import X` succeeds. */
  hasModuleGetattr: boolean;
  /**
   * The module writes its namespace in ways snag cannot follow (`globals()[...] = `,
   * `globals().update(...)`, `sys.modules[__name__]`, `vars()`): any name may be bound.
   */
  dynamicNamespace: boolean;
  classes: PyClass[];
  /** raise/assert statements outside function bodies. */
  raises: PyRaise[];
  markers: MarkerUse[];
  markerRegistrations: MarkerRegistration[];
  /** Literal `pytest_plugins` at module level. */
  pytestPlugins: string[];
  /** Names read at import time that nothing in the file can have bound yet: NameError candidates. */
  unboundReads: PyNameRead[];
  /** Names the file stores into `builtins` for every module to see; `*` when it cannot tell which. */
  builtinWrites: string[];
  /** The first syntax error CPython would report, as far as tree-sitter can tell. */
  syntaxError?: SyntaxProblem;
}

/** Facts of a file with nothing in it (or nothing snag could read). */
export function emptyFacts(encoding = "utf-8"): PyFileFacts {
  return {
    encoding,
    lineCount: 0,
    imports: [],
    bindings: [],
    hasModuleGetattr: false,
    dynamicNamespace: false,
    classes: [],
    raises: [],
    markers: [],
    markerRegistrations: [],
    pytestPlugins: [],
    unboundReads: [],
    builtinWrites: [],
  };
}
