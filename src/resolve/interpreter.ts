/**
 * The Python environment snag resolves against. The chosen interpreter is asked, with `-c`, for
 * its sys.path and import machinery facts; it imports nothing of the project (it runs from a
 * neutral working directory, and the project's directories are not on its path unless the
 * environment itself puts them there, e.g. an editable install).
 */
import { execFile } from "node:child_process";
import type { EnvMemo } from "../cache/env-memo.js";
import { existsSync, note, noteState, readdirSync, recording, stateOf, statSync, type PathState } from "../cache/observed-fs.js";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { stdlibNames, type PythonMinor, SUPPORTED_MINORS } from "./stdlib-names.js";

export interface PythonEnvironment {
  /** Absolute path of the interpreter, or undefined when none was used (`--no-env` without python). */
  executable?: string;
  /** How the interpreter was chosen. */
  source: "--python" | "VIRTUAL_ENV" | "project venv" | "PATH" | "none";
  /** With --python-version: the version of `executable` itself, which `version` no longer is. */
  executableVersion?: [number, number];
  version: [number, number, number];
  platform: string;
  osName: string;
  /** sys.path as user code sees it, minus the script directory entry. */
  path: string[];
  builtin: string[];
  frozen: string[];
  /** sys.modules at startup, with each module's file when it has one. */
  preloaded: Record<string, string | null>;
  /** Top-level standard-library names (sys.stdlib_module_names, or snag's table for older Pythons). */
  stdlibNames: string[];
  /** Directories whose modules count as the standard library. */
  stdlibDirs: string[];
  /** Directories whose modules count as installed third-party distributions. */
  sitePackages: string[];
  extensionSuffixes: string[];
  sourceSuffixes: string[];
  bytecodeSuffixes: string[];
  /** `--no-env`: third-party site directories were dropped from the path. */
  thirdPartyDisabled: boolean;
}

const PROBE = String.raw`
import sys
_pre = {n: getattr(m, "__file__", None) for n, m in list(sys.modules.items())}
import json, os, sysconfig, site
import importlib.machinery as mach
try:
    import _imp
    frozen = sorted(_imp._frozen_module_names())
except Exception:
    frozen = []
path = list(sys.path)
if path and path[0] in ("", os.getcwd()):
    path = path[1:]
sites = []
try:
    sites += site.getsitepackages()
except Exception:
    pass
try:
    if site.ENABLE_USER_SITE:
        sites.append(site.getusersitepackages())
except Exception:
    pass
for key in ("purelib", "platlib"):
    p = sysconfig.get_path(key)
    if p and p not in sites:
        sites.append(p)
print(json.dumps({
    "executable": sys.executable,
    "version": list(sys.version_info[:3]),
    "platform": sys.platform,
    "osName": os.name,
    "path": [os.path.abspath(p) for p in path],
    "builtin": sorted(sys.builtin_module_names),
    "frozen": frozen,
    "preloaded": {k: (v if isinstance(v, str) else None) for k, v in sorted(_pre.items()) if k != "__main__"},
    "stdlibNames": sorted(getattr(sys, "stdlib_module_names", [])),
    "stdlibDirs": sorted({sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")}),
    "sitePackages": sites,
    "extensionSuffixes": mach.EXTENSION_SUFFIXES,
    "sourceSuffixes": mach.SOURCE_SUFFIXES,
    "bytecodeSuffixes": mach.BYTECODE_SUFFIXES,
}))
`;

export interface EnvironmentRequest {
  /** `--python PATH`. */
  python?: string;
  /** `--no-env`: resolve against the standard library only. */
  noEnv?: boolean;
  /** `--python-version 3.12`, used when no interpreter is available or to override the stdlib table. */
  pythonVersion?: string;
  /** The repository root: its `.venv`/`venv` is the environment when nothing else is chosen. */
  root: string;
}

export class EnvironmentError extends Error {}

