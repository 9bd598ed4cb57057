/**
 * Top-level standard-library module names per CPython minor version, for when snag cannot ask
 * the target interpreter (no interpreter, or `--python-version` names a different one).
 *
 * The sets mirror `sys.stdlib_module_names` (3.10+): platform-independent, so they include
 * Windows- and macOS-only modules (`nt`, `winreg`, `_scproxy`, ...) and private `_xxx` modules,
 * but not CPython's test-only extensions (`_testcapi`, `xxlimited`, `__hello__`, `test`, ...).
 * 3.8 and 3.9 have no `sys.stdlib_module_names`; their sets are what that attribute would have
 * held (the 3.10 list adjusted by each interpreter's actual `Lib/`, `lib-dynload` and builtins).
 *
 * Storage is one base list (3.11) plus the per-release differences.
 */

export type PythonMinor = 8 | 9 | 10 | 11 | 12 | 13 | 14;

export const SUPPORTED_MINORS: readonly PythonMinor[] = Object.freeze([8, 9, 10, 11, 12, 13, 14] as const);

const BASE_MINOR = 11;

/** `sorted(sys.stdlib_module_names)` of CPython 3.11. */
const BASE_NAMES = `
  __future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootsubprocess _bz2 _codecs
  _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw _collections
  _collections_abc _compat_pickle _compression _contextvars _crypt _csv _ctypes _curses
  _curses_panel _datetime _dbm _decimal _elementtree _frozen_importlib _frozen_importlib_external
  _functools _gdbm _hashlib _heapq _imp _io _json _locale _lsprof _lzma _markupbase _md5 _msi
  _multibytecodec _multiprocessing _opcode _operator _osx_support _overlapped _pickle _posixshmem
  _posixsubprocess _py_abc _pydecimal _pyio _queue _random _scproxy _sha1 _sha256 _sha3 _sha512
  _signal _sitebuiltins _socket _sqlite3 _sre _ssl _stat _statistics _string _strptime _struct
  _symtable _thread _threading_local _tkinter _tokenize _tracemalloc _typing _uuid _warnings
  _weakref _weakrefset _winapi _zoneinfo abc aifc antigravity argparse array ast asynchat asyncio
  asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb
  chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser
  contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal
  difflib dis distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp
  fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib
  grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress
  itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math
  mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path
  numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil
  platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc
  pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy sched
  secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket
  socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string
  stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib
  tempfile termios textwrap this threading time timeit tkinter token tokenize tomllib trace
  traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid
  venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile
  zipimport zlib zoneinfo
`;

interface Delta {
  added: readonly string[];
  removed: readonly string[];
}

/** What changed going from 3.<minor - 1> to 3.<minor>. */
const DELTAS: Readonly<Record<Exclude<PythonMinor, 8>, Delta>> = {
  9: {
    added: ["_aix_support", "_bootsubprocess", "_peg_parser", "_zoneinfo", "graphlib", "zoneinfo"],
    removed: ["_dummy_thread", "dummy_threading"],
  },
  10: {
    added: [],
    removed: ["_bootlocale", "_peg_parser", "formatter", "parser", "symbol"],
  },
  11: {
    added: ["_tokenize", "_typing", "tomllib"],
    removed: ["binhex"],
  },
  12: {
    // _sha256/_sha512 were merged into _sha2.
    added: ["_pydatetime", "_pylong", "_sha2"],
    removed: ["_bootsubprocess", "_sha256", "_sha512", "asynchat", "asyncore", "distutils", "imp", "smtpd"],
  },
  13: {
    // PEP 594 "dead batteries" plus lib2to3. _wmi already shipped on Windows in 3.12, but
    // 3.12's sys.stdlib_module_names did not list it.
    added: [
      "_android_support", "_colorize", "_interpchannels", "_interpqueues", "_interpreters",
      "_ios_support", "_opcode_metadata", "_pyrepl", "_suggestions", "_sysconfig", "_wmi",
    ],
    removed: [
      "_crypt", "_msi", "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3",
      "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
      "telnetlib", "uu", "xdrlib",
    ],
  },
  14: {
    // _compression moved into the new compression package (compression._common._streams).
    added: [
      "_apple_support", "_ast_unparse", "_hmac", "_py_warnings", "_remote_debugging", "_types",
      "_zstd", "annotationlib", "compression",
    ],
    removed: ["_compression"],
  },
};

function sorted(names: Iterable<string>): ReadonlySet<string> {
  // Code-unit order, which for these ASCII names equals Python's sorted().
  return new Set([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Walks the deltas out from the base in both directions. A delta that adds a name already present
 * or removes one that is absent means the table is wrong, so it fails loudly at import time rather
 * than silently producing a plausible-looking set.
 */
function buildTables(): Map<PythonMinor, ReadonlySet<string>> {
  const tables = new Map<PythonMinor, ReadonlySet<string>>();
  const base = new Set(BASE_NAMES.split(/\s+/).filter((n) => n !== ""));
  tables.set(BASE_MINOR, sorted(base));

  const apply = (from: ReadonlySet<string>, add: readonly string[], drop: readonly string[], label: string) => {
    const next = new Set(from);
    for (const name of drop) {
      if (!next.delete(name)) throw new Error(`stdlib-names: ${label} removes missing ${name}`);
    }
    for (const name of add) {
      if (next.has(name)) throw new Error(`stdlib-names: ${label} adds existing ${name}`);
      next.add(name);
    }
    return sorted(next);
  };

  let current: ReadonlySet<string> = tables.get(BASE_MINOR)!;
  for (let minor = BASE_MINOR + 1; minor <= 14; minor++) {
    const delta = DELTAS[minor as Exclude<PythonMinor, 8>];
    current = apply(current, delta.added, delta.removed, `3.${minor}`);
    tables.set(minor as PythonMinor, current);
  }
  current = tables.get(BASE_MINOR)!;
  for (let minor = BASE_MINOR; minor > 8; minor--) {
    const delta = DELTAS[minor as Exclude<PythonMinor, 8>];
    current = apply(current, delta.removed, delta.added, `3.${minor} (reversed)`);
    tables.set((minor - 1) as PythonMinor, current);
  }
  return tables;
}

const TABLES = buildTables();

/** Top-level stdlib module names of CPython 3.<minor>, sorted. */
export function stdlibNames(minor: PythonMinor): ReadonlySet<string> {
  const names = TABLES.get(minor);
  if (names === undefined) throw new RangeError(`stdlib-names: unsupported Python 3.${minor}`);
  return names;
}

/**
 * Version where a top-level stdlib module was removed, e.g. removedIn("distutils") === 12;
 * undefined when never removed within 3.8–3.14 (including names that were never stdlib).
 */
export function removedIn(name: string): PythonMinor | undefined {
  for (let i = 1; i < SUPPORTED_MINORS.length; i++) {
    const prev = SUPPORTED_MINORS[i - 1]!;
    const minor = SUPPORTED_MINORS[i]!;
    if (TABLES.get(prev)!.has(name) && !TABLES.get(minor)!.has(name)) return minor;
  }
  return undefined;
}

/**
 * Version where a top-level stdlib module was added, e.g. addedIn("tomllib") === 11; undefined
 * when present since 3.8 or earlier, or never part of the stdlib.
 */
export function addedIn(name: string): PythonMinor | undefined {
  for (let i = 1; i < SUPPORTED_MINORS.length; i++) {
    const prev = SUPPORTED_MINORS[i - 1]!;
    const minor = SUPPORTED_MINORS[i]!;
    if (!TABLES.get(prev)!.has(name) && TABLES.get(minor)!.has(name)) return minor;
  }
  return undefined;
}
