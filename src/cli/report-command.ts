import { basename } from "node:path";
import type { Command } from "commander";
import { check } from "../analyze/check.js";
import { computeFixes } from "../fix/index.js";
import { reportToMarkdown } from "../report/markdown.js";
import { addEnvironmentOptions, checkRoot, formatOption, type Io } from "./main.js";
import { scanWithProgress, type EnvironmentFlags } from "./shared.js";

interface ReportFlags extends EnvironmentFlags {
  format: "markdown";
}

export function reportCommand(program: Command, io: Io, done: (code: number) => void): void {
  const cmd = program
    .command("report")
    .description("write a remediation report: what is blocked, each root cause with its chain, code and proposed patch")
    .argument("[path]", "repository to scan", ".")
    .addOption(formatOption(["markdown"], "markdown"));
  addEnvironmentOptions(cmd).action(async (path: string, flags: ReportFlags) => {
    const root = checkRoot(path);
    const scanned = await scanWithProgress(root, flags);
    const checked = check(scanned);
    const fixes = computeFixes(scanned, checked);
    const pytest = scanned.resolved.distributions.all.find((d) => d.normalized === "pytest")?.version;
    io.out(
      reportToMarkdown(checked, fixes, {
        root: scanned.discovery.root,
        name: basename(scanned.discovery.root),
        python: scanned.env.version.join("."),
        ...(pytest ? { pytest } : {}),
        diagnostics: scanned.diagnostics,
      }),
    );
    done(0);
  });
}
