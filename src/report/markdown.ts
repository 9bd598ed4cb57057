/**
 * `snag report --format markdown`: the remediation report a team can act on. A summary (what is
 * blocked, how many root causes, what each fix unblocks), then one section per root cause in
 * blast-radius order: the chain, the code frame, the proposed patch and its safety, alternatives,
 * or a plain statement that no change is sound. Every number comes from the scan.
 */
import { readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import type { CheckResult } from "../analyze/check.js";
import type { Finding } from "../analyze/model.js";
import type { FixOutcome, Remedy } from "../fix/index.js";
import type { Diagnostic } from "../model/diagnostic.js";

export interface MarkdownMeta {
  root: string;
  /** Shown in the title: the repository's directory name. */
  name: string;
  python: string;
  pytest?: string;
  diagnostics: Diagnostic[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function reportToMarkdown(result: CheckResult, fixes: FixOutcome, meta: MarkdownMeta): string {
  const out: string[] = [];
  const tests = result.tests.filter((t) => t.kind === "test");
  const blocked = tests.filter((t) => !t.collectable);
  const skipped = tests.filter((t) => t.skipped);
  const failing = result.modules.filter((m) => !m.importable);
  const errors = result.findings.map((f, i) => ({ f, r: fixes.remedies[i]! })).filter(({ f }) => f.severity === "error");
  const warnings = result.findings.map((f, i) => ({ f, r: fixes.remedies[i]! })).filter(({ f }) => f.severity !== "error");
  const chosen = new Map(fixes.chosen.map((c) => [c.remedy, c.fix]));

  out.push(`# snag remediation report: ${meta.name}`, "");
  out.push(`Python ${meta.python}${meta.pytest ? ` · pytest ${meta.pytest}` : ""} · read without running any of the project's code.`, "");
  out.push("## Summary", "");
  out.push(`- **Test files:** ${tests.length}; ${plural(blocked.length, "fails", "fail")} to collect${skipped.length ? `, ${skipped.length} skipped` : ""}, ${tests.length - blocked.length - skipped.length} collect.`);
  out.push(`- **Modules:** ${result.modules.length}; ${failing.length} fail to import.`);
  const fixable = errors.filter(({ r }) => chosen.has(r));
  out.push(`- **Root causes:** ${errors.length}; ${fixable.length} with a proposed fix, ${errors.length - fixable.length} without a sound one.`);
  if (warnings.length > 0) out.push(`- **Warnings:** ${warnings.length} (they do not stop a test run).`);
  out.push("");
  if (errors.length === 0) {
    out.push("Nothing blocks the test run.", "");
  } else {
    out.push("| # | Root cause | Where | Blocks test files | Blocks modules | Proposed fix | Safety |", "|---|---|---|---:|---:|---|---|");
    errors.forEach(({ f, r }, i) => {
      const fix = chosen.get(r);
      out.push(`| ${i + 1} | ${cell(`${f.rule}: ${code(f.target)}`)} | ${code(`${f.file}:${f.line}`)} | ${f.blastRadius.tests} | ${f.blastRadius.modules} | ${cell(fix ? fix.title : "none: see below")} | ${fix?.safety ?? "-"} |`);
    });
    out.push("");
  }

  errors.forEach(({ f, r }, i) => {
    out.push(`## ${i + 1}. ${f.rule}: ${code(f.target)}`, "");
    out.push(`${f.message}`, "");
    const radius = `Blocks ${plural(f.blastRadius.tests, "test file")} and ${plural(f.blastRadius.modules, "module")}`;
    out.push(`${radius}${f.classification ? `. Classification: ${code(f.classification)}` : ""}.`, "");
    if (f.sites && f.sites.length > 1) out.push(`Fails at ${plural(f.sites.length, "place")}: ${f.sites.map((s) => code(`${s.file}:${s.line}`)).join(", ")}.`, "");
    if (f.chain && f.chain.length > 0) {
      out.push("**Chain**", "");
      f.chain.forEach((h, n) => out.push(`${n + 1}. ${code(`${h.file}:${h.line}`)} (${code(h.module)})`));
      out.push("");
    }
    out.push(...frame(meta.root, f));
    if (f.suggestion) out.push(`**Why and what to do:** ${f.suggestion}`, "");
    section(out, r, chosen.get(r), fixes);
  });

  if (warnings.length > 0) {
    out.push("## Warnings", "");
    for (const { f, r } of warnings) {
      // A warning on the same statement as a root cause shares its fix, which is listed once above.
      const fix = chosen.get(r) ?? r.fixes[0];
      out.push(`- ${code(`${f.file}:${f.line}`)} ${f.rule}: ${f.message}${fix ? `. Fix (${fix.safety}): ${fix.title}` : r.unfixable ? `. No fix: ${r.unfixable}` : ""}`);
    }
    out.push("");
  }
  const problems = meta.diagnostics.filter((d) => d.severity !== "info");
  if (problems.length > 0) {
    out.push("## Files snag could not read fully", "");
    for (const d of problems) out.push(`- ${code(`${d.file}${d.line ? `:${d.line}` : ""}`)} ${d.code}: ${d.message}`);
    out.push("");
  }
  if (fixes.chosen.length > 0) out.push("---", "", "Apply the proposed fixes with `snag fix --apply` (only the safe ones: `snag fix --apply --safe-only`).", "");
  return out.join("\n");
}

function section(out: string[], r: Remedy, fix: FixOutcome["chosen"][number]["fix"] | undefined, fixes: FixOutcome): void {
  if (!fix) {
    out.push(`**No sound fix:** ${r.unfixable ?? "snag has no fix for this."}`, "");
    return;
  }
  out.push(`**Proposed fix** (${fix.safety}): ${fix.title}`, "");
  out.push("```diff", fixes.patch(fix).trimEnd(), "```", "");
  const alternatives = r.fixes.filter((x) => x !== fix);
  if (alternatives.length > 0) {
    out.push("Alternatives:", "");
    for (const a of alternatives) out.push(`- (${a.safety}) ${a.title}`);
    out.push("");
  }
}

function frame(root: string, f: Finding): string[] {
  let lines: string[];
  try {
    lines = readFileSync(join(root, f.file), "utf8").split(/\r?\n/);
  } catch {
    return [];
  }
  const from = Math.max(1, f.line - 2);
  const to = Math.min(lines.length, f.line + 2);
  const width = String(to).length;
  const body: string[] = [];
  for (let n = from; n <= to; n++) body.push(`${n === f.line ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`.trimEnd());
  return [`${code(f.file)}:`, "", "```text", ...body, "```", ""];
}
