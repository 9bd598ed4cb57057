/**
 * vitest global setup: every test run gets one private temporary directory, handed to the test
 * processes as TMPDIR, and removes it at the end. Fixture copies, venvs and pytest's reports all
 * live under it, so a run leaves nothing behind in the machine's /tmp however a test ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "snag-tests-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
