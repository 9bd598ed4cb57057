/**
 * Parse results by content hash, kept between runs: a file whose bytes have not changed is not
 * parsed again, and a file whose stat state has not changed is not even read. The pack also
 * carries the code fingerprint, so a different snag build starts from empty.
 *
 * The pack is JSON lines: first `{"fingerprint": ...}`, then one line per parse batch, exactly
 * the text a parse worker sent back (parse/pool.ts): `[[key, result], ...]`, each result in
 * parse/wire.ts's compact form, and 0 for a file the cache already knew. Writing it is appending
 * the text already in hand, as the batches come in; re-serialising every result at the end of a
 * cold run cost more than resolving the whole repository. A later run that changed a few files
 * keeps the old lines whose entries are all still in use as they are, and writes the rest of the
 * live entries again.
 */
import { serialize } from "node:v8";
import type { KnownFacts, ParsedFile } from "../parse/index.js";
import { batchText, fromWire, type WireEntry } from "../parse/wire.js";
import type { PathState } from "./observed-fs.js";
import { readRecord, type CacheDir, type CacheReader, type CacheWriter } from "./dir.js";
import { codeFingerprint } from "./fingerprint.js";

const ENTRY = "facts.jsonl";

/** Entries per line when live entries of old lines are written again. */
const CHUNK = 2000;

/**
 * Each file's stat state (observed-fs.ts: size, times, inode) and the hash its bytes had, so
 * that a file whose state has not changed is not even read. A file changed within a moment of
 * the run is not recorded: a second write in the same clock tick could keep its state.
 */
const PATHS = "paths.v8";
const SETTLED_MS = 2000;

interface PathsRecord {
  fingerprint: string;
  /** absolute path → [state, hash] */
  paths: Map<string, [PathState, string]>;
}

/** An old line of the pack: where it is and the entries it holds. */
interface OldLine {
  start: number;
  end: number;
  keys: string[];
}

const NEWLINE = 10;

/** Bytes read at a time: the pack is never held whole (it is 100 MB at 50k modules). */
const CHUNK_BYTES = 4 << 20;

function readPack(pack: CacheReader): { entries: Map<string, ParsedFile>; lines: OldLine[] } | undefined {
  const entries = new Map<string, ParsedFile>();
  const lines: OldLine[] = [];
  let buffered: Buffer = Buffer.alloc(0);
  let base = 0; // offset in the pack of buffered[0]
  let headRead = false;
  for (let at = 0; at < pack.size || buffered.length > 0; ) {
    const nl = buffered.indexOf(NEWLINE);
    if (nl < 0) {
      // A line without its newline at the end was cut short: the whole pack is suspect.
      if (at >= pack.size) return undefined;
      const more = pack.read(at, Math.min(pack.size, at + CHUNK_BYTES));
      at += more.length;
      buffered = buffered.length > 0 ? Buffer.concat([buffered, more]) : more;
      continue;
    }
    const text = buffered.toString("utf8", 0, nl);
    const start = base;
    const end = base + nl;
    buffered = buffered.subarray(nl + 1);
    base = end + 1;
    if (!headRead) {
      const head = JSON.parse(text) as { fingerprint?: unknown } | null;
      if (head?.fingerprint !== codeFingerprint()) return undefined;
      headRead = true;
      continue;
    }
    const batch = JSON.parse(text) as WireEntry[];
    if (!Array.isArray(batch)) return undefined;
    const keys: string[] = [];
    for (const entry of batch) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string") return undefined;
      if (entry[1] === 0 || entry[0] === "") continue;
      entries.set(entry[0], fromWire(entry[1]));
      keys.push(entry[0]);
    }
    lines.push({ start, end, keys });
  }
  return headRead ? { entries, lines } : undefined;
}

export class FactsCache implements KnownFacts {
  /** Keys used by this run: the next pack holds exactly these. */
  private readonly live = new Set<string>();
  /** Keys whose facts this run's new lines hold. */
  private readonly written = new Set<string>();
  private writer: CacheWriter | undefined;
  private readonly nowPaths = new Map<string, [PathState, string]>();
  private readonly started = Date.now();

  private constructor(
    private readonly dir: CacheDir | undefined,
    private readonly old: Map<string, ParsedFile>,
    private readonly oldLines: OldLine[],
    /** The old pack, open: whole lines of it are copied into the new one. */
    private readonly oldPack: CacheReader | undefined,
    private readonly oldPaths: Map<string, [PathState, string]>,
  ) {}

