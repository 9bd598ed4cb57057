// One `snag check ROOT --format json [FLAGS...]` through the real launcher, in this process, so that its peak
// RSS and CPU time (all threads) can be read: prints {wallMs, cpuMs, maxRssMiB, exitCode} as JSON
// on stderr's last line.
import { fileURLToPath } from "node:url";

const t0 = performance.now();
const bin = fileURLToPath(new URL("../bin/snag.js", import.meta.url));
process.argv = [process.argv[0], bin, "check", process.argv[2], "--format", "json", "--fail-on", "none", "--quiet", ...process.argv.slice(3)];
process.on("exit", (code) => {
  const usage = process.resourceUsage();
  process.stderr.write(`\n${JSON.stringify({ wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), maxRssMiB: Math.round(usage.maxRSS / 1024), exitCode: code })}\n`);
});
await import(bin);
