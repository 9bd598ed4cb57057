/**
 * File changes → one unified diff in git's format, so `git apply` (or `patch -p1`) takes it as is.
 */
import { structuredPatch } from "diff";
import type { FileChange } from "./apply.js";

export function unifiedDiff(changes: readonly FileChange[]): string {
  let out = "";
  for (const change of changes) {
    const before = change.before?.text ?? "";
    const patch = structuredPatch(`a/${change.file}`, `b/${change.file}`, before, change.after, "", "", { context: 3 });
    if (patch.hunks.length === 0) continue;
    out += `diff --git a/${change.file} b/${change.file}\n`;
    if (!change.before) out += "new file mode 100644\n";
    out += `--- ${change.before ? `a/${change.file}` : "/dev/null"}\n+++ b/${change.file}\n`;
    for (const h of patch.hunks) {
      out += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`;
      for (const line of h.lines) out += `${line}\n`;
    }
  }
  return out;
}

// A zero-length range names the line before it, as diff(1) does (jsdiff names the line after).
function range(start: number, lines: number): string {
  if (lines === 0) return `${Math.max(0, start - 1)},0`;
  return lines === 1 ? `${start}` : `${start},${lines}`;
}
