/**
 * The file-system calls a scan's answer depends on. Everything that reads the repository or the
 * Python environment goes through these instead of node:fs, so that while a run is being
 * observed each path is noted with the state it had *before* it was read. A memoised run
 * (run-memo.ts) is replayed only when every noted path still has that state.
 *
 * Noting stats before reading errs on the safe side: a file changed between the stat and the
 * read is noted with its old state, so the next run sees a change and scans again.
 */
import * as fs from "node:fs";
import { sep } from "node:path";

/** `-` for a path that does not exist; otherwise kind, size, times and inode. */
export type PathState = string;

let observing: { states: Map<string, PathState>; ignoreUnder: string[] } | undefined;

export function stateOf(path: string, link = false): PathState {
  try {
    return stateOfStats(link ? fs.lstatSync(path, { throwIfNoEntry: false }) : fs.statSync(path, { throwIfNoEntry: false }));
  } catch {
    return "-";
  }
}

/** The state of a path from a stat already made (undefined: the path does not exist). */
export function stateOfStats(st: fs.Stats | undefined): PathState {
  if (!st) return "-";
  const kind = st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o";
  return `${kind}${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

/** Starts noting; paths under `ignoreUnder` (the cache directory itself) are left out. */
export function startObserving(ignoreUnder: string[] = []): void {
  observing = { states: new Map(), ignoreUnder: ignoreUnder.map((d) => d + sep) };
}

/** Stops noting and returns each path noted (`l:` prefixed when its symlink itself was looked at). */
export function stopObserving(): Map<string, PathState> {
  const states = observing?.states ?? new Map<string, PathState>();
  observing = undefined;
  return states;
}

export function isObserving(): boolean {
  return observing !== undefined;
}

/**
 * Recordings in progress (see `recording`): each gets every path noted while it runs, whether or
 * not a whole run is being observed.
 */
const recorders: Map<string, PathState>[] = [];

/**
 * Runs `fn` and returns what it returned with every path it read and that path's state (keys as
 * in stopObserving): what env-memo.ts keeps beside a result computed from those files.
 */
export function recording<T>(fn: () => T): [T, Map<string, PathState>] {
  const states = new Map<string, PathState>();
  recorders.push(states);
  try {
    return [fn(), states];
  } finally {
    recorders.pop();
  }
}

/** Notes a path read by something other than these wrappers (a subprocess, say). */
export function note(path: string, link = false): void {
  if (!observing && recorders.length === 0) return;
  const key = link ? `l:${path}` : path;
  const wanted = (states: Map<string, PathState>) => !states.has(key);
  const toObserve = observing && wanted(observing.states) && !observing.ignoreUnder.some((d) => path.startsWith(d));
  const toRecord = recorders.filter(wanted);
  if (!toObserve && toRecord.length === 0) return;
  const state = stateOf(path, link);
  if (toObserve) observing!.states.set(key, state);
  for (const r of toRecord) r.set(key, state);
}

/** The state now of a path as noted: a key with `l:` in front is the symlink itself. */
export function stateOfKey(key: string): PathState {
  const link = key.startsWith("l:");
  return stateOf(link ? key.slice(2) : key, link);
}

/** Notes a path (`l:` in front for the link itself) with a state already known: a stat the caller made before reading it, or one a memo has just checked. */
export function noteState(key: string, state: PathState): void {
  const path = key.startsWith("l:") ? key.slice(2) : key;
  if (observing && !observing.states.has(key) && !observing.ignoreUnder.some((d) => path.startsWith(d))) observing.states.set(key, state);
  for (const r of recorders) if (!r.has(key)) r.set(key, state);
}

function noted(path: unknown, link = false): void {
  if ((observing || recorders.length > 0) && typeof path === "string") note(path, link);
}

export const readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
  noted(path);
  return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
}) as typeof fs.readFileSync;

export const readdirSync = ((path: fs.PathLike, ...rest: unknown[]) => {
  noted(path);
  return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
}) as typeof fs.readdirSync;

export const statSync = ((path: fs.PathLike, ...rest: unknown[]) => {
  noted(path);
  return (fs.statSync as (...a: unknown[]) => unknown)(path, ...rest);
}) as typeof fs.statSync;

export const lstatSync = ((path: fs.PathLike, ...rest: unknown[]) => {
  noted(path, true);
  return (fs.lstatSync as (...a: unknown[]) => unknown)(path, ...rest);
}) as typeof fs.lstatSync;

export const existsSync = (path: fs.PathLike): boolean => {
  noted(path);
  return fs.existsSync(path);
};

/** A realpath depends on every link on the way; the path's own link state stands for them. */
export const realpathSync = ((path: fs.PathLike, ...rest: unknown[]) => {
  noted(path, true);
  noted(path);
  return (fs.realpathSync as (...a: unknown[]) => unknown)(path, ...rest);
}) as typeof fs.realpathSync;
