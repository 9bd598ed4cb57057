// npm run bench: generated repositories of increasing size, one cold `snag check` each, in a
// fresh process; prints wall time, files/s and peak RSS, and writes bench/out/results.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRepo } from "./generate.js";

const sizes = (process.env.SNAG_BENCH_SIZES ?? "1000,5000").split(",").map(Number);
const rows = [];
for (const n of sizes) {
  const root = join(tmpdir(), `snag-bench-${n}`);
  const { bytes } = generateRepo(root, n, { brokenEvery: 97 });
  const out = execFileSync(process.execPath, [new URL("./scan-once.js", import.meta.url).pathname, root], { encoding: "utf8", maxBuffer: 1 << 26 });
  const r = JSON.parse(out);
  rows.push({ generated: n, megabytes: +(bytes / 1e6).toFixed(1), ...r, filesPerSecond: Math.round((r.files / r.wallMs) * 1000) });
}
console.log("modules  files   MB     wall(s)  files/s  peak RSS (MiB)  blocked tests");
for (const r of rows) {
  console.log(
    `${String(r.generated).padEnd(8)} ${String(r.files).padEnd(7)} ${String(r.megabytes).padEnd(6)} ${(r.wallMs / 1000).toFixed(2).padEnd(8)} ${String(r.filesPerSecond).padEnd(8)} ${String(r.maxRssMiB).padEnd(15)} ${r.blocked}`,
  );
}
mkdirSync(new URL("./out/", import.meta.url), { recursive: true });
writeFileSync(new URL("./out/results.json", import.meta.url), JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
