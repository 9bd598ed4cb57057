/**
 * `dir(builtins)` per CPython minor version (with the `site` module's additions: `exit`, `quit`,
 * `help`, `copyright`, `credits`, `license`), for deciding whether a name no module binds is
 * still found at run time. Taken from CPython 3.6-3.13 themselves; test/undefined-name.test.ts
 * compares the table with every interpreter installed. 3.14 added no builtin name (typeshed's
 * builtins.pyi has no 3.14-only one); versions after it are unknown, so no name is certain there.
 *
 * Storage is the 3.6 list plus what each release added (none was removed since 3.6).
 */

const BASE_MINOR = 6;
const NEWEST_MINOR = 14;

/** `sorted(dir(builtins))` of CPython 3.6. */
const BASE = `
  ArithmeticError AssertionError AttributeError BaseException BlockingIOError BrokenPipeError
  BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
  ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EnvironmentError
  Exception False FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit
  IOError ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError
  KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None
  NotADirectoryError NotImplemented NotImplementedError OSError OverflowError
  PendingDeprecationWarning PermissionError ProcessLookupError RecursionError ReferenceError
  ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration SyntaxError
  SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError UnboundLocalError
  UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning
  UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__ __import__
  __loader__ __name__ __package__ __spec__ abs all any ascii bin bool bytearray bytes callable chr
  classmethod compile complex copyright credits delattr dict dir divmod enumerate eval exec exit
  filter float format frozenset getattr globals hasattr hash help hex id input int isinstance
  issubclass iter len license list locals map max memoryview min next object oct open ord pow print
  property quit range repr reversed round set setattr slice sorted staticmethod str sum super tuple
  type vars zip
`;

/** What 3.<minor> added to `dir(builtins)`. */
const ADDED: Readonly<Record<number, readonly string[]>> = {
  7: ["breakpoint"],
  10: ["EncodingWarning", "aiter", "anext"],
  11: ["BaseExceptionGroup", "ExceptionGroup"],
  13: ["PythonFinalizationError", "_IncompleteInputError"],
};

/** Builtins of every Python 3 version snag knows: a read of one never raises NameError. */
export const ALWAYS_BUILTIN: ReadonlySet<string> = new Set(BASE.trim().split(/\s+/));

const cache = new Map<number, ReadonlySet<string>>();

/**
 * `dir(builtins)` of the target; undefined for a version newer than snag knows (any name may be a
 * builtin there). Versions before 3.6 get the 3.6 set: a superset, so no name is wrongly missing.
 */
export function builtinNames(version: readonly number[]): ReadonlySet<string> | undefined {
  if (version[0] !== 3) return undefined;
  const minor = Math.max(BASE_MINOR, version[1] ?? BASE_MINOR);
  if (minor > NEWEST_MINOR) return undefined;
  let names = cache.get(minor);
  if (!names) {
    const set = new Set(ALWAYS_BUILTIN);
    for (let m = BASE_MINOR + 1; m <= minor; m++) for (const n of ADDED[m] ?? []) set.add(n);
    names = set;
    cache.set(minor, names);
  }
  return names;
}
