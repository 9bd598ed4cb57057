/**
 * Renderers for `snag graph`: the versioned JSON contract, Graphviz dot, and Mermaid. All output is
 * sorted so the same repository always gives the same bytes.
 */
import type { ImportEdge, ImportGraph, ModuleNode } from "../graph/build.js";
import { compareStrings, type Diagnostic } from "../model/diagnostic.js";

export const GRAPH_JSON_VERSION = 1;

export interface GraphView {
  graph: ImportGraph;
  /** Restrict the output to these nodes (all when absent). */
  nodes?: ReadonlySet<string>;
  /** Hide stdlib modules (they crowd pictures; JSON keeps them unless asked). */
  hideStdlib?: boolean;
}

interface EdgeRow {
  from: string;
  to: string;
  attrs: ImportEdge;
}

function rows(view: GraphView): { nodes: [string, ModuleNode][]; edges: EdgeRow[] } {
  const keep = (key: string, attrs: ModuleNode) => (!view.nodes || view.nodes.has(key)) && !(view.hideStdlib && attrs.kind === "stdlib");
  const nodes: [string, ModuleNode][] = [];
  view.graph.forEachNode((key, attrs) => {
    if (keep(key, attrs)) nodes.push([key, attrs]);
  });
  nodes.sort(([a], [b]) => compareStrings(a, b));
  const kept = new Set(nodes.map(([k]) => k));
  const edges: EdgeRow[] = [];
  view.graph.forEachEdge((_e, attrs, from, to) => {
    if (kept.has(from) && kept.has(to)) edges.push({ from, to, attrs });
  });
  edges.sort(
    (a, b) =>
      compareStrings(a.from, b.from) ||
      compareStrings(a.to, b.to) ||
      compareStrings(a.attrs.file ?? "", b.attrs.file ?? "") ||
      a.attrs.line - b.attrs.line ||
      a.attrs.column - b.attrs.column ||
      compareStrings(a.attrs.kind, b.attrs.kind),
  );
  return { nodes, edges };
}

export interface GraphJsonMeta {
  root: string;
  python: { executable?: string; version: string; source: string };
  sysPath: string[];
  diagnostics: Diagnostic[];
}

export function graphToJson(view: GraphView, meta: GraphJsonMeta): string {
  const { nodes, edges } = rows(view);
  const out = {
    version: GRAPH_JSON_VERSION,
    kind: "snag-graph",
    root: meta.root,
    python: meta.python,
    sysPath: meta.sysPath,
    modules: nodes.map(([id, n]) => ({ id, ...n })),
    imports: edges.map((e) => {
      const { importIndex: _omit, ...attrs } = e.attrs;
      return { from: e.from, to: e.to, ...attrs };
    }),
    diagnostics: meta.diagnostics,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const DOT_STYLE: Record<ModuleNode["kind"], string> = {
  local: 'shape=box, style="rounded"',
  stdlib: 'shape=box, style="rounded,dashed", color=gray50, fontcolor=gray40',
  "third-party": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
  external: 'shape=box, style="rounded,dotted"',
  missing: 'shape=octagon, style=filled, fillcolor="#fde2e1", color="#c5221f"',
};

export function graphToDot(view: GraphView): string {
  const { nodes, edges } = rows(view);
  const q = (s: string) => JSON.stringify(s);
  const lines = ["digraph imports {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const [key, n] of nodes) {
    const label = n.kind === "missing" ? `${n.name}\\n(not found)` : n.test ? `${n.name}\\n(${n.test})` : n.name;
    lines.push(`  ${q(key)} [label="${label.replace(/"/g, '\\"')}", ${DOT_STYLE[n.kind]}];`);
  }
  for (const e of edges) {
    const style = e.attrs.kind === "parent" ? ' [style=dotted, arrowhead=empty, label="package"]' : e.attrs.guard === "top" ? "" : ` [style=dashed, label=${q(e.attrs.guard)}]`;
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${style};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export function graphToMermaid(view: GraphView): string {
  const { nodes, edges } = rows(view);
  const ids = new Map(nodes.map(([key], i) => [key, `n${i}`]));
  const esc = (s: string) => s.replace(/"/g, "#quot;");
  const lines = ["flowchart LR"];
  for (const [key, n] of nodes) {
    const label = n.kind === "missing" ? `${n.name} ✗ not found` : n.name;
    const shape = n.kind === "missing" ? `{{"${esc(label)}"}}` : `["${esc(label)}"]`;
    lines.push(`  ${ids.get(key)}${shape}`);
  }
  for (const e of edges) {
    const arrow = e.attrs.kind === "parent" ? "-.->|package|" : e.attrs.guard === "top" ? "-->" : `-.->|${e.attrs.guard}|`;
    lines.push(`  ${ids.get(e.from)} ${arrow} ${ids.get(e.to)}`);
  }
  const missing = nodes.filter(([, n]) => n.kind === "missing").map(([k]) => ids.get(k));
  if (missing.length > 0) {
    lines.push("  classDef missing fill:#fde2e1,stroke:#c5221f,color:#c5221f");
    lines.push(`  class ${missing.join(",")} missing`);
  }
  return `${lines.join("\n")}\n`;
}
