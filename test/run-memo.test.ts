/**
 * The replayed `snag check`: a re-run with nothing changed prints exactly what a real run prints
 * and exits the same way, and any change snag could see (a module edited, added or removed, a
 * config file appearing, a package installed into the environment, an environment variable, a
 * different command line) makes it run for real. Every replayed answer is compared with a run
 * that uses no cache at all, and the environment case with what CPython itself imports.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { replay, replayTarget } from "../src/cli/replay.js";
import { copyFixture, python } from "./helpers/fixtures.js";

const BIN = new URL("../bin/snag.js", import.meta.url).pathname;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function real(argv: string[]): Promise<Run> {
  const r = { code: 0, out: "", err: "" };
  r.code = await main(["node", "snag", ...argv], { out: (t) => void (r.out += t), err: (t) => void (r.err += t) });
  return r;
}

function replayed(argv: string[]): Run | undefined {
  const r = { code: 0, out: "", err: "" };
  const code = replay(["node", "snag", ...argv], { out: (t) => void (r.out += t), err: (t) => void (r.err += t) });
  if (code === undefined) return undefined;
  r.code = code;
  return r;
}

/** What snag says with no cache in play: the reference every replay is held to. */
async function uncached(argv: string[]): Promise<Run> {
  process.env.SNAG_NO_CACHE = "1";
  try {
    return await real(argv);
  } finally {
    delete process.env.SNAG_NO_CACHE;
  }
}

