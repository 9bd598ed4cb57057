/**
 * Fixes → new file contents, in memory. Several fixes may edit one file; overlapping edits mean two
 * fixes disagree, and the later one is dropped rather than guessed at.
 */
import type { Document } from "./document.js";
import type { Fix, TextEdit } from "./model.js";

export interface FileChange {
  file: string;
  /** Absent for a file that is created. */
  before?: Document;
  after: string;
}

export interface Plan {
  changes: FileChange[];
  applied: Fix[];
  /** Fixes left out, with the reason. */
  skipped: { fix: Fix; reason: string }[];
}

export function planChanges(fixes: Fix[], docs: ReadonlyMap<string, Document>, exists: (file: string) => boolean): Plan {
  const edits = new Map<string, TextEdit[]>();
  const creates = new Map<string, string>();
  const applied: Fix[] = [];
  const skipped: { fix: Fix; reason: string }[] = [];
  for (const fix of fixes) {
    const problem = conflict(fix, edits, creates, docs, exists);
    if (problem) {
      skipped.push({ fix, reason: problem });
      continue;
    }
    for (const e of fix.edits) (edits.get(e.file) ?? edits.set(e.file, []).get(e.file)!).push(e);
    for (const c of fix.creates) creates.set(c.file, c.text);
    applied.push(fix);
  }
  const changes: FileChange[] = [];
  for (const [file, list] of edits) {
    const doc = docs.get(file)!;
    // Back to front, and insertions at one point in reverse so they end up in the order given.
    const sorted = list.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
    let text = doc.text;
    for (const { e } of sorted) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    if (text !== doc.text) changes.push({ file, before: doc, after: text });
  }
  for (const [file, text] of creates) changes.push({ file, after: text });
  changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { changes, applied, skipped };
}

function conflict(
  fix: Fix,
  edits: ReadonlyMap<string, TextEdit[]>,
  creates: ReadonlyMap<string, string>,
  docs: ReadonlyMap<string, Document>,
  exists: (file: string) => boolean,
): string | undefined {
  for (const c of fix.creates) {
    if (creates.has(c.file)) return creates.get(c.file) === c.text ? undefined : `another fix creates ${c.file}`;
    if (exists(c.file)) return `${c.file} already exists`;
  }
  for (const e of fix.edits) {
    if (!docs.has(e.file)) return `${e.file} could not be read`;
    const same = fix.edits.filter((o) => o !== e && o.file === e.file);
    for (const o of [...(edits.get(e.file) ?? []), ...same]) {
      // Two insertions at one point are fine only within one fix (its own order is kept by the sort).
      if (o.start < e.end && e.start < o.end) return `it overlaps another change to ${e.file}`;
      if (o.start === o.end && e.start === e.end && o.start === e.start && !same.includes(o)) return `it inserts where another fix inserts in ${e.file}`;
    }
  }
  return undefined;
}
