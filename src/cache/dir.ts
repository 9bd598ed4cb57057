/**
 * snag's cache directory: `.snag-cache/` at the repository root unless told otherwise. Everything
 * in it can be thrown away; a cache that cannot be read or written is simply not used.
 *
 * It never writes outside the repository through a symlink: when the default directory (or
 * anything on the way to it) resolves outside the repository, the cache is off for the run.
 */
import { closeSync, existsSync, fstatSync, lstatSync, readSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { deserialize } from "node:v8";

export const DEFAULT_CACHE_DIR = ".snag-cache";

/**
 * An entry written with v8's `serialize`, or undefined when it is absent or damaged (a damaged
 * entry is a miss: whatever it held is worked out again). The caller still checks its shape.
 */
export function readRecord(dir: CacheDir | undefined, name: string): unknown {
  const bytes = dir?.read(name);
  if (!bytes) return undefined;
  try {
    return deserialize(bytes) as unknown;
  } catch {
    return undefined;
  }
}

export interface CacheDir {
  path: string;
  read(name: string): Buffer | undefined;
  /**
   * An entry opened for reading parts of it: what it was when opened, even if it is replaced
   * meanwhile (the facts pack copies ranges of the old pack into the new one). Undefined when absent.
   */
  open(name: string): CacheReader | undefined;
  /**
   * Atomic: a reader sees the old file or the new one, never half of one. Chunks given one by one
   * (a generator) are written as they come, so the whole entry is never in memory at once.
   */
  write(name: string, data: string | Uint8Array | Iterable<Uint8Array>): void;
  /**
   * The same, for an entry written a piece at a time over a run (the facts pack, as files are
   * parsed): nothing is seen at `name` until `commit`. Undefined when the entry cannot be opened.
   */
  writer(name: string): CacheWriter | undefined;
  /** Deletes all but the `keep` most recently written entries whose names match. */
  prune(names: RegExp, keep: number): void;
}

export interface CacheReader {
  size: number;
  /** Bytes [start, end) of the entry. */
  read(start: number, end: number): Buffer;
  close(): void;
}

export interface CacheWriter {
  append(data: string | Uint8Array): void;
  /** Puts the entry in place; false when anything went wrong on the way (the old entry stays). */
  commit(): boolean;
  /** Drops what was written; the old entry stays. */
  abort(): void;
}

/**
 * `explicit` (from --cache-dir or SNAG_CACHE_DIR) is taken as given; the default one must stay
 * inside `root`. Returns undefined when the cache is off or cannot be made.
 */
export function openCacheDir(root: string, explicit?: string, { create = true }: { create?: boolean } = {}): CacheDir | undefined {
  const dir = explicit !== undefined ? resolve(explicit) : join(root, DEFAULT_CACHE_DIR);
  try {
    if (!create && !existsSync(dir)) return undefined;
    // Checked before mkdir, which would otherwise create a dangling link's target.
    if (explicit === undefined && isSymlink(dir)) return undefined;
    mkdirSync(dir, { recursive: true });
    const real = realpathSync(dir);
    if (explicit === undefined && real !== join(realpathSync(root), DEFAULT_CACHE_DIR)) return undefined;
    const cache = makeCache(real);
    // The markers tools (git, backup software) know: ignore this directory.
    if (!cache.read(".gitignore")) cache.write(".gitignore", "# written by snag\n*\n");
    if (!cache.read("CACHEDIR.TAG")) cache.write("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is snag's cache; see https://bford.info/cachedir/\n");
    return cache;
  } catch {
    return undefined;
  }
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function makeCache(dir: string): CacheDir {
  const inside = (name: string): string => {
    const p = join(dir, name);
    if (!p.startsWith(dir + sep)) throw new Error(`not a cache entry name: ${name}`);
    return p;
  };
  const cache: CacheDir = {
    path: dir,
    read(name) {
      try {
        const p = inside(name);
        // An entry replaced by a symlink is not followed.
        if (isSymlink(p)) return undefined;
        return readFileSync(p);
      } catch {
        return undefined;
      }
    },
    open(name) {
      try {
        const p = inside(name);
        if (isSymlink(p)) return undefined;
        const fd = openSync(p, "r");
        const size = fstatSync(fd).size;
        return {
          size,
          read(start, end) {
            const out = Buffer.allocUnsafe(Math.max(0, end - start));
            for (let at = 0; at < out.length; ) {
              const n = readSync(fd, out, at, out.length - at, start + at);
              if (n === 0) throw new Error("the entry is shorter than it was");
              at += n;
            }
            return out;
          },
          close() {
            closeSync(fd);
          },
        };
      } catch {
        return undefined;
      }
    },
    write(name, data) {
      const w = cache.writer(name);
      if (!w) return;
      if (typeof data === "string" || data instanceof Uint8Array) w.append(data);
      else for (const chunk of data) w.append(chunk);
      w.commit();
    },
    writer(name) {
      const target = inside(name);
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      let fd: number | undefined;
      try {
        // `wx`: never opens an existing file, so never follows a planted symlink.
        fd = openSync(tmp, "wx", 0o644);
      } catch {
        return undefined;
      }
      let failed = false;
      const close = (): void => {
        if (fd === undefined) return;
        try {
          closeSync(fd);
        } catch {
          failed = true;
        }
        fd = undefined;
      };
      return {
        append(data) {
          if (failed || fd === undefined) return;
          try {
            writeAll(fd, typeof data === "string" ? Buffer.from(data) : data);
          } catch {
            failed = true;
          }
        },
        commit() {
          close();
          try {
            if (failed) throw new Error("write failed");
            // rename replaces a symlink at `target` itself, not what it points to.
            renameSync(tmp, target);
            return true;
          } catch {
            rmSync(tmp, { force: true });
            return false;
          }
        },
        abort() {
          close();
          rmSync(tmp, { force: true });
        },
      };
    },
    prune(names, keep) {
      try {
        const entries = readdirSync(dir)
          .filter((n) => names.test(n))
          .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
          .sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
        for (const { n } of entries.slice(keep)) rmSync(join(dir, n), { force: true });
      } catch {
        // Pruning is housekeeping; a failure costs only disk space.
      }
    },
  };
  return cache;
}

/** writeSync may write less than asked for. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}
