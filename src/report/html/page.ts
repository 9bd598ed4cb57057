/**
 * `snag report --format html`: one self-contained page. The report data and the viewer (sigma and
 * graphology, bundled when snag is built) are inlined, and a Content-Security-Policy forbids every
 * request, so the file works offline, from an artifact store or an email attachment alike.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HtmlReportData } from "./model.js";

/** Thrown when snag was installed without its built viewer: a broken install, not a user mistake. */
export class ViewerMissingError extends Error {}

let cached: string | undefined;

/** The bundled viewer, from `dist/viewer/` of the snag package this module belongs to. */
export function viewerBundle(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "dist", "viewer", "snag-viewer.js");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) {
      cached = readFileSync(candidate, "utf8");
      return cached;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new ViewerMissingError("the HTML viewer is not built (dist/viewer/snag-viewer.js is missing): run `npm run build` in snag's directory");
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Inline script text must never contain `</script` (or `<!--`), whatever the data says. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

export function htmlPage(data: HtmlReportData, viewer: string = viewerBundle()): string {
  const s = data.summary;
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  // JSON in a script element: `<` escaped as \u003c keeps `</script>` and `<!--` out; U+2028/2029 are valid JSON.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  const headline =
    s.rootCauses === 0
      ? `${plural(s.testFiles, "test file")} and ${plural(s.modules, "module")}: nothing blocks the test run`
      : `${plural(s.rootCauses, "root cause")} block ${s.blocked} of ${plural(s.testFiles, "test file")}; ${s.failing} of ${plural(s.modules, "module")} fail to import`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>snag: ${escapeHtml(data.name)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>snag · ${escapeHtml(data.name)}</h1>
  <p id="headline">${escapeHtml(headline)}</p>
  <p class="muted">Python ${escapeHtml(data.python)}${data.pytest ? ` · pytest ${escapeHtml(data.pytest)}` : ""} · ${s.skipped ? `${s.skipped} skipped · ` : ""}${plural(s.warnings, "warning")}${s.hiddenStdlib ? ` · ${plural(s.hiddenStdlib, "standard-library module")} not drawn` : ""} · read without running any of the project's code</p>
</header>
<main>
  <div id="graph" aria-label="import graph"></div>
  <aside id="panel">
    <input id="search" type="search" placeholder="Find a module or file" autocomplete="off" aria-label="find a module">
    <ul id="search-results"></ul>
    <section id="details" hidden></section>
    <section id="causes">
      <h2>Root causes, by blast radius</h2>
      <ol id="cause-list"></ol>
    </section>
    <section id="legend">
      <h2>Legend</h2>
      <ul>
        <li><i style="background:#b91c1c"></i>root cause: a statement here fails</li>
        <li><i style="background:#f87171"></i>fails: imports something that fails</li>
        <li><i style="background:#7f1d1d"></i>missing: resolves nowhere</li>
        <li><i style="background:#f59e0b"></i>skipped test file</li>
        <li><i style="background:#3b82f6"></i>test file that collects</li>
        <li><i style="background:#94a3b8"></i>module that imports</li>
        <li><i style="background:#a78bfa"></i>installed package</li>
        <li><b style="background:#dc2626"></b>import on a broken chain</li>
      </ul>
    </section>
  </aside>
</main>
<noscript><p>This report needs JavaScript to draw the graph; <code>snag report --format markdown</code> writes the same findings as text.</p></noscript>
<script type="application/json" id="snag-data">${json}</script>
<script>${scriptSafe(viewer)}</script>
</body>
</html>
`;
}

const CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;background:#fff}
body{display:flex;flex-direction:column}
header{padding:10px 16px;border-bottom:1px solid #e2e8f0}
header h1{font-size:18px;margin:0}
header p{margin:2px 0}
.muted{color:#64748b}
main{flex:1;display:flex;min-height:0}
#graph{flex:1;position:relative;min-width:0;background:#fff}
#panel{width:420px;max-width:45vw;overflow:auto;overflow-wrap:anywhere;border-left:1px solid #e2e8f0;padding:12px}
#search{width:100%;padding:6px 8px;font:inherit;border:1px solid #cbd5e1;border-radius:6px}
#search-results{list-style:none;margin:4px 0;padding:0}
#search-results li{padding:3px 6px;cursor:pointer;border-radius:4px}
#search-results li:hover{background:#f1f5f9}
h2{font-size:14px;margin:16px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:#475569}
h3{font-size:16px;margin:8px 0 4px;word-break:break-all}
h4{font-size:14px;margin:12px 0 4px}
#details{border:1px solid #e2e8f0;border-radius:8px;padding:8px 12px;margin-top:8px;background:#f8fafc}
#cause-list{padding-left:22px;margin:0}
.cause{cursor:pointer;padding:4px 0;border-bottom:1px solid #f1f5f9}
.cause:hover{background:#f8fafc}
.cause .rule{font-weight:600}
.cause.error .rule{color:#b91c1c}
.cause.warning .rule{color:#b45309}
.cause .blast{float:right;color:#64748b;font-size:12px}
.cause .where{color:#64748b;font-size:12px;word-break:break-all}
.link{cursor:pointer}
.link:hover{text-decoration:underline}
.chain{padding-left:22px;margin:4px 0}
.chain .module{color:#64748b}
.chain .target code{color:#b91c1c;font-weight:600}
.status.root-cause,.status.fails,.status.missing{color:#b91c1c;font-weight:600}
.status.ok{color:#15803d}
.message{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;word-break:break-word}
.safety{font-size:11px;padding:1px 6px;border-radius:8px;text-transform:uppercase}
.safety.safe{background:#dcfce7;color:#166534}
.safety.review{background:#fef3c7;color:#92400e}
pre.patch{background:#0f172a;color:#e2e8f0;padding:8px;border-radius:6px;overflow:auto;font-size:12px;max-height:420px}
pre.patch .add{color:#86efac}
pre.patch .del{color:#fca5a5}
pre.patch .hunk{color:#93c5fd}
pre.patch .meta{color:#cbd5e1;font-weight:600}
#legend ul{list-style:none;padding:0;margin:0;columns:2;font-size:12px}
#legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
#legend b{display:inline-block;width:14px;height:3px;margin:0 4px 3px 0}
.clean{color:#15803d;font-weight:600}
.no-webgl{padding:16px;color:#b91c1c}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
`;
