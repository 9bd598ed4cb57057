/**
 * `snag check` for people: root causes by blast radius, each with its chain, a code frame and the
 * suggestion, then a one-line summary.
 */
import { readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import pc from "picocolors";
import type { CheckResult } from "../analyze/check.js";
import type { Finding } from "../analyze/model.js";
import type { Diagnostic } from "../model/diagnostic.js";

export interface TextOptions {
  root: string;
  verbose?: boolean;
  colors?: boolean;
}

export function checkToText(result: CheckResult, diagnostics: Diagnostic[], opts: TextOptions): string {
  const c = pc.createColors(opts.colors ?? pc.isColorSupported);
  const lines: string[] = [];
  const sources = new Map<string, string[]>();
  const source = (file: string): string[] => {
    let s = sources.get(file);
    if (!s) {
      try {
        s = readFileSync(join(opts.root, file), "utf8").split(/\r?\n/);
      } catch {
        s = [];
      }
      sources.set(file, s);
    }
    return s;
  };
  const tests = result.tests.filter((t) => t.kind === "test");
  const errors = result.findings.filter((f) => f.severity === "error");
  const others = result.findings.filter((f) => f.severity !== "error");

  const frame = (f: Finding): string[] => {
    const src = source(f.file);
    const out: string[] = [];
    const width = String(f.line + 1).length;
    for (let n = Math.max(1, f.line - 1); n <= Math.min(src.length, f.line + 1); n++) {
      const text = src[n - 1] ?? "";
      if (n !== f.line && text.trim() === "") continue;
      const gutter = `${n === f.line ? c.red(">") : " "} ${String(n).padStart(width)} │ `;
      out.push(`    ${gutter}${n === f.line ? text : c.dim(text)}`);
      if (n === f.line) out.push(`    ${" ".repeat(width + 3)}│ ${" ".repeat(Math.max(0, f.column - 1))}${c.red("^")}`);
    }
    return out;
  };

  const describe = (f: Finding): string => {
    const chain = f.chain ?? [];
    const hops = chain.map((h) => `${h.file}:${h.line}`);
    const end = f.rule === "missing-module" ? `${f.target} ${c.red("✗")} ${f.classification ?? "not found"}` : `${f.target} ${c.red("✗")}`;
    return [...hops, end].join(c.dim(" → "));
  };

  errors.forEach((f, i) => {
    const radius = `blocks ${f.blastRadius.tests} of ${tests.length} test file${tests.length === 1 ? "" : "s"}${f.blastRadius.modules ? `, ${f.blastRadius.modules} module${f.blastRadius.modules === 1 ? "" : "s"}` : ""}`;
    lines.push(`${c.bold(c.red(`${i + 1}. ${f.rule}`))}  ${c.bold(f.target)}  ${c.dim(`(${radius})`)}`);
    // A configuration problem has no import chain: the code frame below shows the setting.
    if ((f.chain ?? []).length > 0 || !f.file.match(/\.(ini|toml|cfg)$|^\$/)) lines.push(`   ${describe(f)}`);
    lines.push(`   ${f.message}`);
    if (f.sites && f.sites.length > 1) {
      const more = f.sites.slice(1, 6).map((s) => `${s.file}:${s.line}`);
      lines.push(`   ${c.dim(`also at ${more.join(", ")}${f.sites.length > 6 ? ` and ${f.sites.length - 6} more` : ""} (${f.sites.length} places)`)}`);
    }
    lines.push(...frame(f));
    if (f.suggestion) lines.push(`   ${c.cyan("fix:")} ${f.suggestion}`);
    lines.push("");
  });

  if (others.length > 0) {
    const shown = opts.verbose ? others : others.filter((f) => f.severity === "warning");
    for (const f of shown) {
      lines.push(`${c.yellow(`${f.severity} ${f.rule}`)}  ${f.file}:${f.line}  ${f.message}`);
      if (opts.verbose && f.suggestion) lines.push(`   ${c.cyan("fix:")} ${f.suggestion}`);
    }
    if (shown.length > 0) lines.push("");
  }

  const problems = diagnostics.filter((d) => d.severity !== "info" || opts.verbose);
  for (const d of problems) lines.push(`${c.dim(`${d.code}`)}  ${d.file}${d.line ? `:${d.line}` : ""}  ${d.message}`);
  if (problems.length > 0) lines.push("");

  const blocked = tests.filter((t) => !t.collectable).length;
  const broken = result.modules.filter((m) => !m.importable).length;
  const summary =
    errors.length > 0
      ? `${errors.length} root cause${errors.length === 1 ? "" : "s"} block${errors.length === 1 ? "s" : ""} ${blocked} of ${tests.length} test file${tests.length === 1 ? "" : "s"} (${broken} of ${result.modules.length} modules fail to import)`
      : blocked > 0 || broken > 0
        ? // Everything that fails is known (baseline) or suppressed: say so rather than call it clean.
          `${c.green("✓")} no new root causes; ${blocked} of ${tests.length} test file${tests.length === 1 ? "" : "s"} and ${broken} of ${result.modules.length} modules still fail for known reasons`
        : `${c.green("✓")} ${tests.length} test file${tests.length === 1 ? "" : "s"} and ${result.modules.length} modules import cleanly`;
  const v = result.session;
  if (!v.collectable && v.cause) {
    const when = v.stage === "after-collection" ? "fails once collection is over" : "stops before collecting any test file";
    lines.push(c.bold(c.red(`The pytest session ${when} (exit ${v.exitCode}): ${v.cause.message}`)), `   at ${v.cause.file}${v.cause.line ? `:${v.cause.line}` : ""}`, "");
  }
  const notes: string[] = [];
  if (others.length > 0) notes.push(`${others.length} warning${others.length === 1 ? "" : "s"}`);
  if (result.baselined) notes.push(`${result.baselined} known from the baseline`);
  if (result.suppressed) notes.push(`${result.suppressed} suppressed`);
  lines.push(summary + (notes.length > 0 ? c.dim(`; ${notes.join(", ")}`) : ""));
  return `${lines.join("\n")}\n`;
}
