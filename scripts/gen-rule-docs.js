#!/usr/bin/env node
/**
 * Writes docs/rules/<id>.md and docs/rules/README.md from the rule metadata. Reads the build output
 * (dist/), so run it through `npm run docs`, which builds first; test/rules-docs.test.ts fails when
 * the committed pages differ from what this writes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ruleDoc, rulePageName, rulesIndex } from "../dist/report/rule-docs.js";
import { RULES } from "../dist/rules/index.js";

const dir = fileURLToPath(new URL("../docs/rules/", import.meta.url));
mkdirSync(dir, { recursive: true });

const pages = new Map(RULES.map((meta) => [rulePageName(meta), ruleDoc(meta)]));
pages.set("README.md", rulesIndex());

let changed = 0;
for (const [name, text] of pages) {
  const path = join(dir, name);
  // Left untouched when equal, so a regeneration does not bump mtimes or wake file watchers.
  if (read(path) === text) continue;
  writeFileSync(path, text, "utf8");
  console.log(`wrote docs/rules/${name}`);
  changed++;
}
// A removed or renamed rule must not leave its old page behind to contradict `snag rules`.
for (const name of readdirSync(dir).sort()) {
  if (!name.endsWith(".md") || pages.has(name)) continue;
  rmSync(join(dir, name));
  console.log(`removed docs/rules/${name}`);
  changed++;
}
console.log(changed === 0 ? "docs/rules is up to date" : `docs/rules: ${changed} file${changed === 1 ? "" : "s"} changed`);

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
