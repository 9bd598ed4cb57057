/**
 * What `snag fix` proposes: plain data, computed from a scan and its findings, applied only on request.
 *
 * Offsets are UTF-16 code unit offsets into the file's decoded text (the same units tree-sitter and
 * JavaScript strings use), so an edit never splits a character and the file's own encoding, BOM and
 * line endings are restored when it is written back.
 */
import type { RuleId } from "../analyze/model.js";

/** `safe`: cannot change the behaviour of code that already imports. `review`: a person should look. */
export type Safety = "safe" | "review";

export type FixKind =
  | "bridge-module"
  | "rewrite-import"
  | "root-fix"
  | "rename-import"
  | "compat-alias"
  | "lazy-import"
  | "importorskip"
  | "register-marker"
  | "reorder-bases"
  | "declare-dependency"
  | "export-name";

/** Replace `[start, end)` of a file's decoded text with `text`. */
export interface TextEdit {
  /** Repository-relative, `/`-separated. */
  file: string;
  start: number;
  end: number;
  text: string;
}

/** A file that does not exist yet. */
export interface CreateFile {
  file: string;
  text: string;
}

export interface Fix {
  kind: FixKind;
  /** One line, imperative: what the fix does. */
  title: string;
  safety: Safety;
  edits: TextEdit[];
  creates: CreateFile[];
}

/** The fixes for one finding: the preferred one first, then alternatives; or why there is none. */
export interface Remedy {
  rule: RuleId;
  target: string;
  file: string;
  line: number;
  fixes: Fix[];
  /** When `fixes` is empty: why no change is sound, in one sentence. */
  unfixable?: string;
}
