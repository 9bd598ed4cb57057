/**
 * Which files pytest collects, under which module names it imports them, and the sys.path user
 * code sees during the run: pytest inserts each test file's and conftest's "basedir" (the first
 * directory upward without `__init__.py`) at the front in prepend mode, at the back in append mode,
 * and not at all in importlib mode; `pythonpath` entries come before the environment's path.
 */
import { readFileSync } from "../cache/observed-fs.js";
import { dirname } from "node:path";
import type { PytestSettings } from "../discover/pytest-config.js";
import { fnmatch, fnmatchPath } from "../discover/fnmatch.js";

export interface TestModule {
  /** Root-relative file. */
  file: string;
  kind: "test" | "conftest";
  /** The module name pytest imports it under. */
  name: string;
  /** Root-relative basedir pytest inserts into sys.path (prepend/append modes); `""` is the root. */
  basedir: string;
}

export interface ImportRoots {
  /** Absolute sys.path during the test run, in order. */
  path: string[];
  tests: TestModule[];
}

export function computeRoots(opts: {
  root: string;
  files: readonly string[];
  pytest: PytestSettings;
  envPath: readonly string[];
  /** Basename of the root, for test files whose package chain reaches above it. */
  rootName: string;
  abs: (rel: string) => string;
  rel: (abs: string) => string | undefined;
}): ImportRoots {
  const { files, pytest } = opts;
  const fileSet = new Set(files);
  const hasInit = (dir: string) => fileSet.has(dir === "" ? "__init__.py" : `${dir}/__init__.py`);

  const rootdirRel = opts.rel(pytest.rootdir) ?? "";
  const initial =
    pytest.testpaths.length > 0 && rootdirRel === ""
      ? expandTestpaths(pytest.testpaths, files)
      : [""];

  // With --doctest-modules pytest imports every Python file it collects, test or not (setup.py
  // and __main__.py aside), so each one that fails to import is a collection error.
  const doctest = pytest.addopts.includes("--doctest-modules");
  const tests: TestModule[] = [];
  for (const file of files) {
    const base = file.slice(file.lastIndexOf("/") + 1);
    const isConftest = base === "conftest.py";
    const under = initial.find((p) => isWithin(file, p));
    if (under === undefined) {
      // Conftests in the directories above the initial paths are loaded too.
      if (!(isConftest && initial.some((p) => isWithin(p, dirOf(file))))) continue;
    } else {
      const dirs = dirOf(under === "" ? file : file.slice(under.length + 1)).split("/").filter(Boolean);
      if (dirs.some((d) => pytest.norecursedirs.some((pat) => fnmatch(d, pat)))) continue;
    }
    const isTest = !isConftest && (doctest ? !isSetupPy(file, opts.abs) && base !== "__main__.py" : pytest.pythonFiles.some((pat) => fnmatchPath(file, pat)));
    if (!isConftest && !isTest) continue;
    const { name, basedir } = pytestModuleName(file, pytest.importMode, hasInit, opts.rootName);
    tests.push({ file, kind: isConftest ? "conftest" : "test", name, basedir });
  }
  // pytest imports conftests before the test modules of their directories.
  tests.sort((a, b) => (a.kind === b.kind ? (a.file < b.file ? -1 : 1) : a.kind === "conftest" ? -1 : 1));

  const inserted: string[] = [];
  if (pytest.importMode !== "importlib") {
    for (const t of tests) {
      const abs = opts.abs(t.basedir);
      if (!inserted.includes(abs)) inserted.push(abs);
    }
  }
  const path: string[] = [];
  const add = (p: string) => {
    if (!path.includes(p)) path.push(p);
  };
  if (pytest.importMode === "prepend") for (const p of [...inserted].reverse()) add(p);
  for (const p of pytest.pythonpath) add(p);
  for (const p of opts.envPath) add(p);
  if (pytest.importMode === "append") for (const p of inserted) add(p);
  return { path, tests };
}

/** pytest's `_is_setup_py`: a setup.py that mentions setuptools or distutils is never imported. */
function isSetupPy(file: string, abs: (rel: string) => string): boolean {
  if (file.slice(file.lastIndexOf("/") + 1) !== "setup.py") return false;
  try {
    const bytes = readFileSync(abs(file), "latin1");
    return bytes.includes("setuptools") || bytes.includes("distutils");
  } catch {
    return false;
  }
}

/** `path` is `dir` or lies below it (`""` is the root). */
function isWithin(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(`${dir}/`);
}

function dirOf(file: string): string {
  const i = file.lastIndexOf("/");
  return i === -1 ? "" : file.slice(0, i);
}

function expandTestpaths(testpaths: readonly string[], files: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of testpaths) {
    const tp = raw.replace(/^\.\//, "").replace(/\/+$/, "");
    if (/[*?[]/.test(tp)) {
      // Globs select existing directories or files; derive the matching prefixes from the file list.
      const seen = new Set<string>();
      for (const f of files) {
        const parts = f.split("/");
        for (let i = 1; i <= parts.length; i++) {
          const prefix = parts.slice(0, i).join("/");
          if (!seen.has(prefix) && fnmatch(prefix, tp)) {
            seen.add(prefix);
            out.push(prefix);
          }
        }
      }
    } else out.push(tp === "." ? "" : tp);
  }
  return out;
}

/**
 * pytest's module name for a test file or conftest. prepend/append: the package chain above the
 * file (directories with `__init__.py`) and its parent as basedir. importlib: the rootdir-relative
 * dotted path.
 */
export function pytestModuleName(
  file: string,
  mode: PytestSettings["importMode"],
  hasInit: (dir: string) => boolean,
  rootName: string,
): { name: string; basedir: string } {
  const stem = file.replace(/\.py$/, "");
  const dropInit = (parts: string[]) => (parts[parts.length - 1] === "__init__" ? parts.slice(0, -1) : parts);
  if (mode === "importlib") return { name: dropInit(stem.split("/")).join("."), basedir: dirOf(file) };
  let dir = dirOf(file);
  if (!hasInit(dir)) return { name: dropInit([stem.slice(dir === "" ? 0 : dir.length + 1)]).join("."), basedir: dir };
  while (dir !== "" && hasInit(dirOf(dir))) dir = dirOf(dir);
  if (dir === "") {
    // The scanned root is itself a package: pytest's basedir lies above it.
    return { name: dropInit([rootName, ...stem.split("/")]).join("."), basedir: ".." };
  }
  const basedir = dirOf(dir);
  return { name: dropInit(stem.slice(basedir === "" ? 0 : basedir.length + 1).split("/")).join("."), basedir };
}
