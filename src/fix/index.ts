/**
 * The fix stage: remedies for every finding, the fixes a run selects, and the file changes they make.
 */
import type { CheckResult } from "../analyze/check.js";
import type { RuleId } from "../analyze/model.js";
import type { Scan } from "../pipeline/scan.js";
import { planChanges, type Plan } from "./apply.js";
import { FixContext, type FixOptions } from "./context.js";
import { unifiedDiff } from "./diff.js";
import type { Fix, Remedy } from "./model.js";
import { planRemedies } from "./plan.js";

export interface FixSelection {
  rules?: RuleId[];
  /** Repository-relative files or directories, or targets (module or name): a remedy matches any. */
  only?: string[];
  safeOnly?: boolean;
}

export type { FixOptions } from "./context.js";

export interface FixOutcome {
  remedies: Remedy[];
  /** The fix chosen for each selected remedy, in finding order. */
  chosen: { remedy: Remedy; fix: Fix }[];
  plan: Plan;
  /** The unified diff of one fix on its own. */
  patch: (fix: Fix) => string;
}

export function computeFixes(scan: Scan, result: CheckResult, selection: FixSelection = {}, options: FixOptions = {}): FixOutcome {
  const ctx = new FixContext(scan, result, options);
  const remedies = planRemedies(ctx);
  const chosen: { remedy: Remedy; fix: Fix }[] = [];
  const seen = new Set<string>();
  for (const remedy of remedies) {
    if (selection.rules && !selection.rules.includes(remedy.rule)) continue;
    if (selection.only && !selection.only.some((o) => matches(remedy, o))) continue;
    const fix = remedy.fixes.find((f) => !selection.safeOnly || f.safety === "safe");
    if (!fix) continue;
    // Findings that share a root cause (a warning and an error on one import) propose one change.
    const key = JSON.stringify([fix.edits, fix.creates]);
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push({ remedy, fix });
  }
  // Every file a chosen fix edits was read through the context, so documents are all loaded.
  const plan = planChanges(
    chosen.map((c) => c.fix),
    ctx.loadedDocs(),
    (file) => ctx.exists(file),
  );
  const patch = (fix: Fix) => unifiedDiff(planChanges([fix], ctx.loadedDocs(), (file) => ctx.exists(file)).changes);
  return { remedies, chosen, plan, patch };
}

function matches(remedy: Remedy, only: string): boolean {
  const path = only.replace(/^\.\//, "").replace(/\/$/, "");
  const files = [remedy.file, ...remedy.fixes.flatMap((f) => [...f.edits.map((e) => e.file), ...f.creates.map((c) => c.file)])];
  return remedy.target === only || files.some((f) => f === path || f.startsWith(`${path}/`));
}

export type { Fix, Remedy } from "./model.js";
