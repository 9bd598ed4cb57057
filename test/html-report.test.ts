/**
 * `snag report --format html`, end to end in headless Chromium (Debian's package, driven by
 * playwright-core; no browser is ever downloaded). The page must load offline with no console
 * error and no request, draw the graph, show a failing node's chain and fix when it is clicked,
 * find modules by name, and list root causes by blast radius. Screenshots are saved under
 * test-results/ for a person to look at.
 *
 * The page's data is also checked against `snag check` itself (whose verdicts the oracle tests
 * hold to CPython and pytest): every failing module is drawn as failing, with the same chain.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import type { HtmlReportData } from "../src/report/html/model.js";
import { htmlPage } from "../src/report/html/page.js";
import { FIXTURES } from "./helpers/fixtures.js";

const CHROMIUM = process.env.SNAG_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
// In CI the browser test must run: .ci/run installs Chromium, and a missing one is a failure.
if (!HAVE_CHROMIUM && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package`);

const SHOTS = fileURLToPath(new URL("../test-results/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "snag-html-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

async function writeReport(fixture: string): Promise<{ file: string; html: string; data: HtmlReportData }> {
  const file = join(work, `${fixture}.html`);
  const r = await run("report", join(FIXTURES, fixture), "--format", "html", "--output", file, "--quiet");
  expect(r.code, r.err).toBe(0);
  const html = readFileSync(file, "utf8");
  return { file, html, data: embedded(html) };
}

function embedded(html: string): HtmlReportData {
  const m = /<script type="application\/json" id="snag-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no embedded data");
  return JSON.parse(m[1]!) as HtmlReportData;
}

const HOSTILE = `</script><script>window.pwned=1</script><!--`;

/** A report whose names try to end the data script and start one of their own. */
function hostileData(): HtmlReportData {
  return {
    version: 1,
    kind: "snag-html-report",
    name: `<b>${HOSTILE}</b>`,
    python: "3.11",
    summary: { testFiles: 1, blocked: 1, skipped: 0, modules: 1, failing: 1, rootCauses: 1, warnings: 0, hiddenStdlib: 0 },
    nodes: [
      { id: "t", label: "tests.test_x", kind: "local", status: "root-cause", x: 0, y: 0, file: "tests/test_x.py", test: "test", causes: [0] },
      { id: `?${HOSTILE}`, label: HOSTILE, kind: "missing", status: "missing", x: 10, y: 10, causes: [0] },
    ],
    edges: [{ source: "t", target: `?${HOSTILE}`, runtime: true, broken: true }],
    causes: [
      { index: 0, rule: "missing-module", severity: "error", target: HOSTILE, file: "tests/test_x.py", line: 1, message: `No module named '${HOSTILE}'`, blast: { tests: 1, modules: 1 }, sites: [{ file: "tests/test_x.py", line: 1, node: "t" }], chain: [], alternatives: [] },
    ],
    diagnostics: [],
  };
}

