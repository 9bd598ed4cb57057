/**
 * `--format markdown --summary`: the report cut to what a pull-request comment should say. The
 * headline, a table of root causes by blast radius with the proposed fix, and the blocked test
 * files folded away; always within the size a comment can hold (GitHub takes 65,536 characters),
 * dropping rows from the longest lists first and saying how many were left out.
 */
import type { CheckResult } from "../analyze/check.js";
import type { FixOutcome } from "../fix/index.js";

/** Leaves room below GitHub's 65,536-character limit for a bot's own header or footer. */
export const SUMMARY_BUDGET = 60_000;

/** The first line: lets a CI job find and update its previous comment instead of adding one. */
export const SUMMARY_MARKER = "<!-- snag-summary -->";

export interface SummaryMeta {
  name: string;
  python: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/\n/g, " ")}\``;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function checkToMarkdownSummary(result: CheckResult, fixes: FixOutcome, meta: SummaryMeta, budget = SUMMARY_BUDGET): string {
  // Lists shrink together until the comment fits; the headline and counts always stay.
  for (let cap = 50; ; cap = Math.floor(cap / 2)) {
    const text = render(result, fixes, meta, cap);
    if (text.length <= budget || cap === 0) return text.length <= budget ? text : `${text.slice(0, budget - 2).replace(/\n[^\n]*$/, "")}\n`;
  }
}

function render(result: CheckResult, fixes: FixOutcome, meta: SummaryMeta, cap: number): string {
  const tests = result.tests.filter((t) => t.kind === "test");
  const blocked = tests.filter((t) => !t.collectable);
  const failing = result.modules.filter((m) => !m.importable);
  const chosen = new Map(fixes.chosen.map((c) => [c.remedy, c.fix]));
  const rows = result.findings.map((f, i) => ({ f, remedy: fixes.remedies[i] }));
  const errors = rows.filter(({ f }) => f.severity === "error");
  const warnings = rows.filter(({ f }) => f.severity !== "error");

  const out: string[] = [SUMMARY_MARKER];
  if (errors.length === 0) {
    out.push(`### snag: ${plural(tests.length, "test file")} collect, ${plural(result.modules.length, "module")} import`, "");
  } else {
    out.push(`### snag: ${plural(errors.length, "root cause")} block${errors.length === 1 ? "s" : ""} ${blocked.length} of ${plural(tests.length, "test file")}`, "");
    out.push(`${failing.length} of ${plural(result.modules.length, "module")} fail to import (${meta.name}, Python ${meta.python}, read without running any code).`, "");
    out.push("| # | Root cause | Where | Blocks | Proposed fix |", "|---:|---|---|---|---|");
    errors.slice(0, cap).forEach(({ f, remedy }, i) => {
      const fix = remedy ? (chosen.get(remedy) ?? remedy.fixes[0]) : undefined;
      const blocks = `${plural(f.blastRadius.tests, "test file")}, ${plural(f.blastRadius.modules, "module")}`;
      const proposal = fix ? `${fix.title} (${fix.safety})` : "no sound fix";
      out.push(`| ${i + 1} | ${cell(`${f.rule} ${code(f.target)}`)} | ${code(`${f.file}:${f.line}`)} | ${blocks} | ${cell(proposal)} |`);
    });
    if (errors.length > cap) out.push("", `…and ${plural(errors.length - cap, "more root cause")}.`);
    out.push("");
  }
  if (blocked.length > 0) {
    out.push(`<details><summary>${plural(blocked.length, "test file")} that fail${blocked.length === 1 ? "s" : ""} to collect</summary>`, "");
    for (const t of blocked.slice(0, cap)) {
      const via = t.chain && t.chain.length > 1 ? ` via ${code(`${t.chain[t.chain.length - 1]!.file}:${t.chain[t.chain.length - 1]!.line}`)}` : "";
      out.push(`- ${code(t.file)}: ${t.cause ? code(t.cause.message) : "fails to collect"}${via}`);
    }
    if (blocked.length > cap) out.push(`- …and ${blocked.length - cap} more`);
    out.push("", "</details>", "");
  }
  if (warnings.length > 0) {
    out.push(`<details><summary>${plural(warnings.length, "warning")}</summary>`, "");
    for (const { f } of warnings.slice(0, cap)) out.push(`- ${f.rule} ${code(`${f.file}:${f.line}`)}: ${cell(f.message)}`);
    if (warnings.length > cap) out.push(`- …and ${warnings.length - cap} more`);
    out.push("", "</details>", "");
  }
  if (errors.length > 0) out.push("`snag report` shows each chain, the code and the patch; `snag fix --apply` writes the fixes.", "");
  return out.join("\n");
}