  static open(dir: CacheDir | undefined): FactsCache {
    const reader = dir?.open(ENTRY);
    let pack: ReturnType<typeof readPack>;
    if (reader) {
      try {
        pack = readPack(reader);
      } catch {
        // A damaged pack is an empty one.
      }
      if (!pack) reader.close();
    }
    let paths = new Map<string, [PathState, string]>();
    // Absent or damaged: every file is read and hashed again.
    const record = pack && pack.entries.size > 0 ? (readRecord(dir, PATHS) as PathsRecord | undefined) : undefined;
    if (record?.fingerprint === codeFingerprint() && record.paths instanceof Map) paths = record.paths;
    return new FactsCache(dir, pack?.entries ?? new Map(), pack?.lines ?? [], pack ? reader : undefined, paths);
  }

  get(key: string): ParsedFile | undefined {
    return this.old.get(key);
  }

  keys(): Iterable<string> {
    return this.old.keys();
  }

  get knowsStates(): boolean {
    return this.oldPaths.size > 0;
  }

  hashOf(absPath: string, state: PathState): string | undefined {
    const seen = this.oldPaths.get(absPath);
    return seen && seen[0] === state ? seen[1] : undefined;
  }

  /** A parse batch as JSON text (see the pack above), with the keys of the files it parsed: kept as it is. */
  addBatch(json: string, parsedKeys: readonly string[]): void {
    if (!this.dir || parsedKeys.length === 0) return;
    if (!this.writer) {
      this.writer = this.dir.writer(ENTRY);
      this.writer?.append(`${JSON.stringify({ fingerprint: codeFingerprint() })}\n`);
    }
    if (!this.writer) return;
    // JSON.stringify never writes a raw newline, so the text is one line.
    this.writer.append(json);
    this.writer.append("\n");
    for (const key of parsedKeys) this.written.add(key);
  }

  /** Every file of this run, parsed or not. */
  remember(key: string, result: ParsedFile, file?: { absPath: string; state: PathState }): void {
    this.live.add(key);
    if (file && result.hash && file.state !== "-" && settled(file.state, this.started)) this.nowPaths.set(file.absPath, [file.state, result.hash]);
  }

  /**
   * Puts the new pack in place when its entries differ from the old one's: the new lines, then
   * the old lines whose entries are all live and not written again, then the other live entries.
   */
  save(): void {
    if (!this.dir) return;
    const unchanged = !this.writer && this.live.size === this.old.size && [...this.live].every((key) => this.old.has(key));
    if (!unchanged) {
      if (!this.writer) {
        this.writer = this.dir.writer(ENTRY);
        this.writer?.append(`${JSON.stringify({ fingerprint: codeFingerprint() })}\n`);
      }
      const writer = this.writer;
      if (writer) {
        // A line is kept when all its entries are live and one is not written yet. Identical files
        // parsed in different batches (every empty __init__.py) put one key on many lines: asking
        // that none be written yet re-serialised 1,251 of the 1,279 lines of a 50k-module pack.
        const live = (key: string) => this.live.has(key);
        const unwritten = (key: string) => !this.written.has(key);
        const rest: [string, ParsedFile][] = [];
        for (const line of this.oldLines) {
          if (line.keys.length === 0 || !line.keys.every(live) || !line.keys.some(unwritten) || !this.oldPack) continue;
          let bytes: Buffer;
          try {
            bytes = this.oldPack.read(line.start, line.end + 1);
          } catch {
            continue; // its entries are written again below
          }
          writer.append(bytes);
          for (const key of line.keys) this.written.add(key);
        }
        for (const key of this.live) if (!this.written.has(key) && this.old.has(key)) rest.push([key, this.old.get(key)!]);
        for (let i = 0; i < rest.length; i += CHUNK) writer.append(`${batchText(rest.slice(i, i + CHUNK))}\n`);
        // Closed first: some systems refuse to replace a file that is open.
        this.closeOld();
        writer.commit();
      }
    } else this.writer?.abort();
    this.writer = undefined;
    this.closeOld();
    const samePaths =
      this.nowPaths.size === this.oldPaths.size &&
      [...this.nowPaths].every(([path, [state, hash]]) => {
        const old = this.oldPaths.get(path);
        return old !== undefined && old[0] === state && old[1] === hash;
      });
    if (!samePaths) {
      const sorted = new Map([...this.nowPaths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.dir.write(PATHS, serialize({ fingerprint: codeFingerprint(), paths: sorted } satisfies PathsRecord));
    }
  }

  private oldClosed = false;
  private closeOld(): void {
    if (this.oldClosed) return;
    this.oldClosed = true;
    this.oldPack?.close();
  }

  /** A run that did not finish leaves the old pack as it was. */
  abort(): void {
    this.writer?.abort();
    this.writer = undefined;
    this.closeOld();
  }
}

/** Modified and changed (ctime) more than SETTLED_MS before the run started. */
function settled(state: PathState, started: number): boolean {
  const [, mtime, ctime] = state.split(":");
  return Number(mtime) < started - SETTLED_MS && Number(ctime) < started - SETTLED_MS;
}
