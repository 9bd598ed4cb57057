/**
 * A parse worker (pool.ts): the facts cache's keys, then batches of files in; each file read,
 * hashed and parsed here; results out in the same order.
 */
import { parentPort } from "node:worker_threads";
import { parseItem, type ParseItem } from "./index.js";
import type { ToWorker } from "./pool.js";

let keys: ReadonlySet<string> = new Set();
const queue: ParseItem[][] = [];
let scheduled = false;

/**
 * One batch per turn of the event loop. tree-sitter frees a syntax tree's native memory in an
 * N-API finalizer, which runs only when the loop turns; with the next batch always waiting (the
 * pool keeps two in flight), answering them back to back held gigabytes of dead trees.
 */
function next(): void {
  scheduled = false;
  const batch = queue.shift();
  if (!batch) return;
  parentPort?.postMessage(JSON.stringify(batch.map((item) => parseItem(item, keys))));
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(next);
}

parentPort?.on("message", (message: ToWorker) => {
  if (!Array.isArray(message)) {
    keys = new Set(message.keys);
    return;
  }
  queue.push(message);
  schedule();
});
