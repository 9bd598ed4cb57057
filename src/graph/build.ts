/**
 * The graph stage: one graphology multigraph of modules and import statements.
 *
 * Nodes are modules keyed by dotted name (local, stdlib, third-party, external) or `?name` for a
 * name that resolves nowhere; a scanned file no sys.path entry reaches is keyed by its path.
 * Edges are import statements (one per statement and target) plus `parent` edges from a submodule
 * to its package, because importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first.
 */
import graphology from "graphology";
import type { PyFileFacts, PyImport } from "../parse/python/facts.js";
import type { ScriptImport } from "../parse/typescript/facts.js";
import type { Finder, Location } from "../resolve/finder.js";
import type { ImportResolution, ModuleRecord, Origin, ResolvedModule, ResolveOutput } from "../resolve/resolve.js";
import { RuntimeGraph, runsAtImportTime } from "./cycles.js";
import { guardOf, type GuardKind, type TargetPython } from "./guard.js";

const { MultiDirectedGraph } = graphology;

export type NodeKind = Origin | "missing";

export interface ModuleNode {
  name: string;
  kind: NodeKind;
  language: "python" | "typescript" | "javascript";
  /** Root-relative for local modules, absolute for installed ones. */
  file?: string;
  distribution?: string;
  /** Local modules: collected by pytest as a test module, or loaded as a conftest. */
  test?: "test" | "conftest";
  /** Local modules: no sys.path entry of the test run reaches this file under its name. */
  unrooted?: boolean;
  isPackage?: boolean;
}

export interface ImportEdge {
  kind: PyImport["kind"] | "parent" | ScriptImport["kind"];
  /** Root-relative file of the statement (absent for `parent` edges). */
  file?: string;
  line: number;
  column: number;
  guard: GuardKind;
  /** For `from` imports: the names imported from the target. */
  names?: string[];
  /** Index of the import fact in its file, to join back to facts and resolutions. */
  importIndex?: number;
}

export type ImportGraph = InstanceType<typeof MultiDirectedGraph<ModuleNode, ImportEdge>>;

export function missingKey(name: string): string {
  return `?${name}`;
}

export function moduleKey(mod: ModuleRecord): string {
  return mod.rooted ? mod.name : mod.file;
}

export interface GraphInput {
  /** The scanned modules, in file order. */
  modules: readonly ModuleRecord[];
  finder: Finder;
  classify: (loc: Location) => ResolvedModule;
  target: TargetPython;
  /**
   * Keep the standard library's modules and the imports of them. Only the graph itself and `why`
   * show them; no analysis reads them (a standard-library module is a leaf here, and what can go
   * wrong in importing one is judged from the facts), and in most repositories they are half of
   * all import statements.
   */
  stdlib?: boolean;
}

export function buildGraph(input: Omit<GraphInput, "modules" | "finder" | "classify"> & { facts: ReadonlyMap<string, PyFileFacts>; resolved: ResolveOutput }): ImportGraph {
  const builder = new GraphBuilder({ ...input, modules: input.resolved.modules, finder: input.resolved.finder, classify: input.resolved.classify });
  for (const mod of input.resolved.modules) builder.add(mod, input.facts.get(mod.file), input.resolved.imports.get(mod.file) ?? []);
  return builder.graph;
}

/**
 * The graph built a module at a time, in file order (so that the same repository always gives the
 * same graph): every local module's node at the start, then each module's edges as its imports
 * are resolved; the scan adds them while files are still being parsed.
 */
export class GraphBuilder {
  readonly graph: ImportGraph = new MultiDirectedGraph<ModuleNode, ImportEdge>();
  /** The part of the graph cycles are looked for in (graph/cycles.ts), kept up to date as edges go in. */
  readonly runtime = new RuntimeGraph();
  /** Each submodule's edge to its package, once; most import chains repeat ones already linked. */
  private readonly linked = new Set<string>();

  constructor(private readonly input: GraphInput) {
    for (const mod of input.modules) {
      const key = moduleKey(mod);
      if (this.graph.hasNode(key)) continue;
      const node: ModuleNode = { name: mod.name, kind: "local", language: "python", file: mod.file, isPackage: mod.isPackage };
      if (mod.test) node.test = mod.test;
      if (!mod.rooted) node.unrooted = true;
      this.graph.addNode(key, node);
      this.runtime.addModule(key);
    }
  }

  private addEdge(source: string, target: string, edge: ImportEdge): void {
    this.graph.addDirectedEdge(source, target, edge);
    if (runsAtImportTime(edge) && this.isLocal(source) && this.isLocal(target)) this.runtime.addImport(source, target);
  }

  private isLocal(key: string): boolean {
    return this.graph.getNodeAttribute(key, "kind") === "local";
  }

  private keep(m: ResolvedModule): boolean {
    return this.input.stdlib !== false || m.origin !== "stdlib";
  }

  private ensureModule(m: ResolvedModule): string {
    if (!this.graph.hasNode(m.name)) {
      const node: ModuleNode = { name: m.name, kind: m.origin, language: "python" };
      if (m.file) node.file = m.file;
      if (m.distribution) node.distribution = m.distribution;
      if (m.kind === "package" || m.kind === "namespace") node.isPackage = true;
      this.graph.addNode(m.name, node);
      if (node.kind === "local") this.runtime.addModule(m.name);
    }
    return m.name;
  }

  private ensureMissing(name: string): string {
    const key = missingKey(name);
    if (!this.graph.hasNode(key)) this.graph.addNode(key, { name, kind: "missing", language: "python" });
    return key;
  }

  private linkParents(chain: readonly ResolvedModule[]): void {
    for (let i = chain.length - 1; i > 0; i--) {
      if (!this.keep(chain[i]!) || !this.keep(chain[i - 1]!)) continue;
      const child = chain[i]!.name;
      // A module has one package, so the rest of the chain is linked too.
      if (this.linked.has(child)) return;
      this.ensureModule(chain[i]!);
      const parent = this.ensureModule(chain[i - 1]!);
      this.linked.add(child);
      this.addEdge(child, parent, { kind: "parent", line: 0, column: 0, guard: "top" });
    }
  }

  /** One module's edges: to its own packages, then one per import statement and target. */
  add(mod: ModuleRecord, facts: PyFileFacts | undefined, resolutions: readonly ImportResolution[]): void {
    const key = moduleKey(mod);
    // A local module's own packages run before it.
    if (mod.rooted && mod.name.includes(".")) {
      const found = this.input.finder.find(mod.name);
      if (found.found) this.linkParents(found.chain.map(this.input.classify));
    }
    for (const res of resolutions) {
      const imp = facts?.imports[res.index];
      if (!imp) continue;
      const edge: ImportEdge = {
        kind: imp.kind,
        file: mod.file,
        line: imp.line,
        column: imp.column,
        guard: guardOf(imp.context, this.input.target),
        importIndex: res.index,
      };
      if (imp.kind === "from") edge.names = imp.names.map((n) => n.name);
      this.linkParents(res.chain);
      const last = res.chain[res.chain.length - 1];
      const target = res.missing ? this.ensureMissing(res.missing.name) : last && this.keep(last) ? this.ensureModule(last) : undefined;
      if (target) this.addEdge(key, target, edge);
      for (const sub of res.submodules) {
        if (!this.keep(sub.module)) continue;
        const subKey = this.ensureModule(sub.module);
        if (res.chain.length > 0 && !res.missing) this.linkParents([...res.chain, sub.module]);
        this.addEdge(key, subKey, { ...edge, names: [sub.name] });
      }
    }
  }
}
