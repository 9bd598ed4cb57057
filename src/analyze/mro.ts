/**
 * C3 linearisation of class statements, with bases resolved across modules. A base snag cannot
 * follow (a third-party class, an assignment alias) becomes an opaque class whose MRO is just
 * itself and `object`: that only drops ordering constraints, so a conflict found is a real one.
 */

export interface ClassNode {
  /** Identity: `module.qualname` for local classes, the dotted origin for opaque ones. */
  id: string;
  /** Direct bases after `__mro_entries__`, in order. */
  bases: ClassNode[];
}

export const OBJECT: ClassNode = { id: "builtins.object", bases: [] };

/** The builtin exception tree and common builtin types, so `class E(Exception, ValueError)` is caught. */
const BUILTIN_PARENTS: Record<string, string | null> = {
  object: null,
  BaseException: "object",
  Exception: "BaseException",
  ArithmeticError: "Exception",
  ZeroDivisionError: "ArithmeticError",
  OverflowError: "ArithmeticError",
  LookupError: "Exception",
  KeyError: "LookupError",
  IndexError: "LookupError",
  ValueError: "Exception",
  UnicodeError: "ValueError",
  TypeError: "Exception",
  RuntimeError: "Exception",
  NotImplementedError: "RuntimeError",
  RecursionError: "RuntimeError",
  OSError: "Exception",
  IOError: "Exception",
  EnvironmentError: "Exception",
  FileNotFoundError: "OSError",
  PermissionError: "OSError",
  ConnectionError: "OSError",
  TimeoutError: "OSError",
  AttributeError: "Exception",
  NameError: "Exception",
  ImportError: "Exception",
  ModuleNotFoundError: "ImportError",
  AssertionError: "Exception",
  StopIteration: "Exception",
  StopAsyncIteration: "Exception",
  Warning: "Exception",
  UserWarning: "Warning",
  DeprecationWarning: "Warning",
  PendingDeprecationWarning: "Warning",
  RuntimeWarning: "Warning",
  FutureWarning: "Warning",
  KeyboardInterrupt: "BaseException",
  SystemExit: "BaseException",
  GeneratorExit: "BaseException",
  int: "object",
  bool: "int",
  float: "object",
  str: "object",
  bytes: "object",
  dict: "object",
  list: "object",
  tuple: "object",
  set: "object",
  frozenset: "object",
  type: "object",
};
// OSError aliases are the same class.
const BUILTIN_ALIASES: Record<string, string> = { IOError: "OSError", EnvironmentError: "OSError" };

const builtinCache = new Map<string, ClassNode>();

export function builtinClass(name: string): ClassNode | undefined {
  const canonical = BUILTIN_ALIASES[name] ?? name;
  if (!(canonical in BUILTIN_PARENTS)) return undefined;
  if (canonical === "object") return OBJECT;
  let node = builtinCache.get(canonical);
  if (!node) {
    const parent = BUILTIN_PARENTS[canonical];
    node = { id: `builtins.${canonical}`, bases: parent ? [builtinClass(parent)!] : [] };
    builtinCache.set(canonical, node);
  }
  return node;
}

export function opaqueClass(id: string): ClassNode {
  return { id, bases: [OBJECT] };
}

export const GENERIC: ClassNode = { id: "typing.Generic", bases: [OBJECT] };
export const PROTOCOL: ClassNode = { id: "typing.Protocol", bases: [GENERIC] };

export type Linearization = { ok: true; mro: ClassNode[] } | { ok: false; reason: "duplicate-base" | "inconsistent"; bases: string[] };

const memo = new WeakMap<ClassNode, Linearization>();

/** C3 linearisation, as `type.__new__` computes it. */
export function linearize(cls: ClassNode): Linearization {
  const cached = memo.get(cls);
  if (cached) return cached;
  const result = compute(cls);
  memo.set(cls, result);
  return result;
}

function compute(cls: ClassNode): Linearization {
  const ids = cls.bases.map((b) => b.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) return { ok: false, reason: "duplicate-base", bases: [dup] };
  const bases = cls.bases.length > 0 ? cls.bases : cls === OBJECT ? [] : [OBJECT];
  const seqs: ClassNode[][] = [];
  for (const b of bases) {
    const lin = linearize(b);
    if (!lin.ok) return lin;
    seqs.push([...lin.mro]);
  }
  seqs.push([...bases]);
  const out: ClassNode[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return { ok: true, mro: out };
    const head = nonEmpty.map((s) => s[0]!).find((h) => !nonEmpty.some((s) => s.slice(1).some((c) => c.id === h.id)));
    if (!head) return { ok: false, reason: "inconsistent", bases: bases.map((b) => b.id) };
    out.push(head);
    for (const s of nonEmpty) if (s[0]!.id === head.id) s.shift();
  }
}

export function isSubclass(cls: ClassNode, of: ClassNode): boolean {
  if (cls.id === of.id) return true;
  return cls.bases.some((b) => isSubclass(b, of));
}

/** The exception classes an `except X` may name to catch `name`: itself and its ancestors. */
export function exceptionAncestors(name: string): string[] {
  if (name === "Failed" || name === "Skipped" || name === "Exit") return [name, "OutcomeException", "BaseException"];
  const builtin = builtinClass(name);
  if (!builtin) return [name, "Exception", "BaseException"];
  const out: string[] = [];
  for (let c: ClassNode | undefined = builtin; c && c !== OBJECT; c = c.bases[0]) out.push(c.id.slice("builtins.".length));
  if (name === "IOError" || name === "EnvironmentError") out.unshift(name);
  return out;
}