describe("the page, without a browser", () => {
  it("is one self-contained file: no URL to fetch, a policy that forbids fetching", async () => {
    const { html } = await writeReport("seed-torch-chain");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  });

  it("is the same, byte for byte, on every run", async () => {
    const a = await run("report", join(FIXTURES, "seed-bridge-mro-markers"), "--format", "html");
    const b = await run("report", join(FIXTURES, "seed-bridge-mro-markers"), "--format", "html");
    expect(a.code).toBe(0);
    expect(a.out.length).toBeGreaterThan(10_000);
    expect(a.out === b.out).toBe(true);
  });

  it("draws what snag check predicts: each failing module failing, with its chain", async () => {
    for (const fixture of ["seed-torch-chain", "seed-bridge-mro-markers", "seed-renamed-exception", "precision-cycles"]) {
      const { data } = await writeReport(fixture);
      const checked = JSON.parse((await run("check", join(FIXTURES, fixture), "--format", "json", "--fail-on", "none")).out) as {
        modules: { file: string; importable: boolean; chain?: { file: string; line: number }[] }[];
        tests: { file: string; kind: string; collectable: boolean; chain?: { file: string; line: number }[] }[];
        findings: { rule: string; target: string; blastRadius: { tests: number } }[];
      };
      const byFile = new Map(data.nodes.filter((n) => n.file).map((n) => [n.file!, n]));
      // A test file is drawn with its verdict in the pytest session (strict markers apply there only).
      const tested = new Set(checked.tests.map((t) => t.file));
      const verdicts = [
        ...checked.modules.filter((m) => !tested.has(m.file)).map((m) => ({ file: m.file, ok: m.importable, chain: m.chain })),
        ...checked.tests.map((t) => ({ file: t.file, ok: t.collectable, chain: t.chain })),
      ];
      for (const v of verdicts) {
        const node = byFile.get(v.file);
        expect(node, `${fixture}: ${v.file} is drawn`).toBeDefined();
        const failing = node!.status === "fails" || node!.status === "root-cause";
        expect(failing, `${fixture}: ${v.file} drawn as ${node!.status}`).toBe(!v.ok);
        if (!v.ok) expect(node!.chain?.map((h) => `${h.file}:${h.line}`)).toEqual(v.chain?.map((h) => `${h.file}:${h.line}`));
      }
      // Root causes in the same order as check's findings, with the same blast radius.
      expect(data.causes.map((c) => [c.rule, c.target, c.blast.tests])).toEqual(checked.findings.map((f) => [f.rule, f.target, f.blastRadius.tests]));
      // Every edge joins drawn nodes, and a failing node's chain is drawn as broken edges.
      const ids = new Set(data.nodes.map((n) => n.id));
      for (const e of data.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      const brokenPairs = new Set(data.edges.filter((e) => e.broken).map((e) => `${e.source}>${e.target}`));
      for (const n of data.nodes.filter((x) => x.chain && x.chain.length > 1)) {
        const path = [n.id, ...n.chain!.map((h) => h.node!)].filter((x, i, a) => i === 0 || x !== a[i - 1]);
        for (let i = 0; i + 1 < path.length; i++) expect(brokenPairs.has(`${path[i]}>${path[i + 1]}`), `${fixture}: ${path[i]} > ${path[i + 1]}`).toBe(true);
      }
    }
  });

  it("keeps hostile names inert: no markup or script can break out of the data", () => {
    const html = htmlPage(hostileData(), "/* viewer */");
    expect(html).not.toContain(HOSTILE);
    expect(embedded(html).nodes[1]!.label).toBe(HOSTILE);
  });

  it("refuses --summary with html, and says why", async () => {
    const r = await run("report", join(FIXTURES, "seed-torch-chain"), "--format", "html", "--summary");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--summary goes with --format markdown/);
  });

  it("says clearly when it cannot write the file", async () => {
    const r = await run("report", join(FIXTURES, "seed-torch-chain"), "--format", "html", "--output", join(work, "no", "such", "dir", "r.html"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^snag: cannot write .*no such directory/);
  });
});

describe.skipIf(!HAVE_CHROMIUM)("the page in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Software WebGL (SwiftShader) so sigma draws without a GPU; no background traffic on a closed network.
      args: ["--no-sandbox", "--disable-gpu", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a report; every console error, page error and request is recorded. */
  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (r.url() !== pathToFileURL(file).href) problems.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.body.dataset.rendered !== undefined, null, { timeout: 20_000 });
    return { page, problems };
  }

  /** Pixels in the graph area that are not the white background. */
  async function inkedPixels(page: Page): Promise<number> {
    const png = PNG.sync.read(await page.locator("#graph").screenshot());
    let inked = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 235 || png.data[i + 1]! < 235 || png.data[i + 2]! < 235) inked++;
    return inked;
  }

  it("loads with no console errors and no requests, and draws the graph", async () => {
    const { file, data } = await writeReport("seed-bridge-mro-markers");
    const { page, problems } = await open(file);
    expect(await page.evaluate(() => Number(document.body.dataset.rendered))).toBe(data.nodes.length);
    expect(await page.evaluate(() => window.snag.graph.order)).toBe(data.nodes.length);
    // A drawn graph inks the canvas: a blank or failed WebGL context leaves it white.
    expect(await inkedPixels(page)).toBeGreaterThan(500);
    await page.screenshot({ path: join(SHOTS, "html-report-overview.png") });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("clicking a failing test file shows its chain, why it fails and the proposed fix", async () => {
    const { file, data } = await writeReport("seed-torch-chain");
    const { page, problems } = await open(file);
    const failing = data.nodes.find((n) => n.test === "test" && n.status === "fails" && (n.chain?.length ?? 0) > 1);
    expect(failing, "a test file blocked through a chain").toBeDefined();
    const pos = await page.evaluate((id) => window.snag.viewportPosition(id), failing!.id);
    const box = await page.locator("#graph").boundingBox();
    expect(pos && box).toBeTruthy();
    await page.mouse.click(box!.x + pos!.x, box!.y + pos!.y);
    await page.waitForFunction((id) => document.body.dataset.selected === id, failing!.id, { timeout: 5000 });
    const details = page.locator("#details");
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = (await details.innerText()).replace(/\s+/g, " ");
    expect(text).toContain(failing!.label);
    expect(text).toContain(failing!.cause!.message);
    for (const hop of failing!.chain!) expect(text).toContain(`${hop.file}:${hop.line}`);
    const cause = data.causes.find((c) => c.target === failing!.cause!.target)!;
    // The failing test file's root cause lives deeper: its fix is one click away, on the cause itself.
    await page.locator(`#cause-list li[data-index="${cause.index}"]`).click();
    const causeText = (await details.innerText()).replace(/\s+/g, " ");
    expect(causeText).toContain(cause.fix!.title);
    expect(await page.locator("#details pre.patch").innerText()).toContain(cause.fix!.patch.split("\n")[0]!);
    await page.screenshot({ path: join(SHOTS, "html-report-chain.png") });
    // Clicking the empty stage clears the selection (once the camera has finished moving).
    await page.waitForTimeout(500);
    await page.mouse.click(box!.x + 5, box!.y + 5);
    await expect.poll(() => page.evaluate(() => document.body.dataset.selected)).toBe("");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("finds a module by name and lists root causes by blast radius", async () => {
    const { file, data } = await writeReport("seed-bridge-mro-markers");
    const { page, problems } = await open(file);
    const items = page.locator("#cause-list li");
    expect(await items.count()).toBe(data.causes.length);
    const radii = data.causes.filter((c) => c.severity === "error").map((c) => c.blast.tests);
    expect([...radii].sort((a, b) => b - a)).toEqual(radii);
    expect((await items.first().innerText()).replace(/\s+/g, " ")).toContain(data.causes[0]!.target);

    const target = data.nodes.find((n) => n.label === "tests.integration.test_user_isolation")!;
    await page.locator("#search").fill("test_user_iso");
    await expect.poll(() => page.locator("#search-results li").first().innerText()).toContain(target.label);
    await page.locator("#search").press("Enter");
    await expect.poll(() => page.evaluate(() => document.body.dataset.selected)).toBe(target.id);
    expect((await page.locator("#details").innerText()).replace(/\s+/g, " ")).toContain("Cannot create a consistent method resolution order");
    await page.locator("#search").fill("no_such_module_anywhere");
    await expect.poll(() => page.locator("#search-results").innerText()).toContain("no module matches");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows hostile names as text and runs none of them", async () => {
    const file = join(work, "hostile.html");
    writeFileSync(file, htmlPage(hostileData()));
    const { page, problems } = await open(file);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.evaluate(() => window.snag.select("t"));
    expect(await page.locator("#details").innerText()).toContain("</script><script>window.pwned=1</script>");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stays usable at a thousand modules", async () => {
    const { generateRepo } = (await import(pathToFileURL(fileURLToPath(new URL("../bench/generate.js", import.meta.url))).href)) as {
      generateRepo: (root: string, n: number, o: { brokenEvery: number }) => unknown;
    };
    const root = join(work, "generated");
    generateRepo(root, 1000, { brokenEvery: 97 });
    const file = join(work, "generated.html");
    const r = await run("report", root, "--format", "html", "--output", file, "--quiet");
    expect(r.code, r.err).toBe(0);
    const data = embedded(readFileSync(file, "utf8"));
    expect(data.nodes.length).toBeGreaterThan(1000);
    const { page, problems } = await open(file);
    expect(await page.evaluate(() => Number(document.body.dataset.rendered))).toBe(data.nodes.length);
    expect(await inkedPixels(page)).toBeGreaterThan(5000);
    await page.screenshot({ path: join(SHOTS, "html-report-1000.png") });
    expect(problems).toEqual([]);
    await page.close();
  });
});
