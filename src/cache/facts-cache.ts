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

interface Pack {
  fingerprint: string;
  entries: Map<string, ParsedFile>;
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
        const pack = deserialize(bytes) as Pack;
        if (pack.fingerprint === codeFingerprint() && pack.entries instanceof Map) old = pack.entries;
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
    const entries = new Map([...this.now].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.dir.write(ENTRY, serialize({ fingerprint: codeFingerprint(), entries } satisfies Pack));
  }
}
