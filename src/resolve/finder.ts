/**
 * CPython's path-based import system, reproduced over the file system without importing anything:
 * BuiltinImporter and FrozenImporter first, then PathFinder with one FileFinder per sys.path entry
 * (extension modules, then source, then bytecode; a regular package beats a module beats a
 * namespace portion), PEP 420 namespace packages, and submodules searched in the parent's `__path__`.
 */
import { readdirSync, statSync } from "../cache/observed-fs.js";
import { join } from "node:path";

export type LocationKind = "builtin" | "frozen" | "preloaded" | "module" | "package" | "namespace";

export interface Location {
  /** Dotted module name. */
  name: string;
  kind: LocationKind;
  /** Absolute path of the module file or the package's `__init__`; absent for builtin/frozen/namespace. */
  file?: string;
  /** The package's `__path__`: its directory, or every portion of a namespace package. */
  searchLocations?: string[];
  /** For `module`/`package`: the sys.path entry (or parent directory) it was found in. */
  entry?: string;
}

export type FindResult =
  | { found: true; location: Location; chain: Location[] }
  | {
      found: false;
      /** The name CPython's ModuleNotFoundError reports: the shortest dotted prefix that cannot be found. */
      missing: string;
      reason: "not-found" | "not-a-package";
      /** Prefixes that were found, outermost first. */
      chain: Location[];
    };

export interface FinderOptions {
  /** sys.path, in order, absolute directories (non-directories are ignored like a missing entry). */
  path: string[];
  builtin: ReadonlySet<string>;
  frozen: ReadonlySet<string>;
  /** Modules already in sys.modules when user code starts: found regardless of sys.path. */
  preloaded: ReadonlyMap<string, string | null>;
  extensionSuffixes: string[];
  sourceSuffixes: string[];
  bytecodeSuffixes: string[];
}

export type Listing = Map<string, "file" | "dir" | "other">;

/** What the later stages ask of module finding: find a dotted name, list a directory. */
export interface Finder {
  readonly path: readonly string[];
  find(name: string): FindResult;
  list(dir: string): Listing | null;
}

export class ModuleFinder implements Finder {
  private readonly listings = new Map<string, Listing | null>();
  private readonly cache = new Map<string, FindResult>();
  private readonly suffixes: string[];

  constructor(private readonly options: FinderOptions) {
    this.suffixes = [...options.extensionSuffixes, ...options.sourceSuffixes, ...options.bytecodeSuffixes];
  }

  get path(): readonly string[] {
    return this.options.path;
  }

  /** Find `a.b.c` as `import a.b.c` would: each prefix first, each in its parent's `__path__`. */
  find(name: string): FindResult {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const result = this.findUncached(name);
    this.cache.set(name, result);
    return result;
  }

  private findUncached(name: string): FindResult {
    const dot = name.lastIndexOf(".");
    if (dot === -1) {
      const loc = this.findTop(name);
      return loc ? { found: true, location: loc, chain: [loc] } : { found: false, missing: name, reason: "not-found", chain: [] };
    }
    const parent = this.find(name.slice(0, dot));
    if (!parent.found) return parent;
    const preloaded = this.preloadedLocation(name);
    if (preloaded) return { found: true, location: preloaded, chain: [...parent.chain, preloaded] };
    const locations = parent.location.searchLocations;
    if (!locations) {
      if (parent.location.kind === "builtin" || parent.location.kind === "frozen" || parent.location.kind === "preloaded") {
        // e.g. os.path: a frozen or preloaded module may expose submodules snag cannot see on disk.
        const frozenChild = this.options.frozen.has(name) ? { name, kind: "frozen" as const } : undefined;
        if (frozenChild) return { found: true, location: frozenChild, chain: [...parent.chain, frozenChild] };
      }
      return { found: false, missing: name, reason: "not-a-package", chain: parent.chain };
    }
    if (this.options.frozen.has(name)) {
      const loc: Location = { name, kind: "frozen" };
      return { found: true, location: loc, chain: [...parent.chain, loc] };
    }
    const loc = this.findInPath(name, name.slice(dot + 1), locations);
    return loc ? { found: true, location: loc, chain: [...parent.chain, loc] } : { found: false, missing: name, reason: "not-found", chain: parent.chain };
  }

  private findTop(name: string): Location | undefined {
    const preloaded = this.preloadedLocation(name);
    if (preloaded) return preloaded;
    if (this.options.builtin.has(name)) return { name, kind: "builtin" };
    if (this.options.frozen.has(name)) return { name, kind: "frozen" };
    return this.findInPath(name, name, this.options.path);
  }

  private preloadedLocation(name: string): Location | undefined {
    // The running program's own module is always there.
    if (name === "__main__") return { name, kind: "preloaded" };
    if (!this.options.preloaded.has(name)) return undefined;
    const file = this.options.preloaded.get(name);
    if (!file) return { name, kind: "preloaded" };
    // A preloaded package keeps its real __path__: its directory.
    const base = file.slice(file.lastIndexOf("/") + 1);
    return base.startsWith("__init__.")
      ? { name, kind: "preloaded", file, searchLocations: [file.slice(0, file.lastIndexOf("/"))] }
      : { name, kind: "preloaded", file };
  }

  /** PathFinder.find_spec over `entries`, with FileFinder's rules in each entry. */
  private findInPath(fullname: string, tail: string, entries: readonly string[]): Location | undefined {
    const portions: string[] = [];
    for (const entry of entries) {
      const listing = this.list(entry);
      if (!listing) continue;
      const kind = listing.get(tail);
      let namespaceCandidate: string | undefined;
      if (kind !== undefined) {
        const base = join(entry, tail);
        if (kind === "dir") {
          const inner = this.list(base);
          const init = this.suffixes.find((s) => inner?.get(`__init__${s}`) === "file");
          if (init) return { name: fullname, kind: "package", file: join(base, `__init__${init}`), searchLocations: [base], entry };
          namespaceCandidate = base;
        }
      }
      for (const suffix of this.suffixes) {
        if (listing.get(tail + suffix) === "file") {
          return { name: fullname, kind: "module", file: join(entry, tail + suffix), entry };
        }
      }
      if (namespaceCandidate) portions.push(namespaceCandidate);
    }
    if (portions.length > 0) return { name: fullname, kind: "namespace", searchLocations: portions };
    return undefined;
  }

  /** Directory listing with symlinks resolved, cached: FileFinder caches listings the same way. */
  list(dir: string): Listing | null {
    const cached = this.listings.get(dir);
    if (cached !== undefined) return cached;
    let listing: Listing | null = null;
    try {
      listing = new Map();
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) listing.set(e.name, "dir");
        else if (e.isFile()) listing.set(e.name, "file");
        else if (e.isSymbolicLink()) {
          try {
            const st = statSync(join(dir, e.name));
            listing.set(e.name, st.isDirectory() ? "dir" : st.isFile() ? "file" : "other");
          } catch {
            listing.set(e.name, "other");
          }
        } else listing.set(e.name, "other");
      }
    } catch {
      listing = null;
    }
    this.listings.set(dir, listing);
    return listing;
  }
}
