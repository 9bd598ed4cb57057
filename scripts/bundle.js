#!/usr/bin/env node
// Bundles what the `snag` command runs into two files in dist/: the CLI (dist/snag.bundle.js)
// and the parse worker (dist/worker.bundle.js). Loading one file instead of a hundred ES modules
// takes a tenth of a second off every run. Native modules and TypeScript stay outside, loaded
// from node_modules as usual. Run by `npm run build`, after tsc.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  external: ["tree-sitter", "tree-sitter-python", "tree-sitter-typescript", "oxc-resolver", "typescript"],
  // CommonJS dependencies (commander, ignore, graphology) call require(); an ES module has none.
  banner: { js: 'import { createRequire as __snagRequire } from "node:module"; const require = __snagRequire(import.meta.url);' },
  legalComments: "none",
  logLevel: "warning",
};

await build({ ...common, entryPoints: ["dist/cli/main.js"], outfile: "dist/snag.bundle.js" });
await build({ ...common, entryPoints: ["dist/parse/worker.js"], outfile: "dist/worker.bundle.js" });
