/**
 * Why a root cause happened and what would fix it, in words: missing modules are classified
 * (declared but not installed, undeclared, wrong root, moved, typo), missing names get a
 * did-you-mean and the places they are defined, MRO conflicts an order that works, NameErrors
 * whether the name comes too late, exists only for type checkers, or is misspelt.
 */
import { distributionForMarker } from "./session/known-plugins.js";
import type { Scan } from "../pipeline/scan.js";
import { ALWAYS_BUILTIN, builtinNames } from "../parse/python/builtin-names.js";
import type { PyBinding, PyFileFacts, PyNameRead } from "../parse/python/facts.js";
import { normalizeDistName } from "../resolve/distributions.js";
import { addedIn, removedIn } from "../resolve/stdlib-names.js";
import { spellingSuggestion } from "../rules/spelling.js";
import type { Cause } from "./model.js";
import { boundNames, runsAtImport } from "./namespace.js";

/** Module-level bindings that run at import, in line order. */
function moduleBindings(facts: PyFileFacts | undefined, scan: Scan): PyBinding[] {
  return (facts?.bindings ?? []).filter((b) => b.kind !== "global" && b.kind !== "del" && runsAtImport(b, scan.target));
}

/** Distribution names whose import name differs from the distribution name. */
const IMPORT_NAME_OF: Record<string, string> = {
  pyyaml: "yaml",
  pillow: "PIL",
  "scikit-learn": "sklearn",
  "scikit-image": "skimage",
  "opencv-python": "cv2",
  "opencv-python-headless": "cv2",
  "opencv-contrib-python": "cv2",
  beautifulsoup4: "bs4",
  "python-dateutil": "dateutil",
  protobuf: "google",
  "python-dotenv": "dotenv",
  "pytorch-lightning": "pytorch_lightning",
  "typing-extensions": "typing_extensions",
  "attrs": "attr",
  "pyjwt": "jwt",
  "psycopg2-binary": "psycopg2",
  "msgpack-python": "msgpack",
  "tensorflow-cpu": "tensorflow",
  "tensorflow-gpu": "tensorflow",
  "faiss-cpu": "faiss",
  "faiss-gpu": "faiss",
};

export function importNameOf(distNormalized: string): string[] {
  const mapped = IMPORT_NAME_OF[distNormalized];
  const plain = distNormalized.replace(/-/g, "_");
  return mapped ? [mapped, plain] : [plain];
}

export interface Explanation {
  classification?: string;
  suggestion?: string;
}

interface Definition {
  module: string;
  file: string;
  line: number;
}

/** The name a NameError's reader most likely meant. */
export interface NameTypo {
  name: string;
  /** Bound at module level (`line`: its first binding; `certain`: that one runs unconditionally), in the class body, or a builtin. */
  where: "module" | "class" | "builtin";
  line?: number;
  certain?: boolean;
}

export class Explainer {
  private symbolIndex: Map<string, Definition[]> | undefined;

  constructor(private readonly scan: Scan) {}

  explain(cause: Cause, importedFrom?: { absolute?: string; names: string[] }): Explanation {
    switch (cause.rule) {
      case "missing-module":
        return this.missingModule(cause, importedFrom);
      case "missing-symbol":
        return this.missingSymbol(cause);
      case "import-cycle":
        return {
          suggestion: `'${cause.module}' is still running its own imports when this line asks it for '${cause.target}'. Import '${cause.target}' inside the function that uses it, or import the module ('import ${cause.module}') and read '${cause.module}.${cause.target}' when needed.`,
        };
      case "mro-conflict":
        return { suggestion: "List every subclass before its bases (C3 needs each class before its parents), or drop a base that another base already inherits." };
      case "unknown-marker": {
        if (["parameterize", "parametrise", "parameterise"].includes(cause.target)) return { classification: "typo", suggestion: "Write 'parametrize'." };
        const ini = this.scan.discovery.pytest.inifile;
        const where = ini ? this.rel(ini) : "pytest.ini";
        // A plugin's marker: the plugin registers it once it is installed (or no longer disabled).
        const plugin = distributionForMarker(cause.target);
        if (plugin) {
          const installed = this.scan.resolved.distributions.all.some((d) => d.normalized === normalizeDistName(plugin));
          const state = installed ? "installed but not loaded (disabled with -p no:..., or autoloading is off)" : "not installed";
          return { classification: "plugin-not-installed", suggestion: `'${cause.target}' is the marker of ${plugin}, which is ${state}: install or enable ${plugin}, or register '${cause.target}' in the markers of ${where}.` };
        }
        return { suggestion: `Register it: add '${cause.target}: <description>' to the markers of ${where}, or fix its spelling.` };
      }
      case "syntax-error":
        return { suggestion: "Fix the syntax error; CPython compiles the whole file before running any of it." };
      case "undefined-name":
        return this.undefinedName(cause);
      default:
        return {};
    }
  }

