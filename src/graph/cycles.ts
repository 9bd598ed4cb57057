/**
 * Import cycles in the graph of imports that run at import time, and the modules whose import
 * can reach one. Strongly connected components come from graphology-components.
 */
import graphology from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import type { ImportEdge, ImportGraph, ModuleNode } from "./build.js";
import type { GuardKind } from "./guard.js";

const { DirectedGraph } = graphology;

const NEVER_AT_IMPORT: ReadonlySet<GuardKind> = new Set(["deferred", "type-checking", "main", "dead"]);

export interface CycleInfo {
  /** Local modules that sit on an import cycle (or import themselves). */
  cyclic: Set<string>;
  /** Local modules whose import can reach a cyclic module (the cyclic ones included). */
  reachesCycle: Set<string>;
}

/** Whether an edge of the import graph runs when its module is imported (graph/build.ts keeps the others for showing). */
export function runsAtImportTime(edge: ImportEdge): boolean {
  return edge.kind === "parent" || !NEVER_AT_IMPORT.has(edge.guard);
}

/**
 * The local Python modules and the imports between them that run at import time: what cycles
 * are looked for in. GraphBuilder keeps one up to date as it builds (while files are parsed);
 * findCycles makes one from a finished graph.
 */
export class RuntimeGraph {
  readonly graph = new DirectedGraph();
  readonly selfLoops = new Set<string>();

  addModule(key: string): void {
    this.graph.mergeNode(key);
  }

  /** An edge between two modules already added. */
  addImport(source: string, target: string): void {
    if (source === target) this.selfLoops.add(source);
    else this.graph.mergeEdge(source, target);
  }

  cycles(): CycleInfo {
    const runtime = this.graph;
    const cyclic = new Set(this.selfLoops);
    for (const component of stronglyConnectedComponents(runtime)) if (component.length > 1) for (const n of component) cyclic.add(n);
    const reachesCycle = new Set(cyclic);
    const stack = [...cyclic];
    while (stack.length > 0) {
      const n = stack.pop()!;
      runtime.forEachInNeighbor(n, (m) => {
        if (!reachesCycle.has(m)) {
          reachesCycle.add(m);
          stack.push(m);
        }
      });
    }
    return { cyclic, reachesCycle };
  }
}

export function findCycles(graph: ImportGraph): CycleInfo {
  const runtime = new RuntimeGraph();
  // TypeScript/JavaScript cycles follow ES module rules, judged in analyze/scripts/check.ts.
  const local = (attrs: ModuleNode) => attrs.kind === "local" && attrs.language === "python";
  graph.forEachNode((key, attrs) => {
    if (local(attrs)) runtime.addModule(key);
  });
  graph.forEachEdge((_e, attrs, source, target, sourceAttrs, targetAttrs) => {
    if (local(sourceAttrs) && local(targetAttrs) && runsAtImportTime(attrs)) runtime.addImport(source, target);
  });
  return runtime.cycles();
}
