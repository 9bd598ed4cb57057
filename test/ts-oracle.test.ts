/**
 * The TypeScript/JavaScript fixtures are real: the repository's own tsc reports exactly the
 * diagnostics each fixture's story intends (and EXPECTED.md lists them verbatim), and node fails or
 * succeeds at run time where the story says so.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "./helpers/fixtures.js";
import { materialize, nodeRun, tscBuild, tscDiagnostics, type TscDiagnostic } from "./helpers/ts-oracle.js";

type Expected = [file: string, line: number, column: number, code: number];

interface Story {
  project?: string;
  diagnostics: Expected[];
  /** `node <entry>` in the materialised dir; `build` first emits with tsc (the project's outDir). */
  run?: { entry: string; build?: boolean; errorName?: string; message?: RegExp };
}

const STORIES: Record<string, Story> = {
  "ts-path-alias": {
    diagnostics: [["src/main.ts", 2, 21, 2307]],
  },
  "ts-path-alias-runner": {
    diagnostics: [["src/main.ts", 2, 21, 2307]],
  },
  "ts-js-specifier": {
    diagnostics: [["src/index.ts", 2, 23, 2307]],
  },
  "ts-barrel-star": {
    diagnostics: [
      ["src/index.test.ts", 2, 10, 2305],
      ["src/index.test.ts", 3, 10, 2724],
    ],
  },
  "ts-renamed-export": {
    diagnostics: [
      ["src/user.test.ts", 1, 10, 2724],
      ["src/user.test.ts", 2, 15, 2305],
    ],
  },
  "ts-moved-file": {
    diagnostics: [
      ["src/app/invoice.ts", 1, 30, 2307],
      ["src/app/receipt.ts", 1, 30, 2307],
    ],
  },
  "ts-exports-map": {
    diagnostics: [
      ["src/app.ts", 3, 24, 2307],
      ["src/app.ts", 4, 24, 2307],
    ],
  },
  "ts-workspaces": {
    diagnostics: [
      ["packages/app/src/total.ts", 2, 10, 2305],
      ["packages/app/src/total.ts", 3, 24, 2307],
    ],
  },
  "ts-runtime-cycle": {
    diagnostics: [],
    run: { entry: "entry.js", errorName: "ReferenceError", message: /^Cannot access 'A' before initialization$/ },
  },
  "ts-type-only-cycle": {
    diagnostics: [],
    run: { entry: "out/main.js", build: true },
  },
  "mixed-python-ts": {
    project: "frontend/tsconfig.json",
    diagnostics: [["frontend/src/api.test.ts", 2, 30, 2307]],
  },
};

const fmt = (d: TscDiagnostic): string => `${d.file}(${d.line},${d.column}): error TS${d.code}: ${d.message.split("\n")[0]}`;

describe("ts fixtures against the real tsc and node", () => {
  it("has a story for every ts-* fixture", () => {
    const onDisk = readdirSync(FIXTURES).filter((n) => n.startsWith("ts-") || n === "mixed-python-ts");
    expect(onDisk.sort()).toEqual(Object.keys(STORIES).sort());
  });

  for (const [fixture, story] of Object.entries(STORIES)) {
    describe(fixture, () => {
      it("tsc reports exactly the intended diagnostics, as EXPECTED.md lists them", () => {
        const dir = materialize(fixture);
        const diags = tscDiagnostics(dir, story.project);
        expect(diags.map((d) => [d.file, d.line, d.column, d.code]), diags.map(fmt).join("\n")).toEqual(story.diagnostics);
        const doc = readFileSync(join(FIXTURES, fixture, "EXPECTED.md"), "utf8");
        for (const d of diags) expect(doc).toContain(fmt(d));
        if (diags.length === 0) expect(doc).toMatch(/no diagnostics/i);
      });

      if (story.run) {
        const run = story.run;
        it(`node ${run.entry} ${run.errorName ? `throws ${run.errorName}` : "succeeds"}`, () => {
          const dir = materialize(fixture);
          if (run.build) expect(tscBuild(dir, story.project).map(fmt)).toEqual([]);
          const r = nodeRun(dir, run.entry);
          if (run.errorName) {
            expect(r.ok).toBe(false);
            expect(r.errorName).toBe(run.errorName);
            if (run.message) expect(r.message).toMatch(run.message);
          } else {
            expect(r, r.stderr).toMatchObject({ ok: true });
          }
        });
      }
    });
  }
});
