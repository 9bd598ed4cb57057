#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm run build`), bundled into one file. A
// `snag check` whose answer is memoised and still fresh is replayed before the rest of the CLI
// is loaded.
import { existsSync } from "node:fs";
import { replay } from "../dist/cli/replay.js";

const replayed = replay(process.argv, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
if (replayed !== undefined) {
  process.exitCode = replayed;
} else {
  const bundle = new URL("../dist/snag.bundle.js", import.meta.url);
  const { main } = await import(existsSync(bundle) ? bundle.href : "../dist/cli/main.js");
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`snag: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
