/**
 * A third-party import whose distribution the project does not declare: declare it where the
 * project declares its other dependencies.
 */
import type { Finding } from "../../analyze/model.js";
import { declareDependencyEdits } from "../config-edits.js";
import type { FixContext } from "../context.js";
import type { Fix } from "../model.js";

export function declareDependencyFix(ctx: FixContext, finding: Finding): Fix | string {
  const dist = ctx.scan.resolved.distributions.all.find((d) => d.topLevel.includes(finding.target));
  if (!dist) return `no installed distribution provides '${finding.target}'`;
  const declared = ctx.scan.discovery.declarations.dependencies.filter((d) => !d.extra);
  const files = [...new Set(declared.map((d) => d.file))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  for (const file of files) {
    const doc = ctx.doc(file);
    if (typeof doc === "string") continue;
    const edits = declareDependencyEdits({ file, text: doc.text }, dist.name);
    if (edits && edits.length > 0) return { kind: "declare-dependency", title: `Declare '${dist.name}' in ${file}`, safety: "safe", edits, creates: [] };
  }
  return "the project has no dependency list snag can add to";
}

function rank(file: string): number {
  return file === "pyproject.toml" ? 0 : file.startsWith("requirements") ? 1 : 2;
}
