/**
 * Where a run's time goes, stage by stage: with SNAG_TIMINGS=1 in the environment, each stage's
 * wall time since the process started is written to stderr as the run ends, then which thread
 * parsed how many files and, on Linux, the CPU time of the main thread, of the parse workers and
 * of every other thread (V8's optimising compiler and garbage collector, for the most part). For
 * people working on snag's speed; it never changes what a run prints on stdout.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

export const timingsEnabled = process.env.SNAG_TIMINGS === "1";
const marks: [string, number][] = [];
const parsed = { here: 0, workers: 0 };
const workerCpu = { ms: 0, count: 0 };

/** Notes that `stage` has just ended. */
export function mark(stage: string): void {
  if (!timingsEnabled) return;
  if (marks.length === 0) process.once("exit", report);
  marks.push([stage, performance.now()]);
}

/** Notes files parsed on the main thread and on workers. */
export function noteParsed(here: number, workers: number): void {
  parsed.here += here;
  parsed.workers += workers;
}

/** Notes a parse worker's CPU time as it stops (threadCpuMs on that thread). */
export function noteWorkerCpu(ms: number | undefined): void {
  if (ms === undefined) return;
  workerCpu.ms += ms;
  workerCpu.count++;
}

/**
 * CPU time the calling thread has used, in ms, where Linux tells it (/proc/thread-self/stat's
 * utime and stime, in clock ticks of 10 ms: Node cannot ask sysconf, and Linux's is 100 Hz).
 */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

function report(): void {
  let previous = 0;
  const lines = marks.map(([stage, at]) => {
    const line = `${stage.padEnd(18)} ${String(Math.round(at - previous)).padStart(6)} ms  (at ${Math.round(at)} ms)`;
    previous = at;
    return line;
  });
  lines.push(`parsed: ${parsed.here} files on the main thread, ${parsed.workers} on workers`);
  const main = threadCpuMs();
  if (main !== undefined) {
    const usage = process.cpuUsage();
    const all = Math.round((usage.user + usage.system) / 1000);
    const workers = workerCpu.count > 0 ? `, ${workerCpu.count} parse worker${workerCpu.count === 1 ? "" : "s"} ${workerCpu.ms} ms` : "";
    lines.push(`cpu: main thread ${main} ms${workers}, other threads ${Math.max(0, all - main - workerCpu.ms)} ms, all ${all} ms`);
  }
  process.stderr.write(`snag timings:\n${lines.join("\n")}\n`);
}