/**
 * Answers already had in this process (several scans in one process: the tests, `snag fix` after
 * a check), each with the state of the files it depends on (noteProbeInputs): reused only while
 * those are unchanged, like the memo kept on disk.
 */
const probeCache = new Map<string, Promise<{ env: PythonEnvironment; inputs: Map<string, PathState> }>>();

/**
 * The environment for `req`. An interpreter that is not there, or a bad --python-version, throws
 * an EnvironmentError at once; the interpreter itself is asked in a child process, which runs
 * while the caller goes on (snag parses the repository meanwhile), and a bad answer rejects.
 */
export function loadEnvironment(req: EnvironmentRequest, memo?: EnvMemo): Promise<PythonEnvironment> {
  const chosen = chooseInterpreter(req);
  if (!chosen) {
    if (req.python) throw new EnvironmentError(`Python interpreter not found: ${req.python}`);
    return Promise.resolve(tableEnvironment(req.pythonVersion ?? "3.12"));
  }
  if (req.pythonVersion && !parsePythonVersion(req.pythonVersion)) throw new EnvironmentError(`--python-version must look like 3.12, got ${JSON.stringify(req.pythonVersion)}`);
  return environmentOf(chosen, req, memo);
}

/** This process's answer for `key`, while the files it depends on are as they were (they are then noted). */
async function inProcess(key: string): Promise<PythonEnvironment | undefined> {
  const pending = probeCache.get(key);
  if (!pending) return undefined;
  const { env, inputs } = await pending;
  for (const [path, state] of inputs) {
    const link = path.startsWith("l:");
    if (stateOf(link ? path.slice(2) : path, link) !== state) {
      probeCache.delete(key);
      return undefined;
    }
  }
  for (const [path, state] of inputs) noteState(path, state);
  return env;
}

async function environmentOf(chosen: { executable: string; source: PythonEnvironment["source"] }, req: EnvironmentRequest, memo: EnvMemo | undefined): Promise<PythonEnvironment> {
  // What the interpreter answers depends on it, on the files noteProbeInputs names and on these.
  const memoKey = JSON.stringify([chosen.executable, chosen.source, Object.entries(process.env).filter(([k]) => k.startsWith("PYTHON")).sort()]);
  let env = await inProcess(memoKey);
  env ??= memo?.lookup<PythonEnvironment>("probe", memoKey);
  if (!env) {
    const pending = probe(chosen.executable, chosen.source).then((answer) => {
      const [, inputs] = recording(() => noteProbeInputs(chosen.executable, answer));
      return { env: answer, inputs };
    });
    probeCache.set(memoKey, pending);
    // A failed probe is asked again next time.
    pending.catch(() => probeCache.delete(memoKey));
    const got = await pending;
    memo?.keep("probe", memoKey, got.env, got.inputs);
    env = got.env;
  }
  let result = env;
  if (req.noEnv) {
    const site = new Set(env.sitePackages);
    result = { ...env, path: env.path.filter((p) => !site.has(p)), thirdPartyDisabled: true };
  }
  if (req.pythonVersion) result = retarget(result, req.pythonVersion);
  return result;
}

/**
 * What the probe's answer depends on, for a memoised run: the interpreter, its venv's
 * pyvenv.cfg, and the site directories with the .pth files `site` reads from them.
 */
function noteProbeInputs(executable: string, env: PythonEnvironment): void {
  note(executable);
  note(executable, true);
  note(join(dirname(dirname(executable)), "pyvenv.cfg"));
  for (const dir of env.sitePackages) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith(".pth")) note(join(dir, name));
  }
}

function chooseInterpreter(req: EnvironmentRequest): { executable: string; source: PythonEnvironment["source"] } | undefined {
  if (req.python) {
    const p = isAbsolute(req.python) || req.python.includes("/") ? resolve(req.python) : which(req.python);
    if (!p || !existsSync(p)) return undefined;
    const exe = statSync(p).isDirectory() ? venvPython(p) : p;
    return exe ? { executable: exe, source: "--python" } : undefined;
  }
  const virtualEnv = process.env.VIRTUAL_ENV;
  if (virtualEnv) {
    const exe = venvPython(virtualEnv);
    if (exe) return { executable: exe, source: "VIRTUAL_ENV" };
  }
  for (const name of [".venv", "venv"]) {
    const exe = venvPython(join(req.root, name));
    if (exe) return { executable: exe, source: "project venv" };
  }
  const onPath = which("python3") ?? which("python");
  return onPath ? { executable: onPath, source: "PATH" } : undefined;
}

