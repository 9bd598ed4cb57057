/**
 * A repository buried in files that are not source: 60k files in an installed node_modules tree
 * and 40k data files. Ignore rules apply while walking, so the ignored tree is never descended
 * (not one path under it is looked at), and files that are not source are listed but never read
 * or even stat'ed. Checked through observed-fs, which notes every path a scan looks at; the
 * speed this buys is measured by `npm run bench`, not here.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { startObserving, stopObserving } from "../src/cache/observed-fs.js";
import { scan } from "../src/pipeline/scan.js";

function bigRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "snag-nonsource-"));
  writeFileSync(join(root, "package.json"), '{ "name": "app", "private": true, "type": "module" }\n');
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "app.ts"), 'import { util } from "./util";\nexport const run = () => util();\n');
  writeFileSync(join(root, "src", "util.ts"), "export const util = () => 1;\n");
  writeFileSync(join(root, "src", "app.test.ts"), 'import { run } from "./app";\nrun();\n');
  writeFileSync(join(root, "main.py"), "import json\n");
  for (let p = 0; p < 600; p++) {
    const dir = join(root, "node_modules", `pkg${p}`, "lib");
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `m${f}.js`), "module.exports = 1;\n");
  }
  for (let d = 0; d < 40; d++) {
    const dir = join(root, "data", `batch${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 1000; f++) writeFileSync(join(dir, `rows${f}.csv`), "a,b\n1,2\n");
  }
  return root;
}

describe("a tree of 100k files that are not source", () => {
  it("never descends the ignored node_modules and never reads a data file", async () => {
    const root = bigRepo();
    startObserving();
    let result: ReturnType<typeof check>;
    let scanned: Awaited<ReturnType<typeof scan>>;
    let noted: string[];
    try {
      scanned = await scan(root, { noEnv: true, jobs: 1 });
      result = check(scanned);
    } finally {
      noted = [...stopObserving().keys()];
    }
    const under = (dir: string) => noted.filter((p) => p.replace(/^l:/, "").startsWith(join(root, dir) + sep));
    expect(under("node_modules")).toEqual([]);
    // data/ and its batches are listed (they could hold source); no file in them is looked at.
    expect(under("data").every((p) => !p.endsWith(".csv"))).toBe(true);
    expect(new Set(under("data").map((p) => p.replace(/^l:/, ""))).size).toBe(40);
    // The scan itself is whole: the sources are found and judged.
    expect(scanned.discovery.files).toEqual(["main.py"]);
    expect(result.modules.filter((m) => m.language === "typescript").map((m) => m.file)).toEqual(["src/app.test.ts", "src/app.ts", "src/util.ts"]);
    expect(result.tests.map((t) => [t.file, t.collectable])).toEqual([["src/app.test.ts", true]]);
  }, 300_000);
});
