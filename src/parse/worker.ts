/** A parse worker (pool.ts): batches of file bytes in, parse results out, in the same order. */
import { parentPort } from "node:worker_threads";
import { parseBytes } from "./index.js";

parentPort?.on("message", (batch: { file: string; bytes: Uint8Array; hash: string }[]) => {
  parentPort?.postMessage(batch.map(({ file, bytes, hash }) => parseBytes(bytes, file, hash)));
});
