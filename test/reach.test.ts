// Counting the test files that reach a module in one pass over the condensation must agree with
// the plain answer, one walk per test file, on any graph (cycles, self-loops, unreachable parts).
import { describe, expect, it } from "vitest";
import { countReachingStarts } from "../src/graph/reach.js";

function naive(starts: string[], targets: string[], succ: (n: string) => string[]): Map<string, number> {
  const counts = new Map(targets.map((t) => [t, 0]));
  for (const s of new Set(starts)) {
    const seen = new Set([s]);
    const stack = [s];
    while (stack.length > 0) for (const m of succ(stack.pop()!)) if (!seen.has(m)) seen.add(m), stack.push(m);
    for (const t of targets) if (seen.has(t)) counts.set(t, counts.get(t)! + 1);
  }
  return counts;
}

describe("countReachingStarts", () => {
  it("equals one walk per start on seeded random graphs, across chunk boundaries", () => {
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let round = 0; round < 60; round++) {
      const n = 5 + rand(120);
      const edges = new Map<string, string[]>();
      for (let i = 0; i < n; i++) edges.set(`m${i}`, []);
      for (let e = rand(n * 3); e > 0; e--) edges.get(`m${rand(n)}`)!.push(`m${rand(n)}`);
      const succ = (x: string) => edges.get(x) ?? [];
      const starts = Array.from({ length: 1 + rand(70) }, () => `m${rand(n)}`);
      const targets = Array.from({ length: 1 + rand(10) }, () => `m${rand(n)}`).concat(["absent"]);
      const want = naive(starts, targets, succ);
      for (const chunk of [1, 7, 32, 33, 2048]) expect(countReachingStarts(starts, targets, succ, chunk)).toEqual(want);
    }
  });

  it("counts a start that is itself the target, and a cycle once", () => {
    const g: Record<string, string[]> = { t1: ["a"], t2: ["b"], a: ["b"], b: ["a", "b"], c: ["a"] };
    const got = countReachingStarts(["t1", "t2", "t1"], ["a", "b", "c", "t1"], (x) => g[x] ?? []);
    expect(Object.fromEntries(got)).toEqual({ a: 2, b: 2, c: 0, t1: 1 });
  });
});
