/**
 * From a scan, its verdicts and its fixes to the data an HTML report draws: the import graph with
 * the standard library left out and each installed package folded into one node, every module's
 * verdict and chain, the root causes with their proposed patches, and a force-directed layout.
 */
import graphology from "graphology";
import forceAtlas2Module from "graphology-layout-forceatlas2";
import randomModule from "graphology-layout/random.js";
import type { CheckResult } from "../../analyze/check.js";
import type { Hop, TestVerdict, ModuleVerdict } from "../../analyze/model.js";
import type { FixOutcome } from "../../fix/index.js";
import type { ModuleNode } from "../../graph/build.js";
import { compareStrings, type Diagnostic } from "../../model/diagnostic.js";
import type { Scan } from "../../pipeline/scan.js";
import { HTML_DATA_VERSION, type HtmlCause, type HtmlEdge, type HtmlHop, type HtmlNode, type HtmlReportData } from "./model.js";

const { UndirectedGraph } = graphology;
// These packages' types declare an ES default export; run from ESM, the CommonJS module itself is the function.
const forceAtlas2 = forceAtlas2Module as unknown as typeof forceAtlas2Module.default;
const random = randomModule as unknown as typeof randomModule.default;

export interface HtmlMeta {
  name: string;
  python: string;
  pytest?: string;
  diagnostics: Diagnostic[];
}

export function htmlReportData(scan: Scan, result: CheckResult, fixes: FixOutcome, meta: HtmlMeta): HtmlReportData {
  const graph = scan.graph;

  // Which drawn node stands for each graph node: local modules and missing names as they are,
  // an installed package's submodules folded into its top-level name, the stdlib left out.
  const drawnOf = new Map<string, string>();
  const nodes = new Map<string, HtmlNode>();
  const fileToNode = new Map<string, string>();
  let hiddenStdlib = 0;
  graph.forEachNode((key, attrs: ModuleNode) => {
    if (attrs.kind === "stdlib") {
      hiddenStdlib++;
      return;
    }
    if (attrs.kind === "third-party" || attrs.kind === "external") {
      const top = attrs.name.split(".")[0]!;
      const id = `pkg:${top}`;
      drawnOf.set(key, id);
      if (!nodes.has(id)) {
        const node: HtmlNode = { id, label: top, kind: attrs.kind, status: "installed", x: 0, y: 0 };
        if (attrs.distribution) node.distribution = attrs.distribution;
        nodes.set(id, node);
      }
      return;
    }
    drawnOf.set(key, key);
    const node: HtmlNode = { id: key, label: attrs.name, kind: attrs.kind === "missing" ? "missing" : "local", status: attrs.kind === "missing" ? "missing" : "ok", x: 0, y: 0 };
    if (attrs.file && attrs.kind === "local") {
      node.file = attrs.file;
      fileToNode.set(attrs.file, key);
    }
    if (attrs.test) node.test = attrs.test;
    nodes.set(key, node);
  });

  const hops = (chain: Hop[] | undefined): HtmlHop[] =>
    (chain ?? []).map((h) => {
      const hop: HtmlHop = { module: h.module, file: h.file, line: h.line };
      const node = fileToNode.get(h.file);
      if (node) hop.node = node;
      return hop;
    });

  // Verdicts, joined to nodes by file. A test file's verdict is the one of the pytest session.
  const verdicts = new Map<string, ModuleVerdict | TestVerdict>();
  for (const m of result.modules) verdicts.set(m.file, m);
  for (const t of result.tests) verdicts.set(t.file, t);

  const broken = new Set<string>();
  const blocks = new Map<string, number>();
  const extraEdges: [string, string][] = [];
  const edgeKey = (a: string, b: string) => `${a}\0${b}`;
  for (const [file, v] of verdicts) {
    const id = fileToNode.get(file);
    const node = id ? nodes.get(id) : undefined;
    if (!node) continue;
    const failed = "collectable" in v ? !v.collectable : !v.importable;
    if ("skipped" in v && v.skipped) node.status = "skipped";
    if (!failed || !v.cause) continue;
    node.status = "fails";
    node.cause = { rule: v.cause.rule, target: v.cause.target, file: v.cause.file, line: v.cause.line, message: v.cause.message };
    node.chain = hops(v.chain);
    // The path the failure takes: each hop to the next, and the last hop to what it could not import.
    const path = [id!, ...node.chain.map((h) => h.node)].filter((n): n is string => n !== undefined);
    const end = failureTarget(v.cause, drawnOf);
    if (end) path.push(end);
    const onPath = new Set<string>();
    for (let i = 0; i + 1 < path.length; i++) {
      const a = path[i]!;
      const b = path[i + 1]!;
      if (a === b) continue;
      if (!broken.has(edgeKey(a, b))) extraEdges.push([a, b]);
      broken.add(edgeKey(a, b));
    }
    if ("collectable" in v && v.kind === "test") for (const n of path) onPath.add(n);
    for (const n of onPath) blocks.set(n, (blocks.get(n) ?? 0) + 1);
  }

  // Root causes: the findings, each with its preferred fix as a patch.
  const chosen = new Map(fixes.chosen.map((c) => [c.remedy, c.fix]));
  const causes: HtmlCause[] = result.findings.map((f, index) => {
    const remedy = fixes.remedies[index];
    const fix = remedy ? (chosen.get(remedy) ?? remedy.fixes[0]) : undefined;
    const cause: HtmlCause = {
      index,
      rule: f.rule,
      severity: f.severity,
      target: f.target,
      file: f.file,
      line: f.line,
      message: f.message,
      blast: f.blastRadius,
      sites: (f.sites ?? [{ file: f.file, line: f.line }]).map((s) => {
        const site: HtmlCause["sites"][number] = { file: s.file, line: s.line };
        const node = fileToNode.get(s.file);
        if (node) site.node = node;
        return site;
      }),
      chain: hops(f.chain),
      alternatives: (remedy?.fixes ?? []).filter((x) => x !== fix).map((x) => ({ title: x.title, safety: x.safety })),
    };
    const node = fileToNode.get(f.file);
    if (node) cause.node = node;
    if (f.suggestion) cause.suggestion = f.suggestion;
    if (f.classification) cause.classification = f.classification;
    if (fix) cause.fix = { kind: fix.kind, title: fix.title, safety: fix.safety, patch: fixes.patch(fix) };
    else if (remedy?.unfixable) cause.unfixable = remedy.unfixable;
    return cause;
  });
  for (const c of causes) {
    const at = new Set([...c.sites.map((s) => s.node), c.node].filter((n): n is string => n !== undefined));
    if (c.rule === "missing-module") {
      const missing = drawnOf.get(`?${c.target}`);
      if (missing) at.add(missing);
    }
    for (const id of at) {
      const node = nodes.get(id)!;
      (node.causes ??= []).push(c.index);
      // The place to fix, when it fails itself (a cycle's statement may fail only from elsewhere).
      if (c.severity === "error" && node.status === "fails") node.status = "root-cause";
    }
  }
  for (const [id, n] of blocks) {
    const node = nodes.get(id);
    if (node) node.blocks = n;
  }

  // Edges: one per pair of drawn nodes, runtime when any statement behind it runs at import.
  const edges = new Map<string, HtmlEdge>();
  graph.forEachEdge((_e, attrs, from, to) => {
    const s = drawnOf.get(from);
    const t = drawnOf.get(to);
    if (!s || !t || s === t) return;
    const key = edgeKey(s, t);
    const runtime = attrs.guard === "top" || attrs.guard === "caught" || attrs.guard === "conditional";
    const edge = edges.get(key);
    if (edge) edge.runtime ||= runtime;
    else edges.set(key, { source: s, target: t, runtime, broken: broken.has(key) });
  });
  for (const [s, t] of extraEdges) if (!edges.has(edgeKey(s, t))) edges.set(edgeKey(s, t), { source: s, target: t, runtime: true, broken: true });

  const nodeList = [...nodes.values()].sort((a, b) => compareStrings(a.id, b.id));
  const edgeList = [...edges.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.target, b.target));
  layout(nodeList, edgeList);

  const tests = result.tests.filter((t) => t.kind === "test");
  const data: HtmlReportData = {
    version: HTML_DATA_VERSION,
    kind: "snag-html-report",
    name: meta.name,
    python: meta.python,
    summary: {
      testFiles: tests.length,
      blocked: tests.filter((t) => !t.collectable).length,
      skipped: tests.filter((t) => t.skipped).length,
      modules: result.modules.length,
      failing: result.modules.filter((m) => !m.importable).length,
      rootCauses: result.findings.filter((f) => f.severity === "error").length,
      warnings: result.findings.filter((f) => f.severity !== "error").length,
      hiddenStdlib,
    },
    nodes: nodeList,
    edges: edgeList,
    causes,
    diagnostics: meta.diagnostics.filter((d) => d.severity !== "info").map((d) => ({ file: d.file, line: d.line, code: d.code, message: d.message })),
  };
  if (meta.pytest) data.pytest = meta.pytest;
  return data;
}

