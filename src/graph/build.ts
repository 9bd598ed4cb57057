/**
 * The graph stage: one graphology multigraph of modules and import statements.
 *
 * Nodes are modules keyed by dotted name (local, stdlib, third-party, external) or `?name` for a
 * name that resolves nowhere; a scanned file no sys.path entry reaches is keyed by its path.
 * Edges are import statements (one per statement and target) plus `parent` edges from a submodule
 * to its package, because importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first.
 */
import graphology from "graphology";
import type { Discovery } from "../discover/index.js";
import type { PyFileFacts, PyImport } from "../parse/python/facts.js";
import type { ScriptImport } from "../parse/typescript/facts.js";
import type { ModuleRecord, Origin, ResolvedModule, ResolveOutput } from "../resolve/resolve.js";
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

export function buildGraph(input: {
  discovery: Discovery;
  facts: ReadonlyMap<string, PyFileFacts>;
  resolved: ResolveOutput;
  target: TargetPython;
  /**
   * Keep the standard library's modules and the imports of them. Only the graph itself and `why`
   * show them; no analysis reads them (a standard-library module is a leaf here, and what can go
   * wrong in importing one is judged from the facts), and in most repositories they are half of
   * all import statements.
   */
  stdlib?: boolean;
}): ImportGraph {
  const graph: ImportGraph = new MultiDirectedGraph<ModuleNode, ImportEdge>();
  const { resolved } = input;
  const keep = (m: ResolvedModule): boolean => input.stdlib !== false || m.origin !== "stdlib";

  for (const mod of resolved.modules) {
    const key = moduleKey(mod);
    if (graph.hasNode(key)) continue;
    const node: ModuleNode = { name: mod.name, kind: "local", language: "python", file: mod.file, isPackage: mod.isPackage };
    if (mod.test) node.test = mod.test;
    if (!mod.rooted) node.unrooted = true;
    graph.addNode(key, node);
  }

  const ensureModule = (m: ResolvedModule): string => {
    if (!graph.hasNode(m.name)) {
      const node: ModuleNode = { name: m.name, kind: m.origin, language: "python" };
      if (m.file) node.file = m.file;
      if (m.distribution) node.distribution = m.distribution;
      if (m.kind === "package" || m.kind === "namespace") node.isPackage = true;
      graph.addNode(m.name, node);
    }
    return m.name;
  };
  const ensureMissing = (name: string): string => {
    const key = missingKey(name);
    if (!graph.hasNode(key)) graph.addNode(key, { name, kind: "missing", language: "python" });
    return key;
  };
  // Each submodule's edge to its package, once; most import chains repeat ones already linked.
  const linked = new Set<string>();
  const linkParents = (chain: readonly ResolvedModule[]) => {
    for (let i = chain.length - 1; i > 0; i--) {
      if (!keep(chain[i]!) || !keep(chain[i - 1]!)) continue;
      const child = chain[i]!.name;
      if (linked.has(child)) {
        // A module has one package, so the rest of the chain is linked too.
        return;
      }
      ensureModule(chain[i]!);
      const parent = ensureModule(chain[i - 1]!);
      linked.add(child);
      graph.addDirectedEdge(child, parent, { kind: "parent", line: 0, column: 0, guard: "top" });
    }
  };

  for (const mod of resolved.modules) {
    const key = moduleKey(mod);
    // A local module's own packages run before it.
    if (mod.rooted && mod.name.includes(".")) {
      const found = resolved.finder.find(mod.name);
      if (found.found) linkParents(found.chain.map(resolved.classify));
    }
    const facts = input.facts.get(mod.file);
    const resolutions = resolved.imports.get(mod.file) ?? [];
    for (const res of resolutions) {
      const imp = facts?.imports[res.index];
      if (!imp) continue;
      const edge: ImportEdge = {
        kind: imp.kind,
        file: mod.file,
        line: imp.line,
        column: imp.column,
        guard: guardOf(imp.context, input.target),
        importIndex: res.index,
      };
      if (imp.kind === "from") edge.names = imp.names.map((n) => n.name);
      linkParents(res.chain);
      const last = res.chain[res.chain.length - 1];
      const target = res.missing ? ensureMissing(res.missing.name) : last && keep(last) ? ensureModule(last) : undefined;
      if (target) graph.addDirectedEdge(key, target, edge);
      for (const sub of res.submodules) {
        if (!keep(sub.module)) continue;
        const subKey = ensureModule(sub.module);
        if (res.chain.length > 0 && !res.missing) linkParents([...res.chain, sub.module]);
        graph.addDirectedEdge(key, subKey, { ...edge, names: [sub.name] });
      }
    }
  }
  return graph;
}
