/**
 * Whether a read that nothing in its file can have bound (a `PyNameRead`) really raises NameError
 * for the target interpreter. Every way the name could still be found makes the answer no: a
 * builtin of the target, a name some scanned module writes into builtins, a star import that may
 * provide it, a submodule bound on its package, a metaclass that supplies class-body names, an
 * annotation the target never evaluates, a namespace snag cannot follow.
 */
import type { TargetPython } from "../graph/guard.js";
import { builtinNames } from "../parse/python/builtin-names.js";
import type { PyBinding, PyFileFacts, PyNameRead, Position } from "../parse/python/facts.js";
import { absoluteModule } from "../resolve/resolve.js";
import type { LocalModule } from "./classes.js";
import { runsAtImport } from "./namespace.js";

export interface NameWorld {
  target: TargetPython;
  /** Names scanned modules store into builtins; `*` among them: any name may be one. */
  builtinWrites: ReadonlySet<string>;
  isModule(name: string): boolean;
  local(name: string): LocalModule | undefined;
  /** What the star import at fact index `index` of `mod` binds; "any"/undefined when unknowable. */
  starNames(mod: LocalModule, index: number): ReadonlySet<string> | "any" | undefined;
}

/** Every module's builtin writes, for `NameWorld.builtinWrites`. */
export function builtinWritesOf(facts: Iterable<PyFileFacts>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const f of facts) for (const n of f.builtinWrites) out.add(n);
  return out;
}

/** The target of PEP 649/749: annotations are evaluated only when something asks for them. */
const DEFERRED_ANNOTATIONS: readonly number[] = [3, 14];

export function raisesNameError(read: PyNameRead, mod: LocalModule, world: NameWorld): boolean {
  const { facts } = mod;
  const { name } = read;
  if (facts.dynamicNamespace || facts.hasModuleGetattr) return false;
  if (read.annotation && atLeast(world.target.version, DEFERRED_ANNOTATIONS)) return false;
  const builtins = builtinNames(world.target.version);
  if (!builtins || builtins.has(name)) return false;
  if (world.builtinWrites.has("*") || world.builtinWrites.has(name)) return false;
  // `_` is gettext's usual builtin, installed by code snag may not see (a plugin, an app factory).
  if (name === "_") return false;
  // Module globals (`__file__`, `__cached__`, `__annotations__` once annotated, ...); a plain
  // module is the one place where one of them, `__path__`, is certainly missing.
  if (name.length > 4 && name.startsWith("__") && name.endsWith("__")) return name === "__path__" && !mod.isPackage;
  // Importing a submodule binds it on its package, whoever imports it.
  if (mod.isPackage && world.isModule(`${mod.name}.${name}`)) return false;
  if (read.classScope && !plainNamespace(mod, read.classScope, world, 0)) return false;
  return !starMayProvide(mod, read, world);
}

function atLeast(version: readonly number[], than: readonly number[]): boolean {
  for (let i = 0; i < than.length; i++) {
    const v = version[i] ?? 0;
    if (v !== than[i]) return v > than[i]!;
  }
  return true;
}

function starMayProvide(mod: LocalModule, read: PyNameRead, world: NameWorld): boolean {
  const imports = mod.facts.imports;
  for (let i = 0; i < imports.length; i++) {
    const imp = imports[i]!;
    if (imp.line > read.line || (imp.line === read.line && imp.column > read.column)) break;
    if (imp.kind !== "from" || !imp.names.some((n) => n.name === "*") || !runsAtImport(imp, world.target)) continue;
    const abs = absoluteModule(imp, mod);
    if ("error" in abs) return true;
    const source = world.local(abs.name);
    const names = source ? world.starNames(mod, i) : "any";
    if (names === undefined || names === "any" || names.has(read.name)) return true;
    if (!source!.facts.dunderAll) {
      // Without `__all__` a star import takes whatever the module holds by then: names a function
      // set with `global`, submodules someone imported.
      if (source!.facts.bindings.some((b) => b.name === read.name && b.kind === "global")) return true;
      if (source!.isPackage && world.isModule(`${abs.name}.${read.name}`)) return true;
    }
  }
  return false;
}

/** Bases whose metaclass is known to prepare an ordinary dict for the class body. */
const PLAIN_EXTERNAL = new Set(["typing.Generic", "typing.Protocol", "typing_extensions.Protocol", "abc.ABC", "builtins.object"]);

