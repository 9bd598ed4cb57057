/**
 * Inline suppressions: `# snag: ignore[rule-id, ...]` (Python) or `// snag-ignore rule-id` (for
 * TypeScript files) on the line a finding points at, or on any line where its root cause fails.
 * Without a rule list (`# snag: ignore`), every rule is suppressed on that line. A suppression
 * hides a finding from reports and exit codes; it does not make the import work.
 */
import type { Finding, RuleId } from "./model.js";

const PYTHON = /#\s*snag:\s*ignore(?:\[([^\]]*)\])?/;
const SLASHES = /\/\/\s*snag-ignore\b([ \t]+[\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)?/;

/** The rules a source line suppresses: `"all"`, a list, or none. */
export function suppressionsOn(line: string): "all" | RuleId[] | undefined {
  const m = PYTHON.exec(line) ?? SLASHES.exec(line);
  if (!m) return undefined;
  const list = (m[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return list.length === 0 ? "all" : (list as RuleId[]);
}

export function isSuppressed(finding: Finding, lineOf: (file: string, line: number) => string | undefined): boolean {
  const places = [{ file: finding.file, line: finding.line }, ...(finding.sites ?? [])];
  return places.some((p) => {
    const text = lineOf(p.file, p.line);
    const rules = text === undefined ? undefined : suppressionsOn(text);
    return rules === "all" || (rules !== undefined && rules.includes(finding.rule));
  });
}
