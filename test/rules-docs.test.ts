/**
 * Rule documentation stays one source of truth: docs/rules/*.md must be exactly what the generator
 * writes from src/rules/, and `snag rules` / `snag explain` must say the same things.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { ruleDoc, rulePageName, rulesIndex } from "../src/report/rule-docs.js";
import { RULES } from "../src/rules/index.js";

const DOCS = new URL("../docs/rules/", import.meta.url);
const STALE = "docs/rules is out of date: run `npm run docs` and commit the result";
const ANSI = /\x1b\[[0-9;]*m/g;
const STACK = /\n\s+at .+[(:]/;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(...args: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out: out.replace(ANSI, ""), err: err.replace(ANSI, "") };
}

function page(name: string): string | undefined {
  const url = new URL(name, DOCS);
  return existsSync(url) ? readFileSync(url, "utf8") : undefined;
}

describe("docs/rules", () => {
  it.each(RULES.map((meta) => [meta.id, meta] as const))("%s.md equals ruleDoc(meta)", (_id, meta) => {
    const name = rulePageName(meta);
    expect(page(name), `docs/rules/${name} is missing: ${STALE}`).toBeDefined();
    expect(page(name), `docs/rules/${name} differs: ${STALE}`).toBe(ruleDoc(meta));
  });

  it("README.md equals rulesIndex() and links every page", () => {
    expect(page("README.md"), `docs/rules/README.md differs: ${STALE}`).toBe(rulesIndex());
    for (const meta of RULES) expect(rulesIndex()).toContain(`](${rulePageName(meta)})`);
  });

  it("has no page for a rule that does not exist", () => {
    const expected = new Set([...RULES.map(rulePageName), "README.md"]);
    const stray = readdirSync(DOCS).filter((name) => name.endsWith(".md") && !expected.has(name));
    expect(stray, `stray pages in docs/rules: ${STALE}`).toEqual([]);
  });

  it("pages are LF-only and every example is a python block", () => {
    for (const meta of RULES) {
      const text = ruleDoc(meta);
      expect(text).not.toContain("\r");
      expect(text).toContain("\n```python\n");
      expect(text.endsWith("\n") && !text.endsWith("\n\n")).toBe(true);
    }
  });
});

describe("rule metadata", () => {
  it("every rule declares its fixes, even when there are none, without repeats", () => {
    for (const meta of RULES) {
      expect(meta.fixes, `${meta.id}: declare fixes (an empty list when snag fix proposes nothing)`).toBeDefined();
      expect(new Set(meta.fixes).size).toBe(meta.fixes!.length);
    }
  });

  it("ids are unique", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe("snag rules", () => {
  it("text lists every rule with its severity, one line each", async () => {
    const r = await run("rules");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    for (const meta of RULES) {
      const line = lines.find((l) => l.startsWith(`${meta.id} `));
      expect(line, meta.id).toBeDefined();
      expect(line).toMatch(new RegExp(`^${meta.id}\\s+${meta.severity}\\s+`));
      expect(line).toContain(meta.summary);
    }
  });

  it("text columns are aligned", async () => {
    const r = await run("rules");
    const rows = r.out.split("\n").filter((l) => RULES.some((m) => l.startsWith(`${m.id} `)));
    const summaryColumn = new Set(rows.map((row, i) => row.indexOf(RULES[i]!.summary)));
    expect(summaryColumn.size).toBe(1);
  });

  it("json is versioned and matches RULES", async () => {
    const r = await run("rules", "--format", "json");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const parsed = JSON.parse(r.out) as unknown;
    expect(parsed).toEqual({
      version: 1,
      kind: "snag-rules",
      rules: RULES.map((m) => ({ id: m.id, severity: m.severity, summary: m.summary, docs: m.docs, fixes: m.fixes ?? [] })),
    });
  });

  it("an unknown format is a usage error", async () => {
    const r = await run("rules", "--format", "yaml");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
  });
});

describe("snag explain", () => {
  it("prints the four sections, the example indented as code, and the automatic fixes", async () => {
    const r = await run("explain", "missing-module");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const headings = ["What it detects", "Why it matters", "Example", "How to fix", "Automatic fixes"];
    const positions = headings.map((h) => r.out.indexOf(`\n${h}`));
    for (const [i, h] of headings.entries()) expect(positions[i], h).toBeGreaterThan(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(r.out).toContain("\n    from src.integration import ServicePool");
    for (const kind of RULES.find((m) => m.id === "missing-module")!.fixes!) expect(r.out).toContain(kind);
  });

  it("says when snag fix proposes nothing", async () => {
    const r = await run("explain", "syntax-error");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Automatic fixes[^\n]*\n\s+none: /);
  });

  it("explains every rule", async () => {
    for (const meta of RULES) {
      const r = await run("explain", meta.id);
      expect(r.code, meta.id).toBe(0);
      expect(r.out.startsWith(`${meta.id} (${meta.severity})\n`)).toBe(true);
    }
  });

  it("a misspelt rule exits 2 with a did-you-mean, in one line", async () => {
    const r = await run("explain", "missing-modul");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^snag: unknown rule 'missing-modul' \(known: [^\n]+\)[^\n]*\n$/);
    expect(r.err).toContain("did you mean 'missing-module'");
    expect(r.err).not.toMatch(STACK);
  });

  it("an unknown rule lists the known ones and suggests nothing far away", async () => {
    const r = await run("explain", "zzz");
    expect(r.code).toBe(2);
    for (const meta of RULES) expect(r.err).toContain(meta.id);
    expect(r.err).not.toContain("did you mean");
  });

  it("without a rule is a usage error", async () => {
    const r = await run("explain");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/missing required argument 'rule'/);
    expect(r.err).not.toMatch(STACK);
  });
});
