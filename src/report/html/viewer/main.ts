/**
 * The HTML report's viewer, bundled with sigma and graphology into the page itself (no network).
 * It draws the precomputed layout with WebGL, highlights broken chains, lists root causes by blast
 * radius, and explains a node when it is clicked or found by name.
 *
 * `window.snag` exposes the renderer and a few helpers for embedding and for the end-to-end test.
 */
import Graph from "graphology";
import Sigma from "sigma";
import type { HtmlCause, HtmlHop, HtmlNode, HtmlReportData, NodeStatus } from "../model.js";

const COLOR: Record<NodeStatus, string> = {
  "root-cause": "#b91c1c",
  fails: "#f87171",
  skipped: "#f59e0b",
  ok: "#94a3b8",
  missing: "#7f1d1d",
  installed: "#a78bfa",
};
const TEST_OK = "#3b82f6";
const DIM = "#e5e7eb";
const EDGE = "#cbd5e1";
const EDGE_DEFERRED = "#e9eef5";
const EDGE_BROKEN = "#dc2626";

const STATUS_TEXT: Record<NodeStatus, string> = {
  "root-cause": "fails here: a statement in this module is a root cause",
  fails: "fails to import because of something it imports",
  skipped: "skipped (pytest.importorskip at module level)",
  ok: "imports cleanly",
  missing: "resolves nowhere",
  installed: "installed package",
};

type Selection = { kind: "node"; id: string } | { kind: "cause"; index: number } | null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the report page lacks #${id}`);
  return found as T;
}

const data = JSON.parse(byId("snag-data").textContent ?? "{}") as HtmlReportData;
const nodesById = new Map<string, HtmlNode>(data.nodes.map((n) => [n.id, n]));

function nodeColor(n: HtmlNode): string {
  if (n.status === "ok" && n.test) return TEST_OK;
  return COLOR[n.status];
}

function nodeSize(n: HtmlNode): number {
  const base = n.status === "root-cause" || n.status === "missing" ? 7 : n.test ? 4.5 : 3.5;
  return base + Math.log2(1 + (n.blocks ?? 0)) * 2;
}

const graph = new Graph({ type: "directed", multi: false, allowSelfLoops: false });
for (const n of data.nodes) graph.addNode(n.id, { x: n.x, y: n.y, size: nodeSize(n), color: nodeColor(n), label: n.label });
for (const e of data.edges) {
  if (!graph.hasNode(e.source) || !graph.hasNode(e.target) || graph.hasEdge(e.source, e.target)) continue;
  graph.addEdge(e.source, e.target, {
    size: e.broken ? 2 : e.runtime ? 0.6 : 0.4,
    color: e.broken ? EDGE_BROKEN : e.runtime ? EDGE : EDGE_DEFERRED,
    broken: e.broken,
    type: "arrow",
  });
}

// What a selection lights up: a node's chain down to what it could not import, or a root cause's sites.
let selection: Selection = null;
let litNodes = new Set<string>();
let litEdges = new Set<string>();

function pathOf(start: string | undefined, chain: HtmlHop[], end: string | undefined): string[] {
  const path = [start, ...chain.map((h) => h.node), end].filter((n): n is string => n !== undefined && graph.hasNode(n));
  return path.filter((n, i) => i === 0 || n !== path[i - 1]);
}

function light(paths: string[][], extra: string[] = []): void {
  litNodes = new Set(extra.filter((n) => graph.hasNode(n)));
  litEdges = new Set();
  for (const path of paths) {
    path.forEach((n) => litNodes.add(n));
    for (let i = 0; i + 1 < path.length; i++) {
      const edge = graph.edge(path[i]!, path[i + 1]!);
      if (edge !== undefined) litEdges.add(edge);
    }
  }
}

function failureEnd(n: HtmlNode): string | undefined {
  const c = n.cause;
  if (!c) return undefined;
  if (c.rule === "missing-module") return `?${c.target}`;
  return undefined;
}

const container = byId<HTMLDivElement>("graph");
let renderer: Sigma | undefined;
try {
  renderer = new Sigma(graph, container, {
    defaultEdgeType: "arrow",
    labelRenderedSizeThreshold: 7,
    labelDensity: 0.5,
    zIndex: true,
    hideEdgesOnMove: data.edges.length > 20000,
    nodeReducer: (node, attrs) => {
      if (litNodes.size === 0) return attrs;
      if (litNodes.has(node)) return { ...attrs, zIndex: 2, forceLabel: true, highlighted: selection?.kind === "node" && selection.id === node };
      return { ...attrs, color: DIM, label: "", zIndex: 0 };
    },
    edgeReducer: (edge, attrs) => {
      if (litNodes.size === 0) return attrs;
      if (litEdges.has(edge)) return { ...attrs, color: EDGE_BROKEN, size: 2.5, zIndex: 2 };
      return { ...attrs, color: "#f1f5f9", zIndex: 0 };
    },
  });
  renderer.on("afterRender", () => {
    document.body.dataset.rendered = String(graph.order);
  });
  renderer.on("clickNode", ({ node }) => select({ kind: "node", id: node }));
  renderer.on("clickStage", () => select(null));
  renderer.refresh();
} catch (err) {
  container.append(el("p", { class: "no-webgl" }, `The graph cannot be drawn in this browser (${err instanceof Error ? err.message : String(err)}). The lists on the right still work.`));
}