  private rel(abs: string): string {
    const root = this.scan.discovery.root;
    return abs.startsWith(`${root}/`) ? abs.slice(root.length + 1) : abs;
  }

  private missingModule(cause: Cause, from?: { absolute?: string; names: string[] }): Explanation {
    const target = cause.target;
    if (target.startsWith(".")) {
      return {
        classification: "relative-import",
        suggestion: "The importing module is not inside a package here: add __init__.py to its directory chain, or use an absolute import.",
      };
    }
    const { finder } = this.scan.resolved;
    const full = from?.absolute ?? target;
    const parts = target.split(".");
    const top = parts[0]!;
    const decl = this.scan.discovery.declarations.dependencies.find((d) => importNameOf(d.normalized).includes(top) || normalizeDistName(top) === d.normalized);
    const python = this.scan.env.executable ?? "the environment";
    const minor = this.scan.env.version[1];
    const removed = removedIn(top);
    if (parts.length === 1 && removed !== undefined && minor >= removed) {
      return {
        classification: "removed-from-stdlib",
        suggestion: `'${top}' was removed from the standard library in Python 3.${removed} (the target is 3.${minor}): use its replacement or a backport package, or guard the import.`,
      };
    }
    const added = addedIn(top);
    if (parts.length === 1 && added !== undefined && minor < added) {
      return {
        classification: "stdlib-too-new",
        suggestion: `'${top}' joined the standard library in Python 3.${added} (the target is 3.${minor}): guard the import with a sys.version_info check and a fallback.`,
      };
    }
    if (parts.length === 1 && decl) {
      const where = decl.line ? `${decl.file}:${decl.line}` : decl.file;
      return {
        classification: "declared-not-installed",
        suggestion: `'${decl.name}' is declared (${where}) but not installed for ${python}: install it, or import it lazily / under a guard so tests that do not need it can still be collected.`,
      };
    }
    // Wrong root: dropping leading segments gives a name that resolves.
    const fullParts = full.split(".");
    for (let i = 1; i < fullParts.length; i++) {
      const alternative = fullParts.slice(i).join(".");
      const found = finder.find(alternative);
      if (found.found && found.location.file && this.isLocalFile(found.location.file)) {
        return {
          classification: "wrong-root",
          suggestion: `'${fullParts.slice(0, i).join(".")}' is not on sys.path during the test run, but its contents are: write '${alternative}' instead of '${full}'.`,
        };
      }
    }
    if (parts.length > 1) {
      const last = parts[parts.length - 1]!;
      const elsewhere = this.scan.resolved.modules.filter((m) => m.rooted && (m.name === last || m.name.endsWith(`.${last}`)) && m.name !== target);
      if (elsewhere.length > 0) {
        return { classification: "moved", suggestion: `A module '${last}' exists at ${elsewhere.map((m) => `'${m.name}' (${m.file})`).slice(0, 3).join(", ")}: import it from there, or add a bridge module at '${target}'.` };
      }
      const names = from?.names.filter((n) => n !== "*") ?? [];
      const defined = names.flatMap((n) => this.definitions(n).map((d) => ({ n, d })));
      if (defined.length > 0) {
        const first = defined[0]!;
        return {
          classification: "moved",
          suggestion: `'${first.n}' is defined in '${first.d.module}' (${first.d.file}:${first.d.line}): import it from there, or create '${target}' as a bridge that re-exports it.`,
        };
      }
      const parent = parts.slice(0, -1).join(".");
      const siblings = this.siblings(parent);
      const typo = spellingSuggestion(last, siblings);
      if (typo) return { classification: "typo", suggestion: `Did you mean '${parent}.${typo}'?` };
      return { classification: "missing-submodule", suggestion: `'${parent}' has no submodule '${last}'.` };
    }
    const candidates = new Set<string>([...this.scan.env.stdlibNames, ...this.scan.resolved.modules.filter((m) => m.rooted).map((m) => m.name.split(".")[0]!)]);
    for (const d of this.scan.resolved.distributions.all) for (const t of d.topLevel) candidates.add(t);
    const typo = spellingSuggestion(top, candidates);
    if (typo) return { classification: "typo", suggestion: `Did you mean '${typo}'?` };
    const declaresAnything = this.scan.discovery.declarations.dependencies.length > 0;
    return {
      classification: "not-installed",
      suggestion: `'${top}' is not installed for ${python}${declaresAnything ? " and no declared dependency provides it" : ""}: install and declare it, or import it lazily / under a guard.`,
    };
  }

