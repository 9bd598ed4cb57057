/**
 * Questions asked of the import graph: the shortest "why" path between two modules and the
 * neighbourhood of a module. Path finding comes from graphology-shortest-path.
 */
import { bidirectional } from "graphology-shortest-path/unweighted.js";
import type { ImportEdge, ImportGraph } from "./build.js";
import { missingKey } from "./build.js";

/** Find a node by module name, `?missing` key, or root-relative file path. */
export function findNode(graph: ImportGraph, query: string): string | undefined {
  if (graph.hasNode(query)) return query;
  if (graph.hasNode(missingKey(query))) return missingKey(query);
  const file = query.replace(/^\.\//, "");
  return graph.findNode((_k, attrs) => attrs.kind === "local" && attrs.file === file);
}

export interface Hop {
  from: string;
  to: string;
  edge: ImportEdge;
}

/** Shortest import path from `source` to `target`, each hop with the statement that makes it. */
export function whyPath(graph: ImportGraph, source: string, target: string): Hop[] | undefined {
  const nodes = bidirectional(graph, source, target);
  if (!nodes) return undefined;
  const hops: Hop[] = [];
  for (let i = 0; i + 1 < nodes.length; i++) {
    const from = nodes[i]!;
    const to = nodes[i + 1]!;
    // Prefer the statement that certainly runs, then the earliest one.
    const edges = graph.directedEdges(from, to).map((e) => graph.getEdgeAttributes(e));
    edges.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
    hops.push({ from, to, edge: edges[0]! });
  }
  return hops;
}

function rank(e: ImportEdge): number {
  return e.guard === "top" ? 0 : e.guard === "conditional" ? 1 : 2;
}

/** Nodes within `depth` import hops of `center`, in either direction. */
export function neighbourhood(graph: ImportGraph, center: string, depth: number): Set<string> {
  const seen = new Set([center]);
  let frontier = [center];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of [...graph.outNeighbors(n), ...graph.inNeighbors(n)]) {
        if (!seen.has(m)) {
          seen.add(m);
          next.push(m);
        }
      }
    }
    frontier = next;
  }
  return seen;
}
