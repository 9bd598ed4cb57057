/**
 * Parsing on worker threads. Files go out in batches to whichever worker is free; each result is
 * put back at its file's index, so the output is the same whatever the thread count and timing.
 * Batches are asked for as workers become free, so only the bytes of the batches in flight are
 * held, not the whole repository's (222 MB at 50k modules).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ParsedFile } from "./index.js";

export interface WorkItem {
  index: number;
  file: string;
  bytes: Uint8Array;
  hash: string;
}

/** Small enough to keep both cores busy to the end, large enough that messages cost little. */
const BATCH = 48;

/** The compiled worker; from the TypeScript sources (tests), the build's copy of it. */
function workerUrl(): URL {
  const own = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(own))) return own;
  return new URL("../../dist/parse/worker.js", import.meta.url);
}

/** The next files to parse, at most `max` of them; an empty list when there are no more. */
export type TakeWork = (max: number) => WorkItem[];

export async function parseInWorkers(take: TakeWork, jobs: number, put: (index: number, result: ParsedFile) => void, progress?: (parsed: number) => void): Promise<void> {
  let done = 0;
  let exhausted = false;
  const url = workerUrl();
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(url);
      let batch: WorkItem[] = [];
      const send = (): void => {
        batch = exhausted ? [] : take(BATCH);
        if (batch.length === 0) {
          exhausted = true;
          void worker.terminate().then(() => resolve(), reject);
          return;
        }
        worker.postMessage(batch.map(({ file, bytes, hash }) => ({ file, bytes, hash })));
      };
      worker.on("message", (text: string) => {
        const results = JSON.parse(text) as ParsedFile[];
        results.forEach((result, i) => put((batch[i] as WorkItem).index, result));
        done += results.length;
        progress?.(done);
        send();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (!exhausted || (code !== 0 && code !== 1)) reject(new Error(`a parse worker stopped (exit code ${code})`));
      });
      send();
    });
  await Promise.all(Array.from({ length: jobs }, run));
}