/** The node a failing statement could not import: the missing name, or the module lacking a name. */
function failureTarget(cause: NonNullable<ModuleVerdict["cause"]>, drawnOf: ReadonlyMap<string, string>): string | undefined {
  if (cause.rule === "missing-module") return drawnOf.get(`?${cause.target}`);
  if ((cause.rule === "missing-symbol" || cause.rule === "import-cycle") && cause.module) return drawnOf.get(cause.module);
  return undefined;
}

/**
 * ForceAtlas2 from a seeded random start: deterministic for the same graph. Barnes-Hut keeps
 * each iteration O(n log n) past a few hundred nodes, and fewer iterations are run as the graph
 * grows, so a report on tens of thousands of modules is written in seconds.
 */
function layout(nodes: HtmlNode[], edges: HtmlEdge[]): void {
  if (nodes.length === 0) return;
  const g = new UndirectedGraph();
  for (const n of nodes) g.addNode(n.id);
  for (const e of edges) if (!g.hasEdge(e.source, e.target)) g.addEdge(e.source, e.target);
  random.assign(g, { rng: mulberry32(0x5eed), scale: Math.sqrt(nodes.length) * 10 });
  const n = nodes.length;
  const iterations = n <= 200 ? 400 : n <= 2000 ? 150 : n <= 10000 ? 60 : 30;
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 300 };
  forceAtlas2.assign(g, { iterations, settings });
  for (const node of nodes) {
    const p = g.getNodeAttributes(node.id) as { x: number; y: number };
    // Rounded: positions are for drawing, and fewer digits keep the page small and stable.
    node.x = Math.round(p.x * 100) / 100;
    node.y = Math.round(p.y * 100) / 100;
  }
}

/** A small seeded generator (mulberry32): the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
