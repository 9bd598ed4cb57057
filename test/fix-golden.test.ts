/**
 * Golden files: the exact diff `snag fix` prints and the exact Markdown `snag report` writes for
 * the fixtures that reproduce the seed reports. Regenerate with `UPDATE_GOLDEN=1 npx vitest run
 * test/fix-golden.test.ts` and review the change like code. Interpreter paths and versions are
 * replaced by placeholders so the files do not depend on the machine.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { copyFixtureInto } from "./helpers/fixtures.js";

/** A copy named like the fixture: the report's title is the repository's directory name. */
function copyNamed(name: string): string {
  const dir = join(realpathSync(mkdtempSync(join(tmpdir(), "snag-golden-"))), name);
  copyFixtureInto(name, dir);
  return dir;
}

const GOLDEN = new URL("./golden/", import.meta.url).pathname;
const CASES = ["seed-torch-chain", "seed-bridge-mro-markers", "seed-renamed-exception", "src-layout", "seed-clean-suite", "optional-dependency"];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["node", "snag", ...args], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

function normalise(text: string, python: { executable?: string; version: string }, pytest: string | undefined): string {
  let t = text;
  if (python.executable) t = t.split(python.executable).join("<python>");
  t = t.split(`Python ${python.version}`).join("Python <version>");
  if (pytest) t = t.split(`pytest ${pytest}`).join("pytest <version>");
  return t;
}

function golden(file: string, actual: string): void {
  const path = `${GOLDEN}${file}`;
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.CI === "true" && !existsSync(path)) throw new Error(`golden file missing: test/golden/${file}`);
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("golden diffs and reports", () => {
  for (const name of CASES) {
    it(name, async () => {
      const root = copyNamed(name);
      const meta = JSON.parse((await run(["fix", root, "--format", "json"])).out) as { python: { executable?: string; version: string } };
      const report = await run(["report", root, "--format", "markdown"]);
      const pytest = /pytest (\d+\.\d+\.\d+)/.exec(report.out)?.[1];
      const diff = await run(["fix", root]);
      expect(diff.code).toBe(diff.out === "" ? 0 : 1);
      golden(`${name}.diff`, normalise(diff.out, meta.python, pytest));
      expect(report.code).toBe(0);
      golden(`${name}.md`, normalise(report.out.split(root).join("<root>"), meta.python, pytest));
    }, 60_000);
  }
});
