/**
 * Writing fixes to disk: only inside the repository, never through a symlink, never over a file
 * that changed since snag read it, and atomically (a temporary file beside the target, renamed over it).
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import type { FileChange } from "./apply.js";
import { hashBytes } from "../parse/source.js";
import { encodeDocument } from "./document.js";

export interface WriteOutcome {
  written: string[];
  refused: { file: string; reason: string }[];
}

export function writeChanges(root: string, changes: readonly FileChange[]): WriteOutcome {
  const realRoot = realpathSync(root);
  const outcome: WriteOutcome = { written: [], refused: [] };
  // Check everything first: a refused file stops the whole write, so a fix never lands half-applied.
  for (const change of changes) {
    const reason = refusal(realRoot, change);
    if (reason) outcome.refused.push({ file: change.file, reason });
  }
  if (outcome.refused.length > 0) return outcome;
  for (const change of changes) {
    const target = join(realRoot, change.file);
    const bytes = change.before ? encodeDocument(change.before, change.after) : Buffer.from(change.after, "utf8");
    mkdirSync(dirname(target), { recursive: true });
    atomicWrite(target, bytes, change.before ? statSync(target).mode : 0o644);
    outcome.written.push(change.file);
  }
  return outcome;
}

function refusal(realRoot: string, change: FileChange): string | undefined {
  if (isAbsolute(change.file) || change.file.split("/").includes("..")) return "the path leaves the repository";
  const target = join(realRoot, change.file);
  // The nearest existing ancestor must resolve inside the repository (no symlinked directory out).
  let dir = dirname(target);
  for (;;) {
    try {
      const real = realpathSync(dir);
      const rel = relative(realRoot, real);
      if (rel.startsWith("..") || isAbsolute(rel) || rel.split(sep)[0] === "..") return "its directory resolves outside the repository";
      break;
    } catch {
      dir = dirname(dir);
    }
  }
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return change.before ? "it no longer exists" : undefined;
  }
  if (!change.before) return "it already exists";
  if (stat.isSymbolicLink()) return "it is a symbolic link";
  if (!stat.isFile()) return "it is not a regular file";
  if (hashBytes(readFileSync(target)) !== change.before.hash) return "it changed since snag read it";
  return undefined;
}

function atomicWrite(target: string, bytes: Buffer, mode: number): void {
  const temp = join(dirname(target), `.${target.slice(dirname(target).length + 1)}.snag-${process.pid}.tmp`);
  const fd = openSync(temp, "wx", mode & 0o7777);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, target);
}
