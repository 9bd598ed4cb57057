/**
 * Where snag's own files are: its package root (package.json, grammars/) and the directory of the
 * code that is running, whether that is src/ (the tests), dist/ (the compiled modules) or one of
 * the bundles in dist/ (what the `snag` command runs). Everything that reads a file of snag's own
 * finds it from here, so that the same code works in all three places.
 */
import { existsSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "grammars"))) return dir;
    if (dirname(dir) === dir) throw new Error(`snag's package directory is not above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot(here);

/** src/ when running from the sources, else dist/. */
export const CODE_DIR = here === join(PACKAGE_ROOT, "src") || here.startsWith(join(PACKAGE_ROOT, "src") + sep) ? join(PACKAGE_ROOT, "src") : join(PACKAGE_ROOT, "dist");

export const GRAMMARS_DIR = join(PACKAGE_ROOT, "grammars");

export const DIST_DIR = join(PACKAGE_ROOT, "dist");
