/**
 * A repository file as `snag fix` sees it: the bytes it was computed from, the decoded text, and
 * how to turn edited text back into bytes the same way (encoding, BOM, line endings).
 */
import { decodePythonSource, hashBytes } from "../parse/source.js";

export interface Document {
  file: string;
  /** sha256 of the bytes read: a write is refused when the file no longer has them. */
  hash: string;
  text: string;
  bom: boolean;
  /** `utf-8` (also for ascii files), or `latin-1`. */
  encoding: "utf-8" | "latin-1";
  /** The newline the file already uses, for inserted lines. */
  eol: "\n" | "\r\n";
}

export type LoadResult = { ok: true; doc: Document } | { ok: false; reason: string };

/** Python source and config files alike: PEP 263 decides, which for TOML/INI means UTF-8. */
export function loadDocument(file: string, bytes: Uint8Array): LoadResult {
  const decoded = decodePythonSource(bytes);
  if (!decoded.ok) return { ok: false, reason: decoded.message };
  // Only encodings that round-trip exactly through Node's Buffer are edited.
  const encoding = decoded.encoding === "latin-1" ? "latin-1" : decoded.encoding === "ascii" || decoded.encoding === "utf-8" || decoded.encoding === "utf-8-sig" ? "utf-8" : undefined;
  if (!encoding) return { ok: false, reason: `snag does not rewrite files in ${decoded.encoding}` };
  const text = decoded.text;
  return { ok: true, doc: { file, hash: hashBytes(bytes), text, bom: decoded.bom, encoding, eol: detectEol(text) } };
}

export function detectEol(text: string): "\n" | "\r\n" {
  const lf = text.indexOf("\n");
  return lf > 0 && text[lf - 1] === "\r" ? "\r\n" : "\n";
}

export function encodeDocument(doc: Pick<Document, "bom" | "encoding">, text: string): Buffer {
  const body = Buffer.from(text, doc.encoding === "latin-1" ? "latin1" : "utf8");
  return doc.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** Text for a new line in this document: `\n` in generated snippets becomes the file's newline. */
export function withEol(doc: Pick<Document, "eol">, snippet: string): string {
  return doc.eol === "\n" ? snippet : snippet.replace(/\r?\n/g, "\r\n");
}

/** Offset of the start of 1-based `line`. */
export function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** Offset just past the newline ending the line that contains `offset` (or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const next = text.indexOf("\n", offset);
  return next < 0 ? text.length : next + 1;
}