  private missingSymbol(cause: Cause): Explanation {
    const name = cause.target;
    const module = cause.module ?? "";
    const typo = this.symbolTypo(module, name);
    const defs = this.definitions(name).filter((d) => d.module !== module);
    const parts: string[] = [];
    if (typo) parts.push(`Did you mean '${typo}'? ('${module}' defines it)`);
    if (defs.length > 0) parts.push(`'${name}' is defined in ${defs.slice(0, 3).map((d) => `'${d.module}' (${d.file}:${d.line})`).join(", ")}.`);
    if (!typo && defs.length === 0) parts.push(`'${name}' is defined nowhere in the repository.`);
    const explanation: Explanation = { suggestion: parts.join(" ") };
    if (typo) explanation.classification = "renamed";
    else if (defs.length > 0) explanation.classification = "moved";
    else explanation.classification = "undefined";
    return explanation;
  }

  /** The name `module` binds (or the submodule it has) that `name` is most likely a misspelling of. */
  symbolTypo(module: string, name: string): string | undefined {
    const local = this.scan.resolved.modules.find((m) => m.name === module);
    const facts = local ? this.scan.facts.get(local.file) : undefined;
    const candidates = facts ? [...boundNames(facts, this.scan.target), ...this.siblings(module)] : this.siblings(module);
    return spellingSuggestion(name, candidates);
  }

  private undefinedName(cause: Cause): Explanation {
    const name = cause.target;
    const at = `line ${cause.line}`;
    const facts = this.scan.facts.get(cause.file);
    const read = this.readAt(cause);
    const bindings = moduleBindings(facts, this.scan).filter((b) => b.name === name);
    if (read?.hiddenNames?.includes(name)) {
      const why = read.classScope
        ? "a nested class body does not see it: qualify it with the outer class's name, or bind it at module level"
        : "a comprehension there sees only its first iterable in the class body: iterate over it in the first 'for', or bind it at module level";
      return { classification: "class-scope", suggestion: `'${name}' is bound in an enclosing class body, but ${why}.` };
    }
    if (read?.classNames?.includes(name)) {
      return { classification: "used-before-definition", suggestion: `'${name}' is read at ${at} before the class body binds it: move that assignment above it.` };
    }
    const checking = (facts?.bindings ?? []).find((b) => b.name === name && b.context.some((c) => c.kind === "if" && c.want && c.cond.k === "type-checking"));
    if (checking) {
      const how = read?.annotation ? "add 'from __future__ import annotations' or quote the annotation" : "import it outside that block";
      return {
        classification: "type-checking-only",
        suggestion: `'${name}' is imported only under 'if TYPE_CHECKING:' (line ${checking.line}), which never runs: ${how}.`,
      };
    }
    const later = bindings.find((b) => b.line >= cause.line);
    if (later) {
      return {
        classification: "used-before-definition",
        suggestion: `'${name}' is read at ${at} but bound only at line ${later.line}: move that definition above ${at}, or the code that reads it below it.`,
      };
    }
    const typo = this.nameTypo(cause);
    if (typo) {
      const where = typo.where === "builtin" ? "a builtin" : typo.where === "class" ? "bound in the class body" : `defined at line ${typo.line}`;
      return { classification: "typo", suggestion: `'${name}' is not defined at ${at}; did you mean '${typo.name}' (${where})?` };
    }
    const defs = this.definitions(name).filter((d) => d.file !== cause.file);
    const elsewhere = defs.length > 0 ? `; ${defs.slice(0, 3).map((d) => `'${d.module}' defines it (${d.file}:${d.line})`).join(", ")}: import it from there` : "";
    return { classification: "undefined", suggestion: `'${name}' is not defined at ${at} and is defined nowhere in the module${elsewhere}.` };
  }

