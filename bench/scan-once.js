// One cold `snag check` in a fresh process: prints wall time and peak RSS as JSON.
import { check } from "../dist/analyze/check.js";
import { openCacheDir } from "../dist/cache/dir.js";
import { scan } from "../dist/pipeline/scan.js";

const t0 = performance.now();
// The repository's .snag-cache: the first run fills it (cold), the second reads it (warm).
const result = await scan(process.argv[2], { cache: openCacheDir(process.argv[2]) });
const checked = check(result);
const wall = performance.now() - t0;
process.stdout.write(
  JSON.stringify({
    wallMs: Math.round(wall),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    files: result.discovery.files.length,
    modules: checked.modules.length,
    blocked: checked.tests.filter((t) => !t.collectable).length,
  }),
);
