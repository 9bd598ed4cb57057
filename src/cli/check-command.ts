import { Option, type Command } from "commander";
import { check } from "../analyze/check.js";
import type { Finding, Severity } from "../analyze/model.js";
import { computeFixes, type Fix } from "../fix/index.js";
import { scan } from "../pipeline/scan.js";
import { checkToJson } from "../report/check-json.js";
import { checkToText } from "../report/check-text.js";
import { checkToGithub } from "../report/github.js";
import { checkToJunit } from "../report/junit.js";
import { checkToSarif } from "../report/sarif.js";
import { addEnvironmentOptions, checkRoot, formatOption, type Io } from "./main.js";
import { pythonMeta, scanOptions, type EnvironmentFlags } from "./shared.js";

interface CheckFlags extends EnvironmentFlags {
  format: "text" | "json" | "sarif" | "github" | "junit";
  failOn: Severity | "none";
  verbose?: boolean;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function checkCommand(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command("check")
    .description("predict which modules and test files will fail to import or collect, why, and what to change")
    .argument("[path]", "repository to scan", ".")
    .addOption(formatOption(["text", "json", "sarif", "github", "junit"], "text"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at least this severe").choices(["error", "warning", "info", "none"]).default("error"))
    .option("-v, --verbose", "also list info-level findings and diagnostics");
  addEnvironmentOptions(cmd).action(async (path: string, flags: CheckFlags) => {
    const root = checkRoot(path);
    const result = await scan(root, scanOptions(flags));
    const checked = check(result);
    if (flags.format === "json") {
      io.out(checkToJson(checked, { root: ".", python: pythonMeta(result.env), diagnostics: result.diagnostics }));
    } else if (flags.format === "sarif") {
      // Remedies come one per finding, in finding order; the first fix is the preferred one.
      const { remedies } = computeFixes(result, checked);
      const fixes = new Map<Finding, Fix>();
      checked.findings.forEach((f, i) => {
        const fix = remedies[i]?.fixes[0];
        if (fix) fixes.set(f, fix);
      });
      io.out(checkToSarif(checked, { root: result.discovery.root, fixes, diagnostics: result.diagnostics }));
    } else if (flags.format === "github") {
      io.out(checkToGithub(checked));
    } else if (flags.format === "junit") {
      io.out(checkToJunit(checked));
    } else {
      io.out(checkToText(checked, result.diagnostics, { root: result.discovery.root, verbose: flags.verbose === true }));
    }
    const threshold = flags.failOn === "none" ? Infinity : RANK[flags.failOn];
    done(checked.findings.some((f) => RANK[f.severity] >= threshold) ? 1 : 0);
  });
}