  /** The unbound read a NameError cause was found at. */
  private readAt(cause: Pick<Cause, "file" | "line" | "column" | "target">): PyNameRead | undefined {
    return this.scan.facts.get(cause.file)?.unboundReads.find((r) => r.line === cause.line && r.column === cause.column && r.name === cause.target);
  }

  /** Did-you-mean for a NameError: over the module's names, the class body's and the target's builtins. */
  nameTypo(cause: Pick<Cause, "file" | "line" | "column" | "target">): NameTypo | undefined {
    const facts = this.scan.facts.get(cause.file);
    const read = this.readAt(cause);
    const bindings = moduleBindings(facts, this.scan);
    const classNames = read?.classNames ?? [];
    const builtins = [...(builtinNames(this.scan.target.version) ?? ALWAYS_BUILTIN)].filter((n) => !n.startsWith("_"));
    const to = spellingSuggestion(cause.target, new Set([...bindings.map((b) => b.name), ...classNames, ...builtins]));
    if (to === undefined) return undefined;
    if (classNames.includes(to)) return { name: to, where: "class" };
    const first = bindings.find((b) => b.name === to);
    if (first) return { name: to, where: "module", line: first.line, certain: first.context.length === 0 };
    return { name: to, where: "builtin" };
  }

  private isLocalFile(abs: string): boolean {
    return abs.startsWith(`${this.scan.discovery.root}/`);
  }

  private siblings(parent: string): string[] {
    const found = this.scan.resolved.finder.find(parent);
    if (!found.found || !found.location.searchLocations) return [];
    const out = new Set<string>();
    for (const dir of found.location.searchLocations) {
      for (const [name, kind] of this.scan.resolved.finder.list(dir) ?? []) {
        if (kind === "dir" && /^[A-Za-z_]\w*$/.test(name)) out.add(name);
        else if (kind === "file" && name.endsWith(".py") && name !== "__init__.py") out.add(name.slice(0, -3));
      }
    }
    return [...out].sort();
  }

  /** Module-level classes and functions named `name`, across the scanned modules. */
  private definitions(name: string): Definition[] {
    if (!this.symbolIndex) {
      this.symbolIndex = new Map();
      for (const mod of this.scan.resolved.modules) {
        if (!mod.rooted) continue;
        const facts: PyFileFacts | undefined = this.scan.facts.get(mod.file);
        for (const b of facts?.bindings ?? []) {
          if (b.kind !== "class" && b.kind !== "def" && b.kind !== "assign") continue;
          if (b.context.some((c) => c.kind === "function" || c.kind === "class")) continue;
          const list = this.symbolIndex.get(b.name) ?? [];
          if (!list.some((d) => d.module === mod.name)) list.push({ module: mod.name, file: mod.file, line: b.line });
          this.symbolIndex.set(b.name, list);
        }
      }
    }
    return this.symbolIndex.get(name) ?? [];
  }
}
