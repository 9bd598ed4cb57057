/**
 * `snag fix --format json`: the versioned contract for tools. Edit offsets are UTF-16 code units
 * into the file's decoded text (JavaScript string indices); `patch` is the unified diff of the
 * selected fixes, the same text `snag fix` prints.
 */
import { unifiedDiff } from "../fix/diff.js";
import type { FixOutcome } from "../fix/index.js";

export const FIX_JSON_VERSION = 1;

export function remediesToJson(outcome: FixOutcome, meta: { root: string; python: { executable?: string; version: string; source: string } }): string {
  const selected = new Set(outcome.plan.applied);
  const out = {
    version: FIX_JSON_VERSION,
    kind: "snag-fix",
    root: meta.root,
    python: meta.python,
    remedies: outcome.remedies.map((r) => ({
      rule: r.rule,
      target: r.target,
      file: r.file,
      line: r.line,
      fixes: r.fixes.map((f) => ({
        kind: f.kind,
        title: f.title,
        safety: f.safety,
        selected: selected.has(f),
        edits: f.edits,
        creates: f.creates,
      })),
      ...(r.unfixable ? { unfixable: r.unfixable } : {}),
    })),
    changes: outcome.plan.changes.map((c) => ({ file: c.file, created: !c.before })),
    skipped: outcome.plan.skipped.map((s) => ({ title: s.fix.title, reason: s.reason })),
    patch: unifiedDiff(outcome.plan.changes),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
