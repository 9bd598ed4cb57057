/**
 * Parse results by content hash, kept between runs: a file whose bytes have not changed is not
 * parsed again. The key is the sha256 of the bytes; the pack also carries the code fingerprint,
 * so a different snag build starts from empty.
 */
import { deserialize, serialize } from "node:v8";
import type { ParsedFile } from "../parse/index.js";
import type { CacheDir } from "./dir.js";
import { codeFingerprint } from "./fingerprint.js";

const ENTRY = "facts.v8";

/** Entries per serialized chunk: the pack is written and read a chunk at a time. */
const CHUNK = 2000;

/**
 * The pack: length-prefixed v8-serialized records, first `{ fingerprint }`, then arrays of
 * `[hash, result]` in hash order. One serialize() of everything held a second copy of all facts
 * (240 MB at 50k modules) at the end of a cold run.
 */
function* packChunks(entries: [string, ParsedFile][]): Generator<Uint8Array> {
  const framed = (value: unknown): Uint8Array => {
    const body = serialize(value);
    const out = Buffer.allocUnsafe(4 + body.length);
    out.writeUInt32LE(body.length, 0);
    body.copy(out, 4);
    return out;
  };
  yield framed({ fingerprint: codeFingerprint() });
  for (let i = 0; i < entries.length; i += CHUNK) yield framed(entries.slice(i, i + CHUNK));
}

function unpack(bytes: Buffer): Map<string, ParsedFile> | undefined {
  const records: unknown[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 4 > bytes.length) return undefined;
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) return undefined;
    records.push(deserialize(bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  const [head, ...chunks] = records as [{ fingerprint?: unknown } | undefined, ...unknown[]];
  if (head?.fingerprint !== codeFingerprint()) return undefined;
  const entries = new Map<string, ParsedFile>();
  for (const chunk of chunks) {
    if (!Array.isArray(chunk)) return undefined;
    for (const entry of chunk as [string, ParsedFile][]) entries.set(entry[0], entry[1]);
  }
  return entries;
}

export class FactsCache {
  private readonly old: Map<string, ParsedFile>;
  private readonly now = new Map<string, ParsedFile>();

  private constructor(
    private readonly dir: CacheDir | undefined,
    old: Map<string, ParsedFile>,
  ) {
    this.old = old;
  }

  static open(dir: CacheDir | undefined): FactsCache {
    const bytes = dir?.read(ENTRY);
    let old = new Map<string, ParsedFile>();
    if (bytes) {
      try {
        old = unpack(bytes) ?? old;
      } catch {
        // A damaged pack is an empty one.
      }
    }
    return new FactsCache(dir, old);
  }

  get(hash: string): ParsedFile | undefined {
    return this.old.get(hash);
  }

  /** Every file of this run, parsed or not: the next pack holds exactly these. */
  remember(hash: string, result: ParsedFile): void {
    this.now.set(hash, result);
  }

  /** Writes the pack when its set of contents differs from what was read (identical files share an entry). */
  save(): void {
    if (!this.dir) return;
    if (this.now.size === this.old.size && [...this.now.keys()].every((hash) => this.old.has(hash))) return;
    const entries = [...this.now].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.dir.write(ENTRY, packChunks(entries));
  }
}
