import type { RuleId, Severity } from "../analyze/model.js";
import type { FixKind } from "../fix/model.js";

/** A rule's metadata: the source of `snag rules`, `snag explain` and docs/rules/*.md. */
export interface RuleMeta {
  id: RuleId;
  /** One line. */
  summary: string;
  severity: Severity;
  docs: {
    what: string;
    why: string;
    example: string;
    fix: string;
  };
  /**
   * The fix kinds `snag fix` can propose for this rule's findings (src/fix/plan.ts), the usual
   * preferred one first. Absent or empty: snag proposes no edit and says why no change is sound.
   */
  fixes?: readonly FixKind[];
}
