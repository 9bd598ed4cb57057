/**
 * What snag keeps of the Python environment between runs (cache/env-memo.ts) is used only while
 * every file it was read from is unchanged: a memo never hides an install, a new .pth file or a
 * changed pytest. Held to a fresh, uncached scan and to CPython in a real virtualenv.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { openCacheDir } from "../src/cache/dir.js";
import { EnvMemo } from "../src/cache/env-memo.js";
import { readFileSync } from "../src/cache/observed-fs.js";
import { scan } from "../src/pipeline/scan.js";
import { python } from "./helpers/fixtures.js";

function tempDir(name: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `snag-${name}-`)));
}

describe("EnvMemo", () => {
  it("reuses a value while the files it read are unchanged, and works it out again when one changes or appears", () => {
    const dir = tempDir("memo");
    const a = join(dir, "a.txt");
    const b = join(dir, "b.txt");
    writeFileSync(a, "one");
    let computed = 0;
    const read = () => {
      computed++;
      let extra = "";
      try {
        extra = readFileSync(b, "utf8");
      } catch {
        // not there yet: its absence is part of the answer
      }
      return `${readFileSync(a, "utf8")}+${extra}`;
    };
    const memo = () => new EnvMemo(openCacheDir(dir, join(dir, "cache"))!);
    expect(memo().get("t", "k", read)).toBe("one+");
    expect(memo().get("t", "k", read)).toBe("one+");
    expect(computed).toBe(1);
    writeFileSync(a, "two!");
    expect(memo().get("t", "k", read)).toBe("two!+");
    expect(computed).toBe(2);
    writeFileSync(b, "new");
    expect(memo().get("t", "k", read)).toBe("two!+new");
    expect(computed).toBe(3);
    // Another key is another entry.
    expect(memo().get("t", "other", read)).toBe("two!+new");
    expect(computed).toBe(4);
    // Without a cache directory nothing is kept.
    const none = new EnvMemo(undefined);
    none.get("t", "k", read);
    none.get("t", "k", read);
    expect(computed).toBe(6);
  });
});

describe("a scan with a warm environment memo", () => {
  it("sees a package installed, a .pth file added and a distribution's metadata, as a fresh scan and CPython do", async () => {
    const root = tempDir("envmemo-repo");
    const venv = join(root, ".venv");
    execFileSync("python3", ["-m", "venv", "--without-pip", venv]);
    const exe = join(venv, "bin", "python");
    writeFileSync(join(root, "pyproject.toml"), '[tool.pytest.ini_options]\npythonpath = ["."]\n');
    writeFileSync(join(root, "uses_extra.py"), "import snag_memo_pth_module\n");
    writeFileSync(join(root, "uses_dist.py"), "import snag_memo_dist_module\n");
    const cacheDir = join(root, "..", `${root.split("/").pop()}-cache`);
    const run = async (cached: boolean) => {
      const s = await scan(root, cached ? { cache: openCacheDir(root, cacheDir)! } : {});
      const verdicts = Object.fromEntries(check(s).modules.map((m) => [m.module, m.importable]));
      return { verdicts, sysPath: s.resolved.sysPath, dists: s.resolved.distributions.all.map((d) => d.name) };
    };
    const first = await run(true);
    expect(first.verdicts).toMatchObject({ uses_extra: false, uses_dist: false });
    expect(readdirSync(cacheDir).filter((n) => n.startsWith("env-")).length).toBeGreaterThanOrEqual(2);
    expect(await run(true)).toEqual(first);

    // A .pth file puts a directory on sys.path: the interpreter's answer changes.
    const site = python(exe, ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).trim();
    const extra = tempDir("envmemo-extra");
    writeFileSync(join(extra, "snag_memo_pth_module.py"), "");
    writeFileSync(join(site, "snag_memo_extra.pth"), `${extra}\n`);
    // An installed distribution: its module and its metadata.
    mkdirSync(join(site, "snag_memo_dist_module"));
    writeFileSync(join(site, "snag_memo_dist_module", "__init__.py"), "");
    const info = join(site, "snag_memo_dist-1.0.dist-info");
    mkdirSync(info);
    writeFileSync(join(info, "METADATA"), "Metadata-Version: 2.1\nName: snag-memo-dist\nVersion: 1.0\n");
    writeFileSync(join(info, "RECORD"), "snag_memo_dist_module/__init__.py,,0\n");

    const after = await run(true);
    expect(after).toEqual(await run(false));
    expect(after.sysPath).toContain(extra);
    expect(after.dists).toContain("snag-memo-dist");
    for (const module of ["uses_extra", "uses_dist"]) {
      const truth = spawnSync(exe, ["-c", `import ${module}`], { cwd: root }).status === 0;
      expect(truth).toBe(true);
      expect(after.verdicts[module]).toBe(truth);
    }
  }, 120_000);
});
