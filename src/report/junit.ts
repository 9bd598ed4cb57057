/**
 * `snag check --format junit`: JUnit XML, the format CI systems already chart (GitLab, Jenkins,
 * Azure Pipelines, test-report actions). Suite "snag collection" has one test case per test file
 * pytest would collect, failing when collection would fail and skipped on a module-level
 * `pytest.importorskip`; suite "snag modules" has one per module, failing when it does not import.
 * A failure's body carries the chain and the fix, so the CI page says what to change.
 */
import type { CheckResult } from "../analyze/check.js";
import type { Cause, Finding, Hop } from "../analyze/model.js";

interface Case {
  classname: string;
  name: string;
  file: string;
  outcome: "passed" | "failed" | "skipped";
  cause?: Cause;
  chain?: Hop[];
}

export function checkToJunit(result: CheckResult): string {
  const collection: Case[] = result.tests
    .filter((t) => t.kind === "test")
    .map((t) => ({
      classname: t.module,
      name: t.file,
      file: t.file,
      outcome: !t.collectable ? "failed" : t.skipped ? "skipped" : "passed",
      ...(t.cause ? { cause: t.cause } : {}),
      ...(t.chain ? { chain: t.chain } : {}),
    }));
  const modules: Case[] = result.modules.map((m) => ({
    classname: m.module,
    name: m.file,
    file: m.file,
    outcome: m.importable ? "passed" : "failed",
    ...(m.cause ? { cause: m.cause } : {}),
    ...(m.chain ? { chain: m.chain } : {}),
  }));
  const suites = [suite("snag collection", collection, result.findings), suite("snag modules", modules, result.findings)];
  const all = [...collection, ...modules];
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="snag"${counts(all)}>`,
    ...suites.flat(),
    `</testsuites>`,
  ];
  return `${lines.join("\n")}\n`;
}

function suite(name: string, cases: Case[], findings: Finding[]): string[] {
  const out = [`  <testsuite name="${xmlAttribute(name)}"${counts(cases)}>`];
  for (const c of cases) {
    const open = `    <testcase classname="${xmlAttribute(c.classname)}" name="${xmlAttribute(c.name)}" file="${xmlAttribute(c.file)}"`;
    if (c.outcome === "passed") {
      out.push(`${open}/>`);
    } else if (c.outcome === "skipped") {
      out.push(`${open}>`, `      <skipped message="pytest.importorskip at module level: a module it needs is not installed"/>`, `    </testcase>`);
    } else {
      const type = c.cause?.exception ?? "ImportError";
      const message = c.cause?.message ?? "fails to import";
      out.push(`${open}>`, `      <failure type="${xmlAttribute(type)}" message="${xmlAttribute(message)}">${xmlText(failureBody(c, findings))}</failure>`, `    </testcase>`);
    }
  }
  out.push(`  </testsuite>`);
  return out;
}

function counts(cases: Case[]): string {
  const failures = cases.filter((c) => c.outcome === "failed").length;
  const skipped = cases.filter((c) => c.outcome === "skipped").length;
  return ` tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
}

function failureBody(c: Case, findings: Finding[]): string {
  const lines: string[] = [];
  const cause = c.cause;
  if (c.chain && c.chain.length > 0) lines.push([...c.chain.map((h) => `${h.file}:${h.line}`), cause?.target ?? "?"].join(" → "));
  if (cause) {
    lines.push(cause.message);
    lines.push(`  at ${cause.file}:${cause.line}:${cause.column} (${cause.rule})`);
    const suggestion = findingFor(cause, findings)?.suggestion;
    if (suggestion) lines.push(`fix: ${suggestion}`);
  }
  return lines.join("\n");
}

/** The root cause a verdict's failing statement belongs to: its own finding, or one it is a site of. */
function findingFor(cause: Cause, findings: Finding[]): Finding | undefined {
  const at = (s: { file: string; line: number; column: number }) => s.file === cause.file && s.line === cause.line && s.column === cause.column;
  return findings.find((f) => f.rule === cause.rule && f.target === cause.target && (at(f) || (f.sites ?? []).some(at)));
}

// XML 1.0 allows TAB, LF and CR among the controls, no lone surrogates and not U+FFFE/U+FFFF; a
// parser rejects the whole document for one such character, so each becomes U+FFFD.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

export function xmlAttribute(s: string): string {
  // Attribute values are whitespace-normalised by parsers: line breaks and tabs survive only as references.
  return xmlText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
