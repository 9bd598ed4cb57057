/**
 * Parsing on worker threads. Workers are started before the caller knows what to parse (while it
 * walks the repository), so that loading their code happens on a core that is otherwise idle.
 * Then files go out in batches to whichever worker is free; each worker reads, hashes and parses
 * its files itself, and each result is put back at its file's index, so the output is the same
 * whatever the thread count and timing. Only the bytes of the batches in flight are held, and
 * only by the workers.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DIST_DIR } from "../paths.js";
import type { ParseItem } from "./index.js";

/** Small enough to keep both cores busy to the end, large enough that messages cost little. */
const BATCH = 48;

/**
 * The worker script: the bundled one the build makes (dist/worker.bundle.js: one file to load,
 * not a hundred modules), else the compiled module. Tests, which run the TypeScript sources,
 * start the build's worker too.
 */
function workerUrl(): URL {
  for (const file of [join(DIST_DIR, "worker.bundle.js"), join(DIST_DIR, "parse", "worker.js")]) if (existsSync(file)) return pathToFileURL(file);
  throw new Error("snag's parse worker is not built (dist/parse/worker.js is missing): run `npm run build` in snag's directory");
}

/** The next files to parse, at most `max` of them, with their indices; an empty list when there are no more. */
export type TakeWork = (max: number) => { index: number; item: ParseItem }[];

/** What the main thread sends a worker: the facts cache's keys once (a file the cache knows is not parsed), then batches. */
export type ToWorker = { keys: string[] } | ParseItem[];

export class ParsePool {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` workers; they load while the caller finds out what `parse` will give them. */
  static start(count: number): ParsePool {
    const url = workerUrl();
    return new ParsePool(
      Array.from({ length: count }, () => {
        const worker = new Worker(url);
        // Unreferenced until it has work: a run that ends early (a usage error) does not wait for it.
        worker.unref();
        return worker;
      }),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Parses on every worker until `take` runs dry, then stops them. Each worker has two batches in
   * flight, so it never waits for this thread (which may be busy parsing a batch of its own).
   * `got` is handed each batch's file indices and the worker's answer: JSON text of BatchEntry[],
   * in the same order.
   */
  async parse(take: TakeWork, keys: string[], got: (indices: number[], json: string) => void, progress?: (parsed: number) => void): Promise<void> {
    let done = 0;
    const run = (worker: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        worker.ref();
        if (keys.length > 0) worker.postMessage({ keys } satisfies ToWorker);
        const inFlight: { index: number }[][] = [];
        let finished = false;
        const send = (): void => {
          const batch = take(BATCH);
          if (batch.length > 0) {
            inFlight.push(batch);
            worker.postMessage(batch.map(({ item }) => item) satisfies ToWorker);
          } else if (inFlight.length === 0) {
            finished = true;
            void worker.terminate().then(() => resolve(), reject);
          }
        };
        worker.on("message", (text: string) => {
          const batch = inFlight.shift()!;
          // As JSON text: the main thread's JSON.parse builds smaller objects than structured clone
          // does (facts at 50k modules: about 3 KB a module instead of 5), and the facts cache keeps
          // the text as it is. Results are plain JSON data.
          got(
            batch.map(({ index }) => index),
            text,
          );
          done += batch.length;
          progress?.(done);
          send();
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (!finished || (code !== 0 && code !== 1)) reject(new Error(`a parse worker stopped (exit code ${code})`));
        });
        send();
        send();
      });
    await Promise.all(this.workers.map(run));
  }

  /** Stops workers that were not needed after all. */
  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}
