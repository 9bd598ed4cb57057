/**
 * `snag check --format sarif`: SARIF 2.1.0, for code-scanning UIs (GitHub code scanning, IDE SARIF
 * viewers). One run, every rule's metadata, one result per finding in the order of `findings`: the
 * failing statement as the location, the import chain as a code flow, the other statements that
 * fail for the same reason as related locations, and the preferred fix as artifact changes.
 *
 * Units: SARIF counts columns, `charOffset` and `charLength` in characters. snag measures in UTF-16
 * code units of the decoded text (JavaScript string indices, the unit of `snag fix` edits), and
 * declares it with `columnKind: "utf16CodeUnits"` rather than converting: for a file whose
 * characters all lie in the Basic Multilingual Plane the two counts are the same, and a consumer
 * that honours columnKind gets astral characters right too. Offsets are into the decoded text
 * (a UTF-8 BOM is not counted) and every region of a fix refers to the file before any replacement.
 */
import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { CheckResult } from "../analyze/check.js";
import type { Finding, Hop, Severity } from "../analyze/model.js";
import type { Fix } from "../fix/model.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { RULES } from "../rules/index.js";
import type { RuleMeta } from "../rules/types.js";
import { SNAG_VERSION } from "../version.js";

export const SARIF_SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
const SRCROOT = "%SRCROOT%";
const INFORMATION_URI = "https://github.com/snag-dev/snag";

export interface SarifMeta {
  /** The scanned repository, absolute: the value of `%SRCROOT%`. */
  root: string;
  /** The preferred fix of each finding that has one. */
  fixes?: ReadonlyMap<Finding, Fix>;
  /** Problems with the input; reported as tool notifications, not results. */
  diagnostics?: Diagnostic[];
}

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };

interface Region {
  startLine?: number;
  startColumn?: number;
  charOffset?: number;
  charLength?: number;
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export function checkToSarif(result: CheckResult, meta: SarifMeta): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i] as const));
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "snag",
            version: SNAG_VERSION,
            semanticVersion: SNAG_VERSION,
            informationUri: INFORMATION_URI,
            rules: RULES.map(rule),
          },
        },
        invocations: [invocation(meta.diagnostics ?? [])],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(meta.root) } },
        columnKind: "utf16CodeUnits",
        results: result.findings.map((f) => sarifResult(f, ruleIndex.get(f.rule) ?? -1, meta.fixes?.get(f))),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(r: RuleMeta) {
  return {
    id: r.id,
    name: pascalCase(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.docs.what },
    help: {
      text: `${r.docs.why}\n\nFix: ${r.docs.fix}`,
      markdown: `${r.docs.why}\n\n**Fix:** ${r.docs.fix}\n\n\`\`\`python\n${r.docs.example}\n\`\`\``,
    },
    helpUri: `${INFORMATION_URI}/blob/main/docs/rules/${r.id}.md`,
    defaultConfiguration: { level: LEVEL[r.severity] },
  };
}

function invocation(diagnostics: Diagnostic[]) {
  // A file snag could not read is not a finding about the code, but a reader of the log should
  // know the results may be incomplete for it.
  const notes = diagnostics.map((d) => ({
    level: LEVEL[d.severity],
    message: { text: d.message },
    descriptor: { id: d.code },
    locations: [{ physicalLocation: physical(d.file, d.line, d.column) }],
  }));
  return { executionSuccessful: true, ...(notes.length > 0 ? { toolExecutionNotifications: notes } : {}) };
}

function sarifResult(f: Finding, index: number, fix: Fix | undefined) {
  const others = (f.sites ?? []).filter((s) => !(s.file === f.file && s.line === f.line && s.column === f.column));
  const chain = f.chain ?? [];
  return {
    ruleId: f.rule,
    ruleIndex: index,
    level: LEVEL[f.severity],
    message: { text: findingText(f) },
    locations: [{ physicalLocation: physical(f.file, f.line, f.column) }],
    partialFingerprints: { "snagRootCause/v1": fingerprint(f) },
    ...(others.length > 0
      ? {
          relatedLocations: others.map((s, i) => ({
            id: i + 1,
            physicalLocation: physical(s.file, s.line, s.column),
            message: { text: `fails for the same reason (${f.target})` },
          })),
        }
      : {}),
    ...(chain.length > 0 ? { codeFlows: [{ threadFlows: [{ locations: chain.map((h, i) => flowStep(f, h, chain[i + 1])) }] }] } : {}),
    ...(fix ? { fixes: [sarifFix(fix)] } : {}),
  };
}

/** The finding's message and what to do about it, as one text. */
export function findingText(f: Pick<Finding, "message" | "suggestion">): string {
  if (!f.suggestion) return f.message;
  return `${f.message}${/[.!?]$/.test(f.message) ? "" : "."} ${f.suggestion}`;
}

const IMPORT_RULES = new Set(["missing-module", "missing-symbol", "import-cycle", "heavy-import", "undeclared-dependency"]);

function flowStep(f: Finding, hop: Hop, next: Hop | undefined) {
  // The last hop holds the failing statement: an import of the target, or (a class statement, a
  // marker, a raise) the statement the message describes.
  const text = next ? `imports ${next.module}` : IMPORT_RULES.has(f.rule) ? `imports ${f.target}` : f.message;
  return { location: { physicalLocation: physical(hop.file, hop.line, 0), message: { text } }, module: hop.module };
}

function sarifFix(fix: Fix) {
  const byFile = new Map<string, { deletedRegion: Region; insertedContent: { text: string } }[]>();
  const add = (file: string, r: { deletedRegion: Region; insertedContent: { text: string } }) => {
    const list = byFile.get(file);
    if (list) list.push(r);
    else byFile.set(file, [r]);
  };
  for (const e of fix.edits) add(e.file, { deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } });
  // A created file is an insertion into an empty artifact.
  for (const c of fix.creates) add(c.file, { deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: c.text } });
  return {
    description: { text: `${fix.title} (${fix.safety === "safe" ? "safe" : "review before applying"})` },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifact(file), replacements })),
    properties: { kind: fix.kind, safety: fix.safety },
  };
}

function physical(file: string, line: number, column: number) {
  const region: Region = {};
  // Line 0 means the whole file (a diagnostic, a package's implicit parent import): no region.
  if (line >= 1) {
    region.startLine = line;
    if (column >= 1) region.startColumn = column;
  }
  return { artifactLocation: artifact(file), ...(line >= 1 ? { region } : {}) };
}

function artifact(file: string): ArtifactLocation {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * What identifies a root cause across runs: rule, file and target, never the line, so an edit
 * above the statement does not make a known problem look new (the same key as baselines).
 */
function fingerprint(f: Finding): string {
  return createHash("sha256").update(`${f.rule}\0${f.file}\0${f.target}`).digest("hex").slice(0, 32);
}

function pascalCase(id: string): string {
  return id
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
