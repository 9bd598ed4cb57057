/**
 * `snag check --format github`: GitHub Actions workflow commands, one annotation per finding, so
 * each root cause shows on the line that fails in the pull request's diff and the run summary.
 * Then one plain summary line for the log.
 *
 * The runner splits a command at its first `::` and its properties at `,` and `=`, so values are
 * escaped the way the runner's own toolkit escapes them: `%`, CR and LF in the message, and also
 * `:` and `,` in properties. A message can therefore never end the command early or start another.
 */
import type { CheckResult } from "../analyze/check.js";
import type { Finding, Severity } from "../analyze/model.js";
import { findingText } from "./sarif.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function annotation(f: Finding): string {
  const props: [string, string][] = [["file", f.file]];
  if (f.line >= 1) props.push(["line", String(f.line)]);
  if (f.line >= 1 && f.column >= 1) props.push(["col", String(f.column)]);
  props.push(["title", `${f.rule}: ${f.target}`]);
  const list = props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(",");
  return `::${COMMAND[f.severity]} ${list}::${escapeData(findingText(f))}`;
}

export function checkToGithub(result: CheckResult): string {
  const lines = result.findings.map(annotation);
  lines.push(summary(result));
  return `${lines.join("\n")}\n`;
}

function summary(result: CheckResult): string {
  const tests = result.tests.filter((t) => t.kind === "test");
  const blocked = tests.filter((t) => !t.collectable).length;
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const others = result.findings.length - errors;
  const broken = result.modules.filter((m) => !m.importable).length;
  const s = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const head =
    errors === 0
      ? `snag: ${s(tests.length, "test file")} and ${s(result.modules.length, "module")} import cleanly`
      : `snag: ${s(errors, "root cause")} block${errors === 1 ? "s" : ""} ${blocked} of ${s(tests.length, "test file")} (${broken} of ${s(result.modules.length, "module")} fail to import)`;
  // Printed as is: a plain line is not a command (it does not start with `::`), so nothing is unescaped.
  return head + (others > 0 ? `; ${s(others, "other finding")}` : "");
}
