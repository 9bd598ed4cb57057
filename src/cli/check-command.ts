import { writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Option, type Command } from "commander";
import { baselineOf, baselineToJson, readBaseline, splitByBaseline } from "../analyze/baseline.js";
import { check, type CheckResult } from "../analyze/check.js";
import type { Finding, Severity } from "../analyze/model.js";
import { computeFixes, type Fix } from "../fix/index.js";
import type { CacheDir } from "../cache/dir.js";
import type { Scan } from "../pipeline/scan.js";
import { checkToJson } from "../report/check-json.js";
import { checkToText } from "../report/check-text.js";
import { checkToGithub } from "../report/github.js";
import { checkToJunit } from "../report/junit.js";
import { reportToMarkdown } from "../report/markdown.js";
import { checkToMarkdownSummary } from "../report/markdown-summary.js";
import { checkToSarif } from "../report/sarif.js";
import { addEnvironmentOptions, checkRoot, formatOption, UsageError, type Io } from "./main.js";
import { startObserving, stopObserving } from "../cache/observed-fs.js";
import { currentContext, runKey, saveRun } from "../cache/run-memo.js";
import { mark } from "../model/timings.js";
import { cacheFor, pythonMeta, scanWithProgress, type EnvironmentFlags } from "./shared.js";

const FORMATS = ["text", "json", "sarif", "github", "junit", "markdown"] as const;

interface CheckFlags extends EnvironmentFlags {
  format: (typeof FORMATS)[number];
  failOn?: Severity | "none";
  verbose?: boolean;
  summary?: boolean;
  baseline?: string;
  writeBaseline?: string;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function checkCommand(program: Command, io: Io, done: (code: number) => void, argv: readonly string[]): void {
  const cmd = program
    .command("check")
    .description("predict which Python and TypeScript/JavaScript modules and test files will fail to import or collect (pytest, vitest), why, and what to change")
    .argument("[path]", "repository to scan", ".")
    .addOption(formatOption([...FORMATS], "text"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at least this severe (default: error, or fail-on in the config)").choices(["error", "warning", "info", "none"]))
    .option("--summary", "with --format markdown: a summary sized for a pull-request comment")
    .option("--baseline <file>", "report and fail only on findings the baseline does not already know")
    .option("--write-baseline <file>", "record today's findings as the baseline (then exit 0)")
    .option("-v, --verbose", "also list info-level findings and diagnostics");
  addEnvironmentOptions(cmd).action(async (path: string, flags: CheckFlags) => {
    const root = checkRoot(path);
    if (flags.summary && flags.format !== "markdown") throw new UsageError("--summary goes with --format markdown");
    const cache = cacheFor(root, flags);
    // A run that writes a baseline has an effect besides its output, so it is never replayed.
    if (!cache || flags.writeBaseline !== undefined) return done(await run(root, flags, io, cache));
    // Everything this run looks at is noted, so that replay.ts can repeat it while nothing changed.
    const printed = { out: "", err: "" };
    const teeing: Io = {
      out: (t) => ((printed.out += t), io.out(t)),
      err: (t) => ((printed.err += t), io.err(t)),
    };
    startObserving([cache.path]);
    let code: number;
    try {
      code = await run(root, flags, teeing, cache);
    } catch (err) {
      stopObserving();
      throw err;
    }
    saveRun(cache, runKey(currentContext(argv)), stopObserving(), { ...printed, code });
    mark("save run");
    done(code);
  });
}

async function run(root: string, flags: CheckFlags, io: Io, cache: CacheDir | undefined): Promise<number> {
  const scanned = await scanWithProgress(root, flags, cache);
  let checked = check(scanned);
  mark("check");

  if (flags.writeBaseline !== undefined) {
    const file = resolve(flags.writeBaseline);
    try {
      writeFileSync(file, baselineToJson(baselineOf(checked.findings)));
    } catch (err) {
      throw new UsageError(`cannot write the baseline ${flags.writeBaseline}: ${(err as Error).message}`);
    }
    if (!flags.quiet) io.err(`snag: wrote ${checked.findings.length} finding${checked.findings.length === 1 ? "" : "s"} to ${flags.writeBaseline}\n`);
  } else {
    // A baseline named in the configuration is relative to the repository.
    const baseline = flags.baseline !== undefined ? resolve(flags.baseline) : scanned.config.baseline !== undefined ? resolve(scanned.discovery.root, scanned.config.baseline) : undefined;
    if (baseline !== undefined) {
      const { fresh, known } = splitByBaseline(checked.findings, readBaseline(baseline));
      checked = { ...checked, findings: fresh, baselined: known.length };
    }
  }

  io.out(render(flags, scanned, checked));
  mark("render");
  if (flags.writeBaseline !== undefined) return 0;
  const failOn = flags.failOn ?? scanned.config.failOn ?? "error";
  const threshold = failOn === "none" ? Infinity : RANK[failOn];
  return checked.findings.some((f) => RANK[f.severity] >= threshold) ? 1 : 0;
}

function render(flags: CheckFlags, scanned: Scan, checked: CheckResult): string {
  const root = scanned.discovery.root;
  switch (flags.format) {
    case "json":
      return checkToJson(checked, { root: ".", python: pythonMeta(scanned.env), diagnostics: scanned.diagnostics });
    case "sarif": {
      // Remedies come one per finding, in finding order; the first fix is the preferred one.
      const { remedies } = computeFixes(scanned, checked);
      const fixes = new Map<Finding, Fix>();
      checked.findings.forEach((f, i) => {
        const fix = remedies[i]?.fixes[0];
        if (fix) fixes.set(f, fix);
      });
      return checkToSarif(checked, { root, fixes, diagnostics: scanned.diagnostics });
    }
    case "github":
      return checkToGithub(checked);
    case "junit":
      return checkToJunit(checked);
    case "markdown": {
      const fixes = computeFixes(scanned, checked);
      const python = scanned.env.version.join(".");
      if (flags.summary) return checkToMarkdownSummary(checked, fixes, { name: basename(root), python });
      const pytest = scanned.resolved.distributions.all.find((d) => d.normalized === "pytest")?.version;
      return reportToMarkdown(checked, fixes, { root, name: basename(root), python, ...(pytest ? { pytest } : {}), diagnostics: scanned.diagnostics });
    }
    default:
      return checkToText(checked, scanned.diagnostics, { root, verbose: flags.verbose === true });
  }
}
