/**
 * A progress bar on stderr for scans that take more than a moment, and only where a person is
 * watching: stderr is a terminal, not CI, not --quiet. Anywhere else it prints nothing at all, so
 * piped and CI output stays byte-for-byte the same.
 */
import type { Progress } from "../parse/index.js";

const DELAY_MS = 400;
const WIDTH = 24;

export interface ProgressBar {
  update: Progress;
  /** Erase the bar before real output is written. */
  done: () => void;
}

export function progressBar(opts: { quiet?: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv; now?: () => number } = {}): ProgressBar | undefined {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  if (opts.quiet || !stream.isTTY || env.CI || env.TERM === "dumb") return undefined;
  const now = opts.now ?? Date.now;
  const started = now();
  let shown = false;
  return {
    update: (done, total) => {
      if (now() - started < DELAY_MS || total === 0) return;
      shown = true;
      const filled = Math.round((done / total) * WIDTH);
      stream.write(`\r\x1b[2Ksnag: parsing [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total} files`);
    },
    done: () => {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
