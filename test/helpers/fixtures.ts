import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;
export const ORACLE = new URL("../oracle/find_spec.py", import.meta.url).pathname;

/**
 * Copies a fixture's files into `dir`, leaving out what running tools left in the checkout: a
 * `snag check` of the fixture itself (`npm run example`) writes its `.snag-cache/` there, and a
 * copy that carried it would start warm.
 */
export function copyFixtureInto(name: string, dir: string): void {
  cpSync(join(FIXTURES, name), dir, { recursive: true, filter: (p) => !/(^|[/\\])(\.snag-cache|__pycache__)$/.test(p) });
}

/** A private copy of a fixture, so tests may create venvs or caches in it. */
export function copyFixture(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `snag-${name}-`)));
  copyFixtureInto(name, dir);
  return dir;
}

export function python(exe: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(exe, args, {
    input: opts.input,
    cwd: opts.cwd ?? tmpdir(),
    encoding: "utf8",
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
    timeout: 120_000,
  });
}

/** pip's local wheel store: pass it explicitly so an offline install never waits on the network. */
export function pipIndexArgs(): string[] {
  try {
    const cfg = execFileSync("python3", ["-m", "pip", "config", "list"], { encoding: "utf8" });
    const m = /extra-index-url='([^']+)'/.exec(cfg);
    const urls = m ? m[1]!.split(/\s+/) : [];
    if (urls.length === 0) return [];
    return ["--index-url", urls[0]!, ...urls.slice(1).flatMap((u) => ["--extra-index-url", u])];
  } catch {
    return [];
  }
}
