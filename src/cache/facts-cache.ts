/**
 * Parse results by content hash, kept between runs: a file whose bytes have not changed is not
 * parsed again, and a file whose stat state has not changed is not even read. The pack also
 * carries the code fingerprint, so a different snag build starts from empty.
 *
 * The pack is JSON lines: first `{"fingerprint": ...}`, then one line per parse batch, exactly
 * the text a parse worker sent back (parse/pool.ts): `[[key, facts], ...]`, where `facts` is 0
 * for a file the cache already knew. Writing it is appending the text already in hand, as the
 * batches come in; re-serialising every result at the end of a cold run cost more than resolving
 * the whole repository. A later run that changed a few files keeps the old lines whose entries are
 * all still in use as they are, and writes the rest of the live entries again.
 */
import { deserialize, serialize } from "node:v8";
import type { BatchEntry, KnownFacts, ParsedFile } from "../parse/index.js";
import type { PathState } from "./observed-fs.js";
import type { CacheDir, CacheWriter } from "./dir.js";
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

function readPack(bytes: Buffer): { entries: Map<string, ParsedFile>; lines: OldLine[] } | undefined {
  const entries = new Map<string, ParsedFile>();
  const lines: OldLine[] = [];
  let end = bytes.indexOf(NEWLINE);
  if (end < 0) return undefined;
  const head = JSON.parse(bytes.toString("utf8", 0, end)) as { fingerprint?: unknown } | null;
  if (head?.fingerprint !== codeFingerprint()) return undefined;
  for (let start = end + 1; start < bytes.length; start = end + 1) {
    end = bytes.indexOf(NEWLINE, start);
    // A line without its newline was cut short: the whole pack is suspect.
    if (end < 0) return undefined;
    const batch = JSON.parse(bytes.toString("utf8", start, end)) as BatchEntry[];
    if (!Array.isArray(batch)) return undefined;
    const keys: string[] = [];
    for (const entry of batch) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string") return undefined;
      if (entry[1] === 0 || entry[0] === "") continue;
      entries.set(entry[0], entry[1]);
      keys.push(entry[0]);
    }
    lines.push({ start, end, keys });
  }
  return { entries, lines };
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
    private readonly oldBytes: Buffer | undefined,
    private readonly oldPaths: Map<string, [PathState, string]>,
  ) {}

  static open(dir: CacheDir | undefined): FactsCache {
    const bytes = dir?.read(ENTRY);
    let pack: ReturnType<typeof readPack>;
    if (bytes) {
      try {
        pack = readPack(bytes);
      } catch {
        // A damaged pack is an empty one.
      }
    }
    let paths = new Map<string, [PathState, string]>();
    const pathBytes = pack && pack.entries.size > 0 ? dir?.read(PATHS) : undefined;
    if (pathBytes) {
      try {
        const record = deserialize(pathBytes) as PathsRecord;
        if (record?.fingerprint === codeFingerprint() && record.paths instanceof Map) paths = record.paths;
      } catch {
        // Damaged: every file is read and hashed again.
      }
    }
    return new FactsCache(dir, pack?.entries ?? new Map(), pack?.lines ?? [], pack ? bytes : undefined, paths);
  }

  get(key: string): ParsedFile | undefined {
    return this.old.get(key);
  }

  keys(): Iterable<string> {
    return this.old.keys();
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
        const wanted = (key: string) => this.live.has(key) && !this.written.has(key);
        const rest: [string, ParsedFile][] = [];
        for (const line of this.oldLines) {
          if (line.keys.length > 0 && line.keys.every(wanted) && this.oldBytes) {
            writer.append(this.oldBytes.subarray(line.start, line.end + 1));
            for (const key of line.keys) this.written.add(key);
          }
        }
        for (const key of this.live) if (!this.written.has(key) && this.old.has(key)) rest.push([key, this.old.get(key)!]);
        for (let i = 0; i < rest.length; i += CHUNK) writer.append(`${JSON.stringify(rest.slice(i, i + CHUNK))}\n`);
        writer.commit();
      }
    } else this.writer?.abort();
    this.writer = undefined;
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

  /** A run that did not finish leaves the old pack as it was. */
  abort(): void {
    this.writer?.abort();
    this.writer = undefined;
  }
}

/** Modified and changed (ctime) more than SETTLED_MS before the run started. */
function settled(state: PathState, started: number): boolean {
  const [, mtime, ctime] = state.split(":");
  return Number(mtime) < started - SETTLED_MS && Number(ctime) < started - SETTLED_MS;
}
