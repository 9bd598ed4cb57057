/**
 * Parsing on worker threads. Workers are started before the caller knows what to parse (while it
 * walks the repository), so that loading their code happens on a core that is otherwise idle.
 * Then every worker is sent the whole list of files once, and each thread (the workers and the
 * caller's) claims the next batch from a counter in shared memory: a worker never waits for the
 * main thread to hand it work, even while that thread is busy for a quarter of a second setting
 * up the resolver. Each worker reads, hashes and parses its files itself, and each result is put
 * back at its file's index, so the output is the same whatever the thread count and timing.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DIST_DIR } from "../paths.js";
import { noteWorkerCpu } from "../model/timings.js";
import type { PathState } from "../cache/observed-fs.js";
import type { ParseItem } from "./index.js";
import type { WorkQueue } from "./work-queue.js";

/**
 * The worker script: the bundled one the build makes (dist/worker.bundle.js: one file to load,
 * not a hundred modules), else the compiled module. Tests, which run the TypeScript sources,
 * start the build's worker too.
 */
function workerUrl(): URL {
  for (const file of [join(DIST_DIR, "worker.bundle.js"), join(DIST_DIR, "parse", "worker.js")]) if (existsSync(file)) return pathToFileURL(file);
  throw new Error("snag's parse worker is not built (dist/parse/worker.js is missing): run `npm run build` in snag's directory");
}

/**
 * What the main thread sends a worker, once: the work (the files, relative to `root`, as the
 * queue's items name them), and the facts cache's keys (a file the cache knows is not parsed).
 */
export interface ToWorker {
  root: string;
  files: readonly string[];
  next: SharedArrayBuffer;
  keys: string[];
}

/**
 * What a worker sends back: a batch it parsed, the items from `from` on, as wire.ts's text of
 * its BatchEntry[] and the state each file was read in, in the same order; or, once it finds
 * nothing left to claim, that it is done, with its CPU time when SNAG_TIMINGS asks (model/timings.ts).
 */
export type FromWorker = [from: number, json: string, states: PathState[]] | { done: true; cpuMs?: number };

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
   * Parses on every worker until `queue` runs dry, then stops them. `got` is handed each batch a
   * worker parsed: where it starts in the queue's items, wire.ts's text of their BatchEntry[] and their states.
   */
  async parse(root: string, queue: WorkQueue<ParseItem>, keys: string[], got: (from: number, json: string, states: PathState[]) => void): Promise<void> {
    // Relative paths only: at 50k modules the items' absolute paths cost each worker 20 MB more.
    const message: ToWorker = { root, files: queue.items.map((item) => item.file), next: queue.next.buffer as SharedArrayBuffer, keys };
    const run = (worker: Worker): Promise<void> =>
      new Promise((resolve, reject) => {
        let finished = false;
        worker.ref();
        worker.on("message", (answer: FromWorker) => {
          if (!Array.isArray(answer)) {
            noteWorkerCpu(answer.cpuMs);
            finished = true;
            void worker.terminate().then(() => resolve(), reject);
            return;
          }
          // As JSON text: the main thread's JSON.parse builds smaller objects than structured clone
          // does (facts at 50k modules: about 3 KB a module instead of 5), and the facts cache keeps
          // the text as it is. Results are plain JSON data.
          got(...answer);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (!finished || (code !== 0 && code !== 1)) reject(new Error(`a parse worker stopped (exit code ${code})`));
        });
        worker.postMessage(message);
      });
    await Promise.all(this.workers.map(run));
  }

  /** Stops workers that were not needed after all. */
  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}
