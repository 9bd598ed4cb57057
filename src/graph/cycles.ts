/**
 * Import cycles in the graph of imports that run at import time, and the modules whose import
 * can reach one. Strongly connected components come from graphology-components.
 */
import graphology from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import type { ImportGraph } from "./build.js";
import type { GuardKind } from "./guard.js";

const { DirectedGraph } = graphology;

const NEVER_AT_IMPORT: ReadonlySet<GuardKind> = new Set(["deferred", "type-checking", "main", "dead"]);

export interface CycleInfo {
  /** Local modules that sit on an import cycle (or import themselves). */
  cyclic: Set<string>;
  /** Local modules whose import can reach a cyclic module (the cyclic ones included). */
  reachesCycle: Set<string>;
}

export function findCycles(graph: ImportGraph): CycleInfo {
  const runtime = new DirectedGraph();
  graph.forEachNode((key, attrs) => {
    // TypeScript/JavaScript cycles follow ES module rules, judged in analyze/scripts/check.ts.
    if (attrs.kind === "local" && attrs.language === "python") runtime.addNode(key);
  });
  const selfLoops = new Set<string>();
  graph.forEachEdge((_e, attrs, source, target) => {
    if (!runtime.hasNode(source) || !runtime.hasNode(target)) return;
    if (attrs.kind !== "parent" && NEVER_AT_IMPORT.has(attrs.guard)) return;
    if (source === target) selfLoops.add(source);
    else if (!runtime.hasEdge(source, target)) runtime.addDirectedEdge(source, target);
  });
  const cyclic = new Set(selfLoops);
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
