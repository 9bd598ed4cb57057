/**
 * Turning a class statement into a ClassNode: each base expression is followed through the
 * module's bindings (class statements, `from x import C`, `import m` + `m.C`) into other local
 * modules, and through typing's `__mro_entries__` rules for `Generic[T]` / `Protocol[T]` / `Base[T]`.
 */
import type { TargetPython } from "../graph/guard.js";
import type { PyBase, PyClass, PyFileFacts, PyImport } from "../parse/python/facts.js";
import { absoluteModule } from "../resolve/resolve.js";
import { builtinClass, GENERIC, isSubclass, opaqueClass, PROTOCOL, type ClassNode } from "./mro.js";
import { runsAtImport } from "./namespace.js";

export interface LocalModule {
  name: string;
  file: string;
  facts: PyFileFacts;
  isPackage: boolean;
}

export interface ClassWorld {
  target: TargetPython;
  /** The local module imported under this name, if it is one. */
  local(name: string): LocalModule | undefined;
  /** Whether `name` is an importable module (any origin). */
  isModule(name: string): boolean;
}

const TYPING = new Set(["typing", "typing_extensions"]);

export class ClassResolver {
  private readonly nodes = new Map<string, ClassNode | null>();

  constructor(private readonly world: ClassWorld) {}

  /** The ClassNode of a class statement; undefined when its bases cannot be listed (`*bases`). */
  classNode(mod: LocalModule, cls: PyClass, depth = 0): ClassNode | undefined {
    const key = `${mod.name}\0${cls.line}\0${cls.column}`;
    const cached = this.nodes.get(key);
    if (cached !== undefined) return cached ?? undefined;
    this.nodes.set(key, null); // a class whose bases refer back to itself: unresolvable
    if (cls.dynamicBases || depth > 50) return undefined;
    const raw: { node: ClassNode; subscripted: boolean }[] = [];
    for (const base of cls.bases) {
      const node = this.baseNode(mod, base, cls.line, depth);
      if (!node) return undefined;
      raw.push({ node, subscripted: base.subscripted });
    }
    const node: ClassNode = { id: `${mod.name}.${cls.qualname}`, bases: mroEntries(raw) };
    this.nodes.set(key, node);
    return node;
  }

  private baseNode(mod: LocalModule, base: PyBase, beforeLine: number, depth: number): ClassNode | undefined {
    if (!base.dotted) return undefined;
    return this.resolveDotted(mod, base.dotted, beforeLine, depth);
  }

  private resolveDotted(mod: LocalModule, dotted: string, beforeLine: number, depth: number): ClassNode | undefined {
    const [head, ...rest] = dotted.split(".") as [string, ...string[]];
    const binding = lastBinding(mod.facts, head, beforeLine, this.world.target);
    if (!binding) return rest.length === 0 ? (builtinClass(head) ?? opaqueClass(`builtins.${head}`)) : opaqueClass(`builtins.${dotted}`);
    if (binding.kind === "class") {
      if (rest.length > 0) return opaqueClass(`${mod.name}.${dotted}`);
      const cls = mod.facts.classes.find((c) => c.line === binding.line && c.name === head && !c.context.some((x) => x.kind === "class" || x.kind === "function"));
      return cls ? this.classNode(mod, cls, depth + 1) : undefined;
    }
    if (binding.kind === "import") {
      const imp = importBinding(mod.facts, head, binding.line);
      if (!imp) return opaqueClass(`${mod.name}.${dotted}`);
      const abs = absoluteModule(imp, mod);
      if ("error" in abs) return undefined;
      if (imp.kind === "from") {
        const original = imp.names.find((n) => (n.alias ?? n.name) === head)!.name;
        return this.resolveIn(abs.name, [original, ...rest], depth);
      }
      // `import a.b.c` binds `a`; `import a.b as x` binds x = a.b.
      const moduleName = imp.alias ? abs.name : abs.name.split(".")[0]!;
      return rest.length === 0 ? undefined : this.resolveIn(moduleName, rest, depth);
    }
    return opaqueClass(`${mod.name}.${dotted}`);
  }

  /** `parts` looked up as attributes of module `moduleName` (submodules first). */
  private resolveIn(moduleName: string, parts: string[], depth: number): ClassNode | undefined {
    let current = moduleName;
    let i = 0;
    while (i < parts.length - 1 && this.world.isModule(`${current}.${parts[i]}`)) current = `${current}.${parts[i++]}`;
    const remaining = parts.slice(i);
    if (TYPING.has(current) && remaining.length === 1) {
      if (remaining[0] === "Generic") return GENERIC;
      if (remaining[0] === "Protocol") return PROTOCOL;
    }
    if (current === "builtins" && remaining.length === 1) return builtinClass(remaining[0]!) ?? opaqueClass(`builtins.${remaining[0]}`);
    const local = this.world.local(current);
    if (!local) return opaqueClass(`${current}.${remaining.join(".")}`);
    return this.resolveDotted(local, remaining.join("."), Number.MAX_SAFE_INTEGER, depth + 1);
  }
}

function lastBinding(facts: PyFileFacts, name: string, beforeLine: number, target: TargetPython) {
  let found: PyFileFacts["bindings"][number] | undefined;
  for (const b of facts.bindings) {
    if (b.line >= beforeLine) break;
    if (b.name === name && b.kind !== "global" && runsAtImport(b, target)) found = b;
  }
  return found;
}

function importBinding(facts: PyFileFacts, name: string, line: number): PyImport | undefined {
  return facts.imports.find(
    (i) =>
      i.line <= line &&
      i.endLine >= line &&
      (i.kind === "from" ? i.names.some((n) => (n.alias ?? n.name) === name) : i.kind === "import" && (i.alias ?? i.module.split(".")[0]) === name),
  );
}

/**
 * typing's `__mro_entries__`: `Generic[T]` is dropped when `Protocol[...]` or a later subscripted
 * base is present; `Base[T]` becomes `Base`, plus `Generic` when no later base is generic.
 */
function mroEntries(raw: { node: ClassNode; subscripted: boolean }[]): ClassNode[] {
  const out: ClassNode[] = [];
  raw.forEach(({ node, subscripted }, i) => {
    if (!subscripted) {
      out.push(node);
      return;
    }
    const later = raw.slice(i + 1);
    if (node === GENERIC) {
      if (raw.some((r) => r.subscripted && r.node === PROTOCOL)) return;
      if (later.some((r) => r.subscripted)) return;
      out.push(GENERIC);
      return;
    }
    const genericAware = node === PROTOCOL || isSubclass(node, GENERIC);
    if (!raw.some((r) => !r.subscripted && r.node.id === node.id)) out.push(node);
    if (genericAware && !later.some((r) => r.subscripted || isSubclass(r.node, GENERIC))) out.push(GENERIC);
  });
  return out;
}
