/**
 * vitest global setup: every test run gets one private temporary directory, handed to the test
 * processes as TMPDIR, and removes it at the end. Fixture copies, venvs and pytest's reports all
 * live under it, so a run leaves nothing behind in the machine's /tmp however a test ends.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "snag-tests-"));
  process.env.TMPDIR = root;
  // Not rmSync: removing hundreds of venvs takes seconds, and vitest's own timers (stopping its
  // test processes) must keep running meanwhile.
  return () => rm(root, { recursive: true, force: true });
}
