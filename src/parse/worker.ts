/** A parse worker (pool.ts): batches of files in, read, hashed and parsed here, results out in the same order. */
import { parentPort, workerData } from "node:worker_threads";
import { parseItem, type ParseItem } from "./index.js";
import type { WorkerSetup } from "./pool.js";

const keys: ReadonlySet<string> = new Set((workerData as WorkerSetup | undefined)?.keys ?? []);

parentPort?.on("message", (batch: ParseItem[]) => {
  parentPort?.postMessage(JSON.stringify(batch.map((item) => parseItem(item, keys))));
});