/** Moves the camera so that every lit node (or the one given) is in view, with a margin. */
function focus(fallback: string | undefined): void {
  if (!renderer) return;
  const ids = litNodes.size > 0 ? [...litNodes] : fallback !== undefined ? [fallback] : [];
  const points = ids.map((id) => renderer!.getNodeDisplayData(id)).filter((d): d is NonNullable<typeof d> => d !== undefined);
  if (points.length === 0) return;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Display coordinates are normalised to the unit square, where a camera ratio of 1 shows it all.
  const ratio = Math.min(1, Math.max(0.08, Math.max(x1 - x0, y1 - y0) * 1.4));
  void renderer.getCamera().animate({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio }, { duration: 300 });
}

const details = byId<HTMLElement>("details");

function select(next: Selection, moveCamera = false): void {
  selection = next;
  details.replaceChildren();
  if (next === null) {
    litNodes = new Set();
    litEdges = new Set();
    details.hidden = true;
    document.body.dataset.selected = "";
  } else if (next.kind === "node") {
    const n = nodesById.get(next.id);
    if (!n) return;
    light([pathOf(n.id, n.chain ?? [], failureEnd(n))]);
    litNodes.add(n.id);
    details.append(...nodeDetails(n));
    details.hidden = false;
    document.body.dataset.selected = n.id;
    if (moveCamera) focus(n.id);
  } else {
    const c = data.causes[next.index];
    if (!c) return;
    const sites = c.sites.map((s) => s.node).filter((s): s is string => s !== undefined);
    const missing = c.rule === "missing-module" ? `?${c.target}` : undefined;
    light([pathOf(c.chain[0]?.node, c.chain, missing)], [...sites, ...(missing ? [missing] : []), ...(c.node ? [c.node] : [])]);
    details.append(...causeDetails(c));
    details.hidden = false;
    document.body.dataset.selected = `cause:${c.index}`;
    if (moveCamera) focus(c.node ?? missing);
  }
  renderer?.refresh();
}

function location(file: string, line: number): string {
  return line > 0 ? `${file}:${line}` : file;
}

function hopList(chain: HtmlHop[], tail?: string): HTMLElement {
  const list = el("ol", { class: "chain" });
  for (const h of chain) {
    const item = el("li", {}, el("code", {}, location(h.file, h.line)), " ", el("span", { class: "module" }, h.module));
    if (h.node) {
      item.classList.add("link");
      item.addEventListener("click", () => select({ kind: "node", id: h.node! }, true));
    }
    list.append(item);
  }
  if (tail) list.append(el("li", { class: "target" }, el("code", {}, tail), " ✗"));
  return list;
}

function fixBlock(c: HtmlCause): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (c.suggestion) out.push(el("p", { class: "suggestion" }, c.suggestion));
  if (c.fix) {
    out.push(el("h4", {}, "Proposed fix ", el("span", { class: `safety ${c.fix.safety}` }, c.fix.safety)));
    out.push(el("p", { class: "fix-title" }, c.fix.title));
    out.push(el("pre", { class: "patch" }, ...patchLines(c.fix.patch)));
    if (c.alternatives.length > 0) {
      out.push(el("p", { class: "muted" }, "Alternatives:"));
      out.push(el("ul", {}, ...c.alternatives.map((a) => el("li", {}, `(${a.safety}) ${a.title}`))));
    }
  } else if (c.unfixable) {
    out.push(el("h4", {}, "No sound fix"), el("p", {}, c.unfixable));
  }
  return out;
}

function patchLines(patch: string): HTMLElement[] {
  return patch
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => {
      const kind = line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") ? "meta" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "ctx";
      return el("span", { class: kind }, `${line}\n`);
    });
}

function nodeDetails(n: HtmlNode): HTMLElement[] {
  const out: HTMLElement[] = [];
  out.push(el("h3", {}, n.label));
  if (n.file) out.push(el("p", {}, el("code", {}, n.file), n.test ? ` · ${n.test === "test" ? "test file" : "conftest"}` : ""));
  if (n.distribution) out.push(el("p", {}, `distribution ${n.distribution}`));
  out.push(el("p", { class: `status ${n.status}` }, STATUS_TEXT[n.status]));
  if (n.blocks) out.push(el("p", {}, `On the failing chain of ${n.blocks} test file${n.blocks === 1 ? "" : "s"}.`));
  if (n.cause) {
    out.push(el("h4", {}, "Why it fails"));
    out.push(el("p", { class: "message" }, n.cause.message));
    out.push(hopList(n.chain ?? [], n.cause.rule === "missing-module" ? n.cause.target : undefined));
  }
  for (const index of n.causes ?? []) {
    const c = data.causes[index];
    if (!c) continue;
    const head = el("h4", { class: "link" }, `${c.rule}: ${c.target}`);
    head.addEventListener("click", () => select({ kind: "cause", index }, true));
    out.push(head, el("p", { class: "message" }, `${location(c.file, c.line)}: ${c.message}`), ...fixBlock(c));
  }
  return out;
}