const saved = { ...process.env };
const dirs: string[] = [];
beforeAll(() => {
  delete process.env.SNAG_NO_CACHE;
  delete process.env.SNAG_CACHE_DIR;
});
afterEach(() => {
  delete process.env.PYTEST_ADDOPTS;
});
afterAll(() => {
  process.env = saved;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(name = "seed-torch-chain"): string {
  const dir = copyFixture(name);
  dirs.push(dir);
  return dir;
}

/** Runs for real, then checks the memo replays that run byte for byte. */
async function recordAndReplay(argv: string[]): Promise<Run> {
  const first = await real(argv);
  const again = replayed(argv);
  expect(again, "a re-run with nothing changed is replayed").toBeDefined();
  expect(again).toEqual(first);
  expect(first).toEqual(await uncached(argv));
  return first;
}

describe("replayTarget", () => {
  it("finds the repository and cache directory the way commander reads them", () => {
    const cases: [string[], ReturnType<typeof replayTarget>][] = [
      [["check"], { root: process.cwd() }],
      [["check", "/r"], { root: "/r" }],
      [["check", "/r", "--format", "json", "-q"], { root: "/r" }],
      [["check", "--format=json", "/r"], { root: "/r" }],
      [["check", "--exclude", "a", "b", "--fail-on", "none"], { root: process.cwd() }],
      [["check", "/r", "--exclude", "a", "b"], { root: "/r" }],
      [["check", "/r", "--cache-dir", "/c"], { root: "/r", cacheDir: "/c" }],
    ];
    for (const [args, want] of cases) expect(replayTarget(["node", "snag", ...args]), args.join(" ")).toEqual(want);
  });

  it("declines what it does not recognise, and runs that must not be replayed", () => {
    for (const args of [["fix"], ["check", "--no-cache"], ["check", "--write-baseline", "b.json"], ["check", "-qv"], ["check", "a", "b"], ["check", "--help"], ["check", "--format"], ["check", "--", "x"]]) {
      expect(replayTarget(["node", "snag", ...args]), args.join(" ")).toBeUndefined();
    }
  });
});

describe("replaying snag check", () => {
  it("replays an unchanged repository in every format, and each format has its own entry", async () => {
    const root = repo();
    const text = await recordAndReplay(["check", root]);
    expect(text.code).toBe(1);
    const json = await recordAndReplay(["check", root, "--format", "json"]);
    expect(JSON.parse(json.out).summary.blocked).toBeGreaterThan(0);
    expect(replayed(["check", root])).toEqual(text);
    await recordAndReplay(["check", root, "--format", "sarif", "--fail-on", "none"]);
  });

  it("runs for real after a module is edited, added or removed, and agrees with an uncached run", async () => {
    const root = repo();
    const argv = ["check", root, "--format", "json"];
    const before = await recordAndReplay(argv);

    // The broken chain's root cause goes away: the heavy import becomes guarded.
    const adapter = join(root, "utils", "adapters", "model_adapter.py");
    writeFileSync(adapter, "try:\n    import torch\nexcept ImportError:\n    torch = None\n");
    expect(replayed(argv)).toBeUndefined();
    const edited = await recordAndReplay(argv);
    expect(edited.out).not.toBe(before.out);

    writeFileSync(join(root, "utils", "extra.py"), "import snag_memo_absent_module\n");
    expect(replayed(argv)).toBeUndefined();
    const added = await recordAndReplay(argv);
    expect(added.out).toContain("utils/extra.py");

    unlinkSync(join(root, "utils", "extra.py"));
    expect(replayed(argv)).toBeUndefined();
    expect((await recordAndReplay(argv)).out).toBe(edited.out);
  });

  it("runs for real when a config file appears or an environment variable pytest reads changes", async () => {
    const root = repo();
    const argv = ["check", root, "--format", "json"];
    await recordAndReplay(argv);
    writeFileSync(join(root, "pytest.ini"), "[pytest]\naddopts = -p snag_memo_absent_plugin\n");
    expect(replayed(argv)).toBeUndefined();
    const withIni = await recordAndReplay(argv);

    process.env.PYTEST_ADDOPTS = "-p snag_memo_other_absent_plugin";
    expect(replayed(argv)).toBeUndefined();
    const withEnv = await recordAndReplay(argv);
    expect(withEnv.out).toContain("snag_memo_other_absent_plugin");
    delete process.env.PYTEST_ADDOPTS;
    expect(replayed(argv)).toEqual(withIni);
  });

  it("runs for real when a package is installed into the environment, and then agrees with CPython", async () => {
    const root = repo("optional-dependency");
    const venv = join(root, ".venv");
    execFileSync("python3", ["-m", "venv", "--without-pip", venv]);
    writeFileSync(join(root, "needs_pkg.py"), "import snag_memo_installed_pkg\n");
    const argv = ["check", root, "--format", "json", "--fail-on", "none"];
    const importable = (r: Run) => (JSON.parse(r.out).modules as { module: string; importable: boolean }[]).find((m) => m.module === "needs_pkg")?.importable;
    expect(importable(await recordAndReplay(argv))).toBe(false);

    const site = python(join(venv, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).trim();
    mkdirSync(join(site, "snag_memo_installed_pkg"));
    writeFileSync(join(site, "snag_memo_installed_pkg", "__init__.py"), "");
    expect(replayed(argv)).toBeUndefined();
    const after = await recordAndReplay(argv);
    const truth = spawnSync(join(venv, "bin", "python"), ["-c", "import needs_pkg"], { cwd: root }).status === 0;
    expect(truth).toBe(true);
    expect(importable(after)).toBe(truth);
  });

  it("is keyed by the command line and the working directory", async () => {
    const root = repo();
    await recordAndReplay(["check", root, "--format", "json"]);
    expect(replayed(["check", root, "--format", "json", "--fail-on", "none"])).toBeUndefined();
    const cwd = process.cwd();
    try {
      process.chdir(root);
      expect(replayed(["check", root, "--format", "json"])).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  it("writes nothing with --no-cache or SNAG_NO_CACHE, and never records a run that writes a baseline", async () => {
    const root = repo();
    await real(["check", root, "--no-cache"]);
    expect(existsSync(join(root, ".snag-cache"))).toBe(false);
    await uncached(["check", root]);
    expect(existsSync(join(root, ".snag-cache"))).toBe(false);
    await real(["check", root, "--write-baseline", join(root, "baseline.json"), "-q"]);
    expect(readdirSync(join(root, ".snag-cache")).filter((n) => n.startsWith("run-"))).toEqual([]);
  });

  it("keeps the cache where --cache-dir says, and replays from there", async () => {
    const root = repo();
    const cacheDir = join(root, "..", `${root.split("/").pop()}-cache`);
    dirs.push(cacheDir);
    await recordAndReplay(["check", root, "--cache-dir", cacheDir]);
    expect(existsSync(join(root, ".snag-cache"))).toBe(false);
    expect(readdirSync(cacheDir).some((n) => n.startsWith("run-"))).toBe(true);
  });

  it("replays through the real launcher with the same stdout and exit code", () => {
    const root = repo();
    const env = { ...process.env, SNAG_NO_CACHE: "" };
    const once = () => spawnSync(process.execPath, [BIN, "check", root, "--format", "json"], { encoding: "utf8", env });
    const first = once();
    const second = once();
    expect(first.status).toBe(1);
    expect(second.status).toBe(first.status);
    expect(second.stdout).toBe(first.stdout);
    appendFileSync(join(root, "utils", "metrics.py"), "\nX = 1\n");
    const third = once();
    expect(third.status).toBe(1);
    expect(third.stdout).toBe(first.stdout); // a harmless edit: a real run with the same answer
  });
});
