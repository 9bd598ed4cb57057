/**
 * Bytes → text the way CPython reads a source file: UTF-8 by default, a UTF-8 BOM allowed, a PEP 263
 * coding declaration on line 1 or 2, and a SyntaxError (not a crash) for anything it cannot decode.
 */
import { createHash } from "node:crypto";

/** The content hash of a file's bytes: the facts cache's key, and what `snag fix` checks before it writes. */
export function hashBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type DecodeResult =
  | {
      ok: true;
      text: string;
      encoding: string;
      bom: boolean;
      /**
       * UTF-8 that does not decode, read with U+FFFD in place of the bad bytes. CPython's
       * tokenizer skips comments without decoding them, so only its compiler can say whether
       * the file is refused (confirm-syntax.ts); this is what to report if it is.
       */
      undecodable?: { message: string; line: number };
    }
  | { ok: false; reason: "binary" | "encoding"; message: string; line: number };

// PEP 263: the declaration is a comment on line 1, or on line 2 when line 1 is a comment or blank.
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export function decodePythonSource(bytes: Uint8Array): DecodeResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      ok: false,
      reason: "binary",
      message: "source code cannot contain null bytes (binary file?)",
      line: lineOfOffset(bytes, nul),
    };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = declaredEncoding(body);
  let label = "utf-8";
  if (declared) {
    const normal = normaliseEncoding(declared);
    // CPython's get_normal_name: only "utf-8" and "utf-8-*" (any case, _ for -) count as UTF-8 here.
    const cpythonUtf8 = /^utf[-_]8([-_].*)?$/i.test(declared);
    if (bom && !cpythonUtf8) {
      return { ok: false, reason: "encoding", message: `encoding problem: ${declared} with BOM`, line: 1 };
    }
    label = normal;
  }
  // WHATWG maps "ascii" and "latin1" to windows-1252; Python's codecs are stricter or different.
  if (label === "ascii" || label === "us-ascii") {
    const bad = body.findIndex((b) => b > 0x7f);
    if (bad !== -1) return { ok: false, reason: "encoding", message: "(unicode error) 'ascii' codec can't decode the file", line: lineOfOffset(body, bad) };
    return { ok: true, text: Buffer.from(body).toString("latin1"), encoding: "ascii", bom };
  }
  if (label === "latin1") return { ok: true, text: Buffer.from(body).toString("latin1"), encoding: "latin-1", bom };
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    return { ok: false, reason: "encoding", message: `unknown encoding: ${declared}`, line: 1 };
  }
  try {
    return { ok: true, text: decoder.decode(body), encoding: bom ? "utf-8-sig" : label, bom };
  } catch {
    if (label === "utf-8") {
      return {
        ok: true,
        text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(body),
        encoding: bom ? "utf-8-sig" : label,
        bom,
        undecodable: { message: "(unicode error) 'utf-8' codec can't decode the file", line: firstUndecodableLine(body, label) },
      };
    }
    return {
      ok: false,
      reason: "encoding",
      message: `(unicode error) '${label}' codec can't decode the file`,
      line: firstUndecodableLine(body, label),
    };
  }
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The declaration itself is ASCII; reading the first two lines as latin-1 never fails.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512));
  const lines = head.split(/\r\n|\r|\n/, 2);
  const first = lines[0] ?? "";
  const m1 = CODING.exec(first);
  if (m1) return m1[1];
  if (/^[ \t\f]*(#.*)?$/.test(first)) {
    const m2 = CODING.exec(lines[1] ?? "");
    if (m2) return m2[1];
  }
  return undefined;
}

function normaliseEncoding(name: string): string {
  const n = name.toLowerCase().replace(/_/g, "-");
  if (n === "utf-8" || n.startsWith("utf-8-") || n === "utf8") return "utf-8";
  if (n === "latin-1" || n.startsWith("latin-1-") || n === "iso-8859-1" || n.startsWith("iso-latin-1")) return "latin1";
  return n;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstUndecodableLine(bytes: Uint8Array, label: string): number {
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return 1;
}

/**
 * Bytes → text the way Node and tsc read a script: UTF-8, a BOM dropped, bad bytes replaced (Node
 * does not refuse them). A NUL byte means a binary file, which tsc refuses ("appears to be binary").
 */
export function decodeScriptSource(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: "binary"; message: string; line: number } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: "binary", message: "file appears to be binary (it has a NUL byte)", line: lineOfOffset(bytes, nul) };
  return { ok: true, text: new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes) };
}
