import type { Command } from "commander";
import { check } from "../analyze/check.js";
import type { RuleId } from "../analyze/model.js";
import { unifiedDiff } from "../fix/diff.js";
import { computeFixes, type FixSelection } from "../fix/index.js";
import { writeChanges } from "../fix/write.js";
import { remediesToJson } from "../report/fix-json.js";
import { RULES } from "../rules/index.js";
import { addEnvironmentOptions, checkRoot, formatOption, UsageError, type Io } from "./main.js";
import { pythonMeta, scanWithProgress, type EnvironmentFlags } from "./shared.js";

interface FixFlags extends EnvironmentFlags {
  format: "diff" | "json";
  apply?: boolean;
  rule?: string[];
  only?: string[];
  safeOnly?: boolean;
  bridgeWarning?: boolean;
}

export function fixCommand(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command("fix")
    .description("propose the smallest change for each root cause, as a unified diff; --apply writes it")
    .argument("[path]", "repository to fix", ".")
    .addOption(formatOption(["diff", "json"], "diff"))
    .option("--apply", "write the changes (atomically, inside the repository only)")
    .option("--rule <id...>", "only fix findings of these rules")
    .option("--only <file-or-target...>", "only fix findings in these files or directories, or about these modules or names")
    .option("--safe-only", "only fixes that cannot change the behaviour of code that already imports")
    .option("--bridge-warning", "bridge modules emit a DeprecationWarning naming the new location (not when pytest turns warnings into errors)")
    .addHelpText(
      "after",
      "\nExit status: 0 when there is nothing to fix or the fixes were written; 1 when fixes are pending (without --apply); 2 on errors or when a write is refused.",
    );
  addEnvironmentOptions(cmd).action(async (path: string, flags: FixFlags) => {
    const root = checkRoot(path);
    const selection: FixSelection = {};
    if (flags.rule) selection.rules = parseRules(flags.rule);
    if (flags.only) selection.only = flags.only;
    if (flags.safeOnly) selection.safeOnly = true;
    const scanned = await scanWithProgress(root, flags);
    const outcome = computeFixes(scanned, check(scanned), selection, flags.bridgeWarning ? { bridgeWarning: true } : {});
    const { plan } = outcome;
    const note = (text: string) => {
      if (!flags.quiet) io.err(text);
    };
    if (flags.format === "json") io.out(remediesToJson(outcome, { root: ".", python: pythonMeta(scanned.env) }));
    else if (!flags.apply) io.out(unifiedDiff(plan.changes));
    for (const s of plan.skipped) io.err(`snag: left out "${s.fix.title}": ${s.reason}\n`);
    const unfixable = outcome.remedies.filter((r) => r.fixes.length === 0 && r.unfixable).length;
    const tail = unfixable > 0 ? `; ${unfixable} finding${unfixable === 1 ? "" : "s"} without a sound fix (see snag report)` : "";
    if (plan.changes.length === 0) {
      note(`snag: nothing to fix${tail}\n`);
      done(0);
      return;
    }
    const files = plan.changes.length;
    const fixes = plan.applied.length;
    const summary = `${fixes} fix${fixes === 1 ? "" : "es"} changing ${files} file${files === 1 ? "" : "s"}`;
    if (!flags.apply) {
      note(`snag: ${summary} (run with --apply to write them)${tail}\n`);
      done(1);
      return;
    }
    const written = writeChanges(scanned.discovery.root, plan.changes);
    if (written.refused.length > 0) {
      for (const r of written.refused) io.err(`snag: refused to write ${r.file}: ${r.reason}\n`);
      io.err("snag: nothing was written\n");
      done(2);
      return;
    }
    for (const f of written.written) note(`snag: wrote ${f}\n`);
    note(`snag: applied ${summary}${tail}\n`);
    done(0);
  });
}

function parseRules(values: string[]): RuleId[] {
  const ids = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const known = new Set(RULES.map((r) => r.id));
  for (const id of ids) if (!known.has(id as RuleId)) throw new UsageError(`unknown rule '${id}' (known: ${[...known].sort().join(", ")})`);
  return ids as RuleId[];
}