/**
 * The class body at `at` runs in a plain dict: no metaclass keyword, and every base is a builtin
 * class, a known plain one, or a local class that is itself plain. Anything else may have a
 * metaclass whose `__prepare__` invents names (sly's lexers, some ORMs), so nothing is certain.
 */
function plainNamespace(mod: LocalModule, at: Position, world: NameWorld, depth: number): boolean {
  const cls = mod.facts.classes.find((c) => c.line === at.line && c.column === at.column);
  if (!cls || cls.metaclass !== undefined || cls.dynamicBases || depth > 20) return false;
  if (cls.bases.length === 0) return true;
  // Bases of a nested class are looked up in the enclosing class body: not followed.
  if (cls.context.some((c) => c.kind === "class" || c.kind === "function")) return false;
  return cls.bases.every((b) => b.dotted !== undefined && plainDotted(mod, b.dotted, cls.line, world, depth));
}

function plainDotted(mod: LocalModule, dotted: string, beforeLine: number, world: NameWorld, depth: number): boolean {
  if (depth > 20) return false;
  const [head, ...rest] = dotted.split(".") as [string, ...string[]];
  const bindings = moduleBindings(mod.facts, head, beforeLine, world.target);
  if (bindings.length === 0) return rest.length === 0 && PLAIN_BUILTIN_BASES.has(head);
  // Bound several ways (a try/except fallback, a conditional definition): each must be plain.
  return bindings.every((b) => plainBinding(mod, b, head, rest, world, depth));
}

function plainBinding(mod: LocalModule, binding: PyBinding, head: string, rest: string[], world: NameWorld, depth: number): boolean {
  if (binding.kind === "class" && rest.length === 0) {
    const cls = mod.facts.classes.find((c) => c.line === binding.line && c.name === head);
    return cls !== undefined && plainNamespace(mod, cls, world, depth + 1);
  }
  if (binding.kind !== "import") return false;
  const imp = mod.facts.imports.find(
    (i) => i.line <= binding.line && i.endLine >= binding.line && (i.kind === "from" ? i.names.some((n) => (n.alias ?? n.name) === head) : (i.alias ?? i.module.split(".")[0]) === head),
  );
  if (!imp) return false;
  const abs = absoluteModule(imp, mod);
  if ("error" in abs) return false;
  let module: string;
  let attr: string[];
  if (imp.kind === "from") {
    module = abs.name;
    attr = [imp.names.find((n) => (n.alias ?? n.name) === head)!.name, ...rest];
  } else {
    module = imp.alias ? abs.name : head;
    attr = rest;
  }
  if (attr.length !== 1) return false;
  if (PLAIN_EXTERNAL.has(`${module}.${attr[0]}`)) return true;
  const local = world.local(module);
  return local !== undefined && plainDotted(local, attr[0]!, Number.MAX_SAFE_INTEGER, world, depth + 1);
}

/** Builtin classes whose metaclass is `type`. */
const PLAIN_BUILTIN_BASES = new Set([
  "object",
  "type",
  "int",
  "float",
  "complex",
  "str",
  "bytes",
  "bytearray",
  "list",
  "tuple",
  "dict",
  "set",
  "frozenset",
  "property",
  "BaseException",
  "Exception",
  "ArithmeticError",
  "AssertionError",
  "AttributeError",
  "BufferError",
  "EOFError",
  "ImportError",
  "LookupError",
  "IndexError",
  "KeyError",
  "MemoryError",
  "NameError",
  "OSError",
  "IOError",
  "EnvironmentError",
  "ConnectionError",
  "FileNotFoundError",
  "PermissionError",
  "TimeoutError",
  "ReferenceError",
  "RuntimeError",
  "NotImplementedError",
  "RecursionError",
  "StopIteration",
  "SyntaxError",
  "SystemError",
  "TypeError",
  "ValueError",
  "UnicodeError",
  "ZeroDivisionError",
  "OverflowError",
  "Warning",
  "UserWarning",
  "DeprecationWarning",
  "PendingDeprecationWarning",
  "RuntimeWarning",
  "FutureWarning",
  "ImportWarning",
  "KeyboardInterrupt",
  "SystemExit",
  "GeneratorExit",
]);

function moduleBindings(facts: PyFileFacts, name: string, beforeLine: number, target: TargetPython): PyBinding[] {
  return facts.bindings.filter((b) => b.line < beforeLine && b.name === name && b.kind !== "global" && b.kind !== "del" && runsAtImport(b, target));
}
