/**
 * A parse worker (pool.ts): the facts cache's keys, then batches of files in; each file read,
 * hashed and parsed here; results out in the same order.
 */
import { parentPort } from "node:worker_threads";
import { parseItem } from "./index.js";
import type { ToWorker } from "./pool.js";

let keys: ReadonlySet<string> = new Set();

parentPort?.on("message", (message: ToWorker) => {
  if (!Array.isArray(message)) {
    keys = new Set(message.keys);
    return;
  }
  parentPort?.postMessage(JSON.stringify(message.map((item) => parseItem(item, keys))));
});
