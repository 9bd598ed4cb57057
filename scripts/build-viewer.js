#!/usr/bin/env node
// Bundles the HTML report's viewer (src/report/html/viewer) with sigma and graphology into one
// script that `snag report --format html` inlines into the page. Run by `npm run build`.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["src/report/html/viewer/main.ts"],
  outfile: "dist/viewer/snag-viewer.js",
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  legalComments: "none",
  banner: { js: "/* snag report viewer. Bundles sigma (MIT), graphology (MIT), events (MIT). */" },
  logLevel: "warning",
});
