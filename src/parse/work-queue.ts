/**
 * The files of one parse, shared by every thread that parses them (pool.ts): each thread claims
 * its next batch from a counter in shared memory, so none waits for another to hand it work.
 */

/** Small enough that no thread is left with much when the others run out, large enough that messages cost little. */
export const BATCH = 48;

/**
 * The work, shared by every thread that parses it: the files, and a counter in shared memory
 * holding the index of the first file no thread has claimed yet.
 */
export class WorkQueue<T> {
  readonly next: Int32Array;

  constructor(
    readonly items: readonly T[],
    shared: SharedArrayBuffer = new SharedArrayBuffer(4),
  ) {
    this.next = new Int32Array(shared);
  }

  /** Claims the next files, at most `max` of them: [from, to) of `items`, empty when there are no more. */
  claim(max: number): [from: number, to: number] {
    const from = Math.min(Atomics.add(this.next, 0, max), this.items.length);
    return [from, Math.min(this.items.length, from + max)];
  }
}
