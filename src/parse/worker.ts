/**
 * A parse worker (pool.ts): the work comes in once; batches are claimed from the shared counter,
 * each file read, hashed and parsed here, and each batch's results sent back as they are had.
 */
import { parentPort } from "node:worker_threads";
import type { PathState } from "../cache/observed-fs.js";
import { parseItem } from "./index.js";
import type { FromWorker, ToWorker } from "./pool.js";
import { BATCH, WorkQueue } from "./work-queue.js";

/**
 * One batch per turn of the event loop. tree-sitter frees a syntax tree's native memory in an
 * N-API finalizer, which runs only when the loop turns; parsing batch after batch in one go held
 * gigabytes of dead trees.
 */
function step(queue: WorkQueue, keys: ReadonlySet<string>): void {
  const [from, to] = queue.claim(BATCH);
  if (from === to) {
    parentPort?.postMessage("done" satisfies FromWorker);
    return;
  }
  const states: PathState[] = [];
  const entries = queue.items.slice(from, to).map((item) => parseItem(item, keys, states));
  parentPort?.postMessage([from, to, JSON.stringify(entries), states] satisfies FromWorker);
  setImmediate(step, queue, keys);
}

parentPort?.once("message", (message: ToWorker) => {
  step(new WorkQueue(message.items, message.next), new Set(message.keys));
});
