/**
 * Where a run's time goes, stage by stage: with SNAG_TIMINGS=1 in the environment, each stage's
 * wall time since the process started is written to stderr as the run ends. For people working
 * on snag's speed; it never changes what a run prints on stdout.
 */
import { performance } from "node:perf_hooks";

const enabled = process.env.SNAG_TIMINGS === "1";
const marks: [string, number][] = [];

/** Notes that `stage` has just ended. */
export function mark(stage: string): void {
  if (!enabled) return;
  if (marks.length === 0) process.once("exit", report);
  marks.push([stage, performance.now()]);
}

function report(): void {
  let previous = 0;
  const lines = marks.map(([stage, at]) => {
    const line = `${stage.padEnd(18)} ${String(Math.round(at - previous)).padStart(6)} ms  (at ${Math.round(at)} ms)`;
    previous = at;
    return line;
  });
  process.stderr.write(`snag timings:\n${lines.join("\n")}\n`);
}
