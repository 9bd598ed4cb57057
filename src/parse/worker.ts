/**
 * A parse worker (pool.ts): the facts cache's keys, then batches of files in; each file read,
 * hashed and parsed here; results out in the same order.
 */
import { parentPort } from "node:worker_threads";
import { parseItem, type ParseItem } from "./index.js";
import type { ToWorker } from "./pool.js";

let keys: ReadonlySet<string> = new Set();
/** Batches not answered yet; while there are any, a turn of the event loop is booked for the first. */
const queue: ParseItem[][] = [];

/**
 * One batch per turn of the event loop. tree-sitter frees a syntax tree's native memory in an
 * N-API finalizer, which runs only when the loop turns; with the next batch always waiting (the
 * pool keeps two in flight), answering them back to back held gigabytes of dead trees.
 */
function next(): void {
  const batch = queue.shift()!;
  parentPort?.postMessage(JSON.stringify(batch.map((item) => parseItem(item, keys))));
  if (queue.length > 0) setImmediate(next);
}

parentPort?.on("message", (message: ToWorker) => {
  if (!Array.isArray(message)) {
    keys = new Set(message.keys);
    return;
  }
  if (queue.push(message) === 1) setImmediate(next);
});
