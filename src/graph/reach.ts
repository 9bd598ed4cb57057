/**
 * How many of a set of start nodes (test files) reach each node of interest (a module with a
 * heavy import), in one pass over the graph instead of one walk per start: the part of the graph
 * the starts reach is condensed into its strongly connected components (graphology-components),
 * and bitsets of starts flow along the condensation in topological order. Starts are taken a
 * chunk at a time so the bitsets stay small on any repository.
 */
import graphology from "graphology";
import { stronglyConnectedComponents } from "graphology-components";

const { DirectedGraph } = graphology;

/** Starts per pass: 2048 bits per component. */
const CHUNK = 2048;

export function countReachingStarts(
  starts: readonly string[],
  targets: readonly string[],
  successors: (node: string) => Iterable<string>,
  chunk = CHUNK,
): Map<string, number> {
  const counts = new Map<string, number>(targets.map((t) => [t, 0]));
  starts = [...new Set(starts)];
  if (starts.length === 0 || targets.length === 0) return counts;

  // The subgraph every start reaches.
  const graph = new DirectedGraph();
  const stack: string[] = [];
  for (const s of starts) {
    if (!graph.hasNode(s)) {
      graph.addNode(s);
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const m of successors(n)) {
      if (!graph.hasNode(m)) {
        graph.addNode(m);
        stack.push(m);
      }
      if (m !== n && !graph.hasEdge(n, m)) graph.addDirectedEdge(n, m);
    }
  }

  // Components and the edges between them, in topological order (Kahn).
  const components = stronglyConnectedComponents(graph);
  const componentOf = new Map<string, number>();
  components.forEach((members, c) => {
    for (const n of members) componentOf.set(n, c);
  });
  const next: Set<number>[] = components.map(() => new Set());
  const indegree = new Int32Array(components.length);
  graph.forEachEdge((_e, _a, source, target) => {
    const [a, b] = [componentOf.get(source)!, componentOf.get(target)!];
    if (a !== b && !next[a]!.has(b)) {
      next[a]!.add(b);
      indegree[b]!++;
    }
  });
  const order: number[] = [];
  for (let c = 0; c < components.length; c++) if (indegree[c] === 0) order.push(c);
  for (let i = 0; i < order.length; i++) for (const b of next[order[i]!]!) if (--indegree[b]! === 0) order.push(b);

  const wanted = targets.filter((t) => componentOf.has(t));
  for (let from = 0; from < starts.length; from += chunk) {
    const part = starts.slice(from, from + chunk);
    const words = Math.ceil(part.length / 32);
    const bits = new Uint32Array(components.length * words);
    part.forEach((s, i) => {
      const c = componentOf.get(s)!;
      bits[c * words + (i >>> 5)]! |= 1 << (i & 31);
    });
    for (const a of order) {
      for (const b of next[a]!) for (let w = 0; w < words; w++) bits[b * words + w]! |= bits[a * words + w]!;
    }
    for (const t of wanted) {
      const c = componentOf.get(t)!;
      let n = 0;
      for (let w = 0; w < words; w++) n += popcount(bits[c * words + w]!);
      counts.set(t, counts.get(t)! + n);
    }
  }
  return counts;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
