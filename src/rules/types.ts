import type { RuleId, Severity } from "../analyze/model.js";

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
}
