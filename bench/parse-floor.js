// The full-parse floor: tree-sitter-python parsing every byte of every .py file, nothing else
// (no queries, no resolution), in a fresh process. What a "parse everything" design cannot beat.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

function* pyFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* pyFiles(join(dir, e.name));
    else if (e.name.endsWith(".py")) yield join(dir, e.name);
  }
}

const parser = new Parser();
parser.setLanguage(Python);
const t0 = performance.now();
let files = 0;
let bytes = 0;
for (const file of pyFiles(process.argv[2])) {
  const text = readFileSync(file, "utf8");
  parser.parse(text);
  files++;
  bytes += text.length;
}
process.stdout.write(JSON.stringify({ wallMs: Math.round(performance.now() - t0), files, bytes }));