function venvPython(dir: string): string | undefined {
  for (const rel of ["bin/python3", "bin/python", "Scripts/python.exe"]) {
    const p = join(dir, rel);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function probe(executable: string, source: PythonEnvironment["source"]): Promise<PythonEnvironment> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(
      executable,
      ["-c", PROBE],
      {
        cwd: tmpdir(),
        encoding: "utf8",
        timeout: 30_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, PYTHONSAFEPATH: "1", PYTHONDONTWRITEBYTECODE: "1" },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as { code?: number | string | null; signal?: string | null; killed?: boolean };
        const last = (stderr ?? "").trim().split("\n").pop();
        const detail = last || (e.killed || e.signal === "SIGTERM" ? "timed out" : e.signal ? `killed by ${e.signal}` : `exited with status ${e.code ?? "?"}`);
        reject(new EnvironmentError(`could not query ${executable}: ${detail}`));
      },
    ).stdin?.end();
  });
  let data: Omit<PythonEnvironment, "source" | "thirdPartyDisabled">;
  try {
    data = JSON.parse(out) as Omit<PythonEnvironment, "source" | "thirdPartyDisabled">;
    if (!Array.isArray(data.path) || !Array.isArray(data.version)) throw new Error("unexpected answer");
  } catch {
    throw new EnvironmentError(`could not query ${executable}: it did not answer like a Python interpreter`);
  }
  const stdlib = data.stdlibNames.length > 0 ? data.stdlibNames : [...tableNames(data.version[1])];
  return { ...data, stdlibNames: stdlib, source, thirdPartyDisabled: false };
}

function tableNames(minor: number): ReadonlySet<string> {
  const clamped = SUPPORTED_MINORS.includes(minor as PythonMinor) ? (minor as PythonMinor) : minor < 8 ? 8 : 14;
  return stdlibNames(clamped);
}

export function parsePythonVersion(text: string): [number, number] | undefined {
  const m = /^3\.(\d+)$/.exec(text.trim());
  return m ? [3, Number(m[1])] : undefined;
}

/** Resolve as another Python version would: the stdlib name table replaces the probed one. */
function retarget(env: PythonEnvironment, versionText: string): PythonEnvironment {
  const v = parsePythonVersion(versionText);
  if (!v) throw new EnvironmentError(`--python-version must look like 3.12, got ${JSON.stringify(versionText)}`);
  if (v[1] === env.version[1]) return env;
  return { ...env, executableVersion: [env.version[0], env.version[1]], version: [3, v[1], 0], stdlibNames: [...tableNames(v[1])].sort() };
}

/** No interpreter at all: only the standard-library table is known. */
function tableEnvironment(versionText: string): PythonEnvironment {
  const v = parsePythonVersion(versionText);
  if (!v) throw new EnvironmentError(`--python-version must look like 3.12, got ${JSON.stringify(versionText)}`);
  return {
    source: "none",
    version: [3, v[1], 0],
    platform: process.platform === "win32" ? "win32" : process.platform,
    osName: process.platform === "win32" ? "nt" : "posix",
    path: [],
    builtin: [],
    frozen: [],
    preloaded: {},
    stdlibNames: [...tableNames(v[1])].sort(),
    stdlibDirs: [],
    sitePackages: [],
    extensionSuffixes: [".cpython-3" + v[1] + "-x86_64-linux-gnu.so", ".abi3.so", ".so"],
    sourceSuffixes: [".py"],
    bytecodeSuffixes: [".pyc"],
    thirdPartyDisabled: true,
  };
}
