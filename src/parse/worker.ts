/**
 * A parse worker (pool.ts): the work comes in once; batches are claimed from the shared counter,
 * each file read, hashed and parsed here, and each batch's results sent back as they are had.
 */
import { join } from "node:path";
import { parentPort } from "node:worker_threads";
import type { PathState } from "../cache/observed-fs.js";
import { parseItem } from "./index.js";
import type { FromWorker, ToWorker } from "./pool.js";
import { BATCH, WorkQueue } from "./work-queue.js";
import { batchText } from "./wire.js";
import { threadCpuMs, timingsEnabled } from "../model/timings.js";

/**
 * One batch per turn of the event loop. tree-sitter frees a syntax tree's native memory in an
 * N-API finalizer, which runs only when the loop turns; parsing batch after batch in one go held
 * gigabytes of dead trees.
 */
function step(root: string, queue: WorkQueue<string>, keys: ReadonlySet<string>): void {
  const [from, to] = queue.claim(BATCH);
  if (from === to) {
    const cpuMs = timingsEnabled ? threadCpuMs() : undefined;
    parentPort?.postMessage((cpuMs === undefined ? { done: true } : { done: true, cpuMs }) satisfies FromWorker);
    return;
  }
  const states: PathState[] = [];
  const entries = queue.items.slice(from, to).map((file) => parseItem({ file, absPath: join(root, file) }, keys, states));
  parentPort?.postMessage([from, batchText(entries), states] satisfies FromWorker);
  setImmediate(step, root, queue, keys);
}

parentPort?.once("message", (message: ToWorker) => {
  step(message.root, new WorkQueue(message.files, message.next), new Set(message.keys));
});
