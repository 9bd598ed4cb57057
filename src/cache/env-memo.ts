/**
 * What snag works out from the Python environment rather than from the repository (the
 * interpreter's answers, the installed distributions, what pytest itself registers), kept
 * between runs with the state of every path it was read from. It is the same on every run until
 * something is installed or removed, and working it out again cost a third of a second, most of
 * a small repository's whole run. An entry is used only while every one of its paths is as it
 * was; those paths are then noted for the run memo as if they had been read.
 */
import { createHash } from "node:crypto";
import { serialize } from "node:v8";
import { readRecord, type CacheDir } from "./dir.js";
import { codeFingerprint } from "./fingerprint.js";
import { noteState, recording, stateOfKey, type PathState } from "./observed-fs.js";

interface Entry {
  key: string;
  /** [path (`l:` in front for a symlink itself), state] */
  states: [string, PathState][];
  value: unknown;
}

export class EnvMemo {
  constructor(private readonly dir: CacheDir | undefined) {}

  /**
   * compute()'s value as an earlier run left it for `key`, or computed now (and kept) when there
   * is none or any path it read has changed. `key` names everything it depends on besides files.
   */
  get<T>(name: string, key: string, compute: () => T): T {
    const entryName = this.entryName(name, key);
    const known = this.read(entryName, key);
    if (known) return known.value as T;
    const [value, states] = recording(compute);
    this.write(entryName, { key, states: [...states], value });
    return value;
  }

  /** The same for a value worked out outside (asynchronously), with the paths it depends on given. */
  lookup<T>(name: string, key: string): T | undefined {
    return this.read(this.entryName(name, key), key)?.value as T | undefined;
  }

  keep(name: string, key: string, value: unknown, states: Map<string, PathState>): void {
    this.write(this.entryName(name, key), { key, states: [...states], value });
  }

  private entryName(name: string, key: string): string {
    return `env-${name}-${createHash("sha256").update(`${codeFingerprint()}\0${key}`).digest("hex").slice(0, 24)}.v8`;
  }

  private read(entryName: string, key: string): Entry | undefined {
    const entry = readRecord(this.dir, entryName) as Entry | undefined;
    if (entry?.key !== key || !Array.isArray(entry.states)) return undefined;
    if (entry.states.some(([key, state]) => stateOfKey(key) !== state)) return undefined;
    for (const [path, state] of entry.states) noteState(path, state);
    return entry;
  }

  private write(entryName: string, entry: Entry): void {
    if (!this.dir) return;
    this.dir.write(entryName, serialize(entry));
    this.dir.prune(/^env-/, 32);
  }
}
