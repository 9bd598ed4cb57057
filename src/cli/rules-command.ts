import type { Command } from "commander";
import pc from "picocolors";
import { FIX_SUMMARIES, NO_FIX } from "../report/rule-docs.js";
import { RULES } from "../rules/index.js";
import { spellingSuggestion } from "../rules/spelling.js";
import type { RuleMeta } from "../rules/types.js";
import { formatOption, UsageError, type Io } from "./main.js";

/** Explanations are read in a terminal; a fixed width keeps the output the same in pipes and tests. */
const WIDTH = 80;

export function rulesCommand(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command("rules")
    .description("list every rule with its default severity and a one-line summary")
    .addOption(formatOption(["text", "json"], "text"))
    .action((flags: { format: "text" | "json" }) => {
      if (flags.format === "json") {
        io.out(`${JSON.stringify({ version: 1, kind: "snag-rules", rules: RULES.map(ruleJson) }, null, 2)}\n`);
        return done(0);
      }
      const idWidth = Math.max(...RULES.map((r) => r.id.length), "RULE".length);
      const severityWidth = Math.max(...RULES.map((r) => r.severity.length), "SEVERITY".length);
      io.out(pc.bold(`${"RULE".padEnd(idWidth)}  ${"SEVERITY".padEnd(severityWidth)}  SUMMARY`) + "\n");
      for (const rule of RULES) io.out(`${rule.id.padEnd(idWidth)}  ${severity(rule.severity.padEnd(severityWidth), rule)}  ${rule.summary}\n`);
      io.out(pc.dim("\nsnag explain <rule> says what a rule detects, why it matters and how to fix it.\n"));
      return done(0);
    });
}

export function explainCommand(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command("explain")
    .description("explain a rule: what it detects, why it matters, an example, how to fix it")
    .argument("<rule>", "rule id, as `snag rules` lists them (e.g. missing-module)")
    .action((id: string) => {
      const rule = findRule(id);
      io.out(explanation(rule));
      return done(0);
    });
}

function findRule(id: string): RuleMeta {
  const rule = RULES.find((r) => r.id === id);
  if (rule) return rule;
  const ids = RULES.map((r) => r.id);
  const suggestion = spellingSuggestion(id, ids);
  const hint = suggestion ? `; did you mean '${suggestion}'?` : "";
  throw new UsageError(`unknown rule '${id}' (known: ${[...ids].sort().join(", ")})${hint}`);
}

function ruleJson(rule: RuleMeta) {
  const { what, why, example, fix } = rule.docs;
  return { id: rule.id, severity: rule.severity, summary: rule.summary, docs: { what, why, example, fix }, fixes: [...(rule.fixes ?? [])] };
}

function explanation(rule: RuleMeta): string {
  const heading = (title: string) => pc.bold(title);
  const out = [
    `${pc.bold(rule.id)} ${severity(`(${rule.severity})`, rule)}`,
    ...wrap(rule.summary, ""),
    "",
    heading("What it detects"),
    ...wrap(rule.docs.what, "  "),
    "",
    heading("Why it matters"),
    ...wrap(rule.docs.why, "  "),
    "",
    heading("Example"),
    // Indented, not wrapped: the example is code, and its line breaks and spacing are meaningful.
    ...rule.docs.example.replace(/\r\n?/g, "\n").split("\n").map((line) => (line ? `    ${line}` : "")),
    "",
    heading("How to fix"),
    ...wrap(rule.docs.fix, "  "),
    "",
    heading("Automatic fixes (snag fix)"),
  ];
  const fixes = rule.fixes ?? [];
  if (fixes.length === 0) out.push(...wrap(`${NO_FIX}.`, "  "));
  else for (const kind of fixes) out.push(...wrap(`${kind}: ${FIX_SUMMARIES[kind]}`, "  - ", "    "));
  return `${out.join("\n")}\n`;
}

function severity(text: string, rule: RuleMeta): string {
  return rule.severity === "error" ? pc.red(text) : rule.severity === "warning" ? pc.yellow(text) : pc.dim(text);
}

/** Greedy word wrap; a word longer than the line stays whole rather than being split mid-identifier. */
function wrap(text: string, first: string, rest: string = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