function causeDetails(c: HtmlCause): HTMLElement[] {
  const out: HTMLElement[] = [el("h3", {}, `${c.rule}: ${c.target}`)];
  out.push(el("p", { class: "message" }, c.message));
  out.push(el("p", {}, `Blocks ${c.blast.tests} test file${c.blast.tests === 1 ? "" : "s"} and ${c.blast.modules} module${c.blast.modules === 1 ? "" : "s"}${c.classification ? ` · ${c.classification}` : ""}.`));
  if (c.chain.length > 0) out.push(el("h4", {}, "Chain"), hopList(c.chain, c.rule === "missing-module" ? c.target : undefined));
  if (c.sites.length > 1) {
    out.push(el("h4", {}, `Fails at ${c.sites.length} places`));
    const list = el("ul", { class: "sites" });
    for (const s of c.sites) {
      const item = el("li", {}, el("code", {}, location(s.file, s.line)));
      if (s.node) {
        item.classList.add("link");
        item.addEventListener("click", () => select({ kind: "node", id: s.node! }, true));
      }
      list.append(item);
    }
    out.push(list);
  }
  out.push(...fixBlock(c));
  return out;
}

// The root causes, by blast radius (findings come sorted: errors first, then by test files blocked).
const causeList = byId<HTMLOListElement>("cause-list");
for (const c of data.causes) {
  const item = el(
    "li",
    { class: `cause ${c.severity}`, "data-index": String(c.index) },
    el("span", { class: "rule" }, c.rule),
    " ",
    el("code", {}, c.target),
    el("span", { class: "blast" }, `${c.blast.tests} test${c.blast.tests === 1 ? "" : "s"} · ${c.blast.modules} module${c.blast.modules === 1 ? "" : "s"}`),
    el("div", { class: "where" }, location(c.file, c.line)),
  );
  item.addEventListener("click", () => select({ kind: "cause", index: c.index }, true));
  causeList.append(item);
}
if (data.causes.length === 0) causeList.replaceWith(el("p", { class: "clean" }, "Nothing blocks the test run."));

// Search by module name (or file): substring match, prefix matches first.
const search = byId<HTMLInputElement>("search");
const results = byId<HTMLUListElement>("search-results");
const searchable = data.nodes.map((n) => ({ n, keys: [n.label.toLowerCase(), (n.file ?? "").toLowerCase()] }));

function matches(query: string): HtmlNode[] {
  const q = query.trim().toLowerCase();
  if (q === "") return [];
  const scored: { n: HtmlNode; score: number }[] = [];
  for (const { n, keys } of searchable) {
    const exact = keys.includes(q);
    const prefix = keys.some((k) => k.startsWith(q) || k.split(/[./]/).some((part) => part.startsWith(q)));
    const inside = keys.some((k) => k.includes(q));
    if (exact || prefix || inside) scored.push({ n, score: exact ? 0 : prefix ? 1 : 2 });
  }
  return scored.sort((a, b) => a.score - b.score || a.n.label.length - b.n.label.length || (a.n.label < b.n.label ? -1 : 1)).map((s) => s.n);
}

function showResults(): void {
  const found = matches(search.value);
  results.replaceChildren(
    ...found.slice(0, 20).map((n) => {
      const item = el("li", { class: `result ${n.status}` }, n.label, n.file && n.file !== n.label ? el("span", { class: "muted" }, ` ${n.file}`) : null);
      item.addEventListener("click", () => select({ kind: "node", id: n.id }, true));
      return item;
    }),
  );
  if (found.length > 20) results.append(el("li", { class: "muted" }, `and ${found.length - 20} more`));
  if (search.value.trim() !== "" && found.length === 0) results.append(el("li", { class: "muted" }, "no module matches"));
}

search.addEventListener("input", showResults);
search.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    const first = matches(search.value)[0];
    if (first) select({ kind: "node", id: first.id }, true);
  } else if (event.key === "Escape") {
    search.value = "";
    showResults();
    select(null);
  }
});

declare global {
  interface Window {
    snag: {
      data: HtmlReportData;
      graph: Graph;
      renderer: Sigma | undefined;
      select: (id: string | null) => void;
      /** Where a node is drawn, in CSS pixels relative to the graph container. */
      viewportPosition: (id: string) => { x: number; y: number } | undefined;
    };
  }
}

window.snag = {
  data,
  graph,
  renderer,
  select: (id) => select(id === null ? null : { kind: "node", id }, true),
  viewportPosition: (id) => {
    if (!renderer || !graph.hasNode(id)) return undefined;
    const a = graph.getNodeAttributes(id) as { x: number; y: number };
    return renderer.graphToViewport({ x: a.x, y: a.y });
  },
};
