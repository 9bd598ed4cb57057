/**
 * What a cached result depends on besides its inputs: snag's own code and query files. Their
 * names, sizes and modification times (rather than the version number alone) keep a development
 * build from reading facts an older build wrote; any rebuild or reinstall starts a fresh cache.
 * Stats rather than contents, because this is on the path of every replayed run.
 */
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CODE_DIR, GRAMMARS_DIR } from "../paths.js";
import { SNAG_VERSION } from "../version.js";

let memo: string | undefined;

export function codeFingerprint(): string {
  if (memo) return memo;
  const hash = createHash("sha256").update(`snag ${SNAG_VERSION}\0${process.versions.node}\0`);
  // The directory holding this build (dist/, bundles included, or src/) and the grammars.
  for (const dir of [CODE_DIR, GRAMMARS_DIR])
    for (const file of listFiles(dir)) {
      const st = statSync(join(dir, file));
      hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
    }
  memo = hash.digest("hex").slice(0, 32);
  return memo;
}

function listFiles(dir: string, prefix = ""): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile() && /\.(?:js|ts|scm|json)$/.test(e.name) && !e.name.endsWith(".map")) out.push(rel);
  }
  return out;
}
