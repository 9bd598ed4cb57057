/**
 * The data an HTML report embeds, read by the viewer in the browser. One JSON document in the
 * page (`<script type="application/json" id="snag-data">`), versioned like snag's other JSON.
 * Positions come from a layout computed when the report is written, so the page never lays out
 * thousands of nodes itself and the same repository gives the same page, byte for byte.
 */

export const HTML_DATA_VERSION = 1;

/**
 * - `root-cause`: a local module holding a statement that fails (the place to fix);
 * - `fails`: a local module or test file that fails to import because of something it imports;
 * - `skipped`: a test file skipped by a module-level `pytest.importorskip`;
 * - `ok`: imports (or collects) cleanly;
 * - `missing`: a name that resolves nowhere;
 * - `installed`: a third-party or external package (its submodules folded into one node).
 */
export type NodeStatus = "root-cause" | "fails" | "skipped" | "ok" | "missing" | "installed";

export interface HtmlHop {
  module: string;
  file: string;
  line: number;
  /** The graph node of this hop, when it is drawn. */
  node?: string;
}

export interface HtmlNode {
  id: string;
  label: string;
  kind: "local" | "missing" | "third-party" | "external";
  status: NodeStatus;
  x: number;
  y: number;
  /** Root-relative file of a local module. */
  file?: string;
  test?: "test" | "conftest";
  distribution?: string;
  /** Why it fails: the statement the interpreter stops at. */
  cause?: { rule: string; target: string; file: string; line: number; message: string };
  /** From this module down to the failing statement. */
  chain?: HtmlHop[];
  /** Indices into `causes` of the findings whose failing statements are in this module or name it. */
  causes?: number[];
  /** Test files this module or missing name blocks (for sizing and the side panel). */
  blocks?: number;
}

export interface HtmlEdge {
  source: string;
  target: string;
  /** The strongest guard among the statements this edge stands for: `top` runs at import. */
  runtime: boolean;
  /** On the chain of some module or test file that fails to import. */
  broken: boolean;
}

export interface HtmlCause {
  index: number;
  rule: string;
  severity: "error" | "warning" | "info";
  target: string;
  file: string;
  line: number;
  message: string;
  suggestion?: string;
  classification?: string;
  blast: { tests: number; modules: number };
  /** The node holding the failing statement, and every other place that fails for the same reason. */
  node?: string;
  sites: { file: string; line: number; node?: string }[];
  chain: HtmlHop[];
  fix?: { kind: string; title: string; safety: "safe" | "review"; patch: string };
  alternatives: { title: string; safety: "safe" | "review" }[];
  unfixable?: string;
}

export interface HtmlReportData {
  version: typeof HTML_DATA_VERSION;
  kind: "snag-html-report";
  name: string;
  python: string;
  pytest?: string;
  summary: {
    testFiles: number;
    blocked: number;
    skipped: number;
    modules: number;
    failing: number;
    rootCauses: number;
    warnings: number;
    /** Standard-library modules left out of the picture. */
    hiddenStdlib: number;
  };
  nodes: HtmlNode[];
  edges: HtmlEdge[];
  causes: HtmlCause[];
  diagnostics: { file: string; line: number; code: string; message: string }[];
}
