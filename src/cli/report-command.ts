import { renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { check } from "../analyze/check.js";
import { computeFixes } from "../fix/index.js";
import { htmlReportData } from "../report/html/data.js";
import { htmlPage, ViewerMissingError } from "../report/html/page.js";
import { reportToMarkdown } from "../report/markdown.js";
import { checkToMarkdownSummary } from "../report/markdown-summary.js";
import { addEnvironmentOptions, checkRoot, formatOption, UsageError, type Io } from "./main.js";
import { scanWithProgress, type EnvironmentFlags } from "./shared.js";

interface ReportFlags extends EnvironmentFlags {
  format: "markdown" | "html";
  summary?: boolean;
  output?: string;
}

/** Where `snag report --format html` writes when neither --output nor a pipe says otherwise. */
export const DEFAULT_HTML_FILE = "snag-report.html";

export function reportCommand(program: Command, io: Io, done: (code: number) => void, stdoutIsTty: () => boolean = () => process.stdout.isTTY === true): void {
  const cmd = program
    .command("report")
    .description("write a remediation report: what is blocked, each root cause with its chain, code and proposed patch (markdown), or an interactive import graph (html)")
    .argument("[path]", "repository to scan", ".")
    .addOption(formatOption(["markdown", "html"], "markdown"))
    .option("--summary", "with --format markdown: a summary sized for a pull-request comment")
    .option("-o, --output <file>", `write the report to this file instead of standard output (html on a terminal: ${DEFAULT_HTML_FILE})`);
  addEnvironmentOptions(cmd).action(async (path: string, flags: ReportFlags) => {
    const root = checkRoot(path);
    if (flags.summary && flags.format !== "markdown") throw new UsageError("--summary goes with --format markdown");
    const scanned = await scanWithProgress(root, flags);
    const checked = check(scanned);
    const fixes = computeFixes(scanned, checked);
    const name = basename(scanned.discovery.root);
    const python = scanned.env.version.join(".");
    const pytest = scanned.resolved.distributions.all.find((d) => d.normalized === "pytest")?.version;
    let text: string;
    if (flags.format === "html") {
      const data = htmlReportData(scanned, checked, fixes, { name, python, ...(pytest ? { pytest } : {}), diagnostics: scanned.diagnostics });
      try {
        text = htmlPage(data);
      } catch (err) {
        if (err instanceof ViewerMissingError) throw new UsageError(err.message);
        throw err;
      }
    } else if (flags.summary) {
      text = checkToMarkdownSummary(checked, fixes, { name, python });
    } else {
      text = reportToMarkdown(checked, fixes, { root: scanned.discovery.root, name, python, ...(pytest ? { pytest } : {}), diagnostics: scanned.diagnostics });
    }
    // A page of minified script is no use on a terminal: write it to a file and say where.
    const output = flags.output ?? (flags.format === "html" && stdoutIsTty() ? DEFAULT_HTML_FILE : undefined);
    if (output === undefined) {
      io.out(text);
    } else {
      writeReport(output, text);
      if (!flags.quiet) io.err(`snag: wrote ${output}\n`);
    }
    done(0);
  });
}

/** Whole or not at all: a half-written report must never replace a good one. */
function writeReport(output: string, text: string): void {
  const file = resolve(output);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    throw new UsageError(`cannot write ${output}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (err as Error).message}`);
  }
}
