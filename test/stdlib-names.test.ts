import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import {
  SUPPORTED_MINORS,
  addedIn,
  removedIn,
  stdlibNames,
  type PythonMinor,
} from "../src/resolve/stdlib-names.js";

interface Probe {
  minor: number;
  /** sys.stdlib_module_names, or null before 3.10. */
  names: string[] | null;
  /** Importable names on disk (Lib/*.py, Lib packages, lib-dynload extensions) plus builtins. */
  scanned: string[];
}

const PROBE = String.raw`
import json, os, sys, sysconfig
names = set(sys.builtin_module_names)
lib = sysconfig.get_paths()["stdlib"]
for entry in os.listdir(lib):
    if entry.endswith(".py"):
        names.add(entry[:-3])
    elif os.path.isfile(os.path.join(lib, entry, "__init__.py")):
        names.add(entry)
dyn = os.path.join(lib, "lib-dynload")
if os.path.isdir(dyn):
    for entry in os.listdir(dyn):
        if entry.endswith(".so") or entry.endswith(".pyd"):
            names.add(entry.split(".")[0])
names = {n for n in names if n.isidentifier()}
std = getattr(sys, "stdlib_module_names", None)
print(json.dumps({
    "minor": sys.version_info[1],
    "names": sorted(std) if std is not None else None,
    "scanned": sorted(names),
}))
`;

function probe(executable: string): Probe | undefined {
  try {
    const out = execFileSync(executable, ["-I", "-c", PROBE], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    });
    return JSON.parse(out) as Probe;
  } catch {
    return undefined;
  }
}

/** Interpreters for 3.<minor> on this machine: `python3.<minor>` on PATH, then pyenv installs. */
function interpreterFor(minor: PythonMinor): Probe | undefined {
  const candidates = [`python3.${minor}`];
  const pyenvVersions = join(process.env["PYENV_ROOT"] ?? join(homedir(), ".pyenv"), "versions");
  if (existsSync(pyenvVersions)) {
    for (const entry of readdirSync(pyenvVersions)) {
      if (new RegExp(`^3\\.${minor}\\.\\d+$`).test(entry)) {
        candidates.push(join(pyenvVersions, entry, "bin", "python3"));
      }
    }
  }
  for (const candidate of candidates) {
    const result = probe(candidate);
    if (result?.minor === minor) return result;
  }
  return undefined;
}

// Test-only extensions that ship with CPython but are excluded from sys.stdlib_module_names.
const TEST_ONLY = /^(test|__hello__|__phello__|_ctypes_test|_test\w*|_xx\w*|xx\w*)$/;

// In the platform-independent list but never on disk in a Linux build, or optional there.
const NOT_ALWAYS_ON_LINUX = new Set([
  "_dbm", "_gdbm", "_frozen_importlib", "_frozen_importlib_external", "_msi", "_overlapped",
  "_scproxy", "_winapi", "_wmi", "msilib", "msvcrt", "nt", "winreg", "winsound",
]);

describe("stdlib-names table", () => {
  it("covers 3.8 through 3.14", () => {
    expect([...SUPPORTED_MINORS]).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it("returns each version's names in Python's sorted() order", () => {
    for (const minor of SUPPORTED_MINORS) {
      const names = [...stdlibNames(minor)];
      expect(names.length).toBeGreaterThan(280);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });

  it("includes core, builtin and platform-specific modules in every version", () => {
    const always = ["os", "sys", "importlib", "builtins", "marshal", "_imp", "posix", "nt", "winreg",
      "msvcrt", "_winapi", "_frozen_importlib", "encodings", "sre_compile", "__future__"];
    for (const minor of SUPPORTED_MINORS) {
      for (const name of always) expect(stdlibNames(minor).has(name), `${name} in 3.${minor}`).toBe(true);
    }
  });

  it("excludes test-only modules and non-stdlib names", () => {
    for (const minor of SUPPORTED_MINORS) {
      for (const name of ["test", "_testcapi", "xxlimited", "__hello__", "numpy", "setuptools", "typing_extensions"]) {
        expect(stdlibNames(minor).has(name), `${name} in 3.${minor}`).toBe(false);
      }
    }
  });

  it("knows the public removals", () => {
    const expected: Record<string, PythonMinor> = {
      _dummy_thread: 9, dummy_threading: 9,
      formatter: 10, parser: 10, symbol: 10, _peg_parser: 10,
      binhex: 11,
      distutils: 12, imp: 12, asynchat: 12, asyncore: 12, smtpd: 12,
      aifc: 13, audioop: 13, cgi: 13, cgitb: 13, chunk: 13, crypt: 13, imghdr: 13, mailcap: 13,
      msilib: 13, nis: 13, nntplib: 13, ossaudiodev: 13, pipes: 13, sndhdr: 13, spwd: 13, sunau: 13,
      telnetlib: 13, uu: 13, xdrlib: 13, lib2to3: 13,
      _compression: 14,
    };
    for (const [name, minor] of Object.entries(expected)) {
      expect(removedIn(name), name).toBe(minor);
      expect(stdlibNames((minor - 1) as PythonMinor).has(name), `${name} in 3.${minor - 1}`).toBe(true);
      expect(stdlibNames(minor).has(name), `${name} in 3.${minor}`).toBe(false);
    }
    expect(stdlibNames(11).has("distutils")).toBe(true);
    expect(stdlibNames(12).has("distutils")).toBe(false);
    expect(stdlibNames(12).has("telnetlib")).toBe(true);
    expect(stdlibNames(13).has("telnetlib")).toBe(false);
  });

  it("knows the public additions", () => {
    const expected: Record<string, PythonMinor> = {
      zoneinfo: 9, graphlib: 9, _zoneinfo: 9,
      tomllib: 11,
      annotationlib: 14, compression: 14, _zstd: 14,
    };
    for (const [name, minor] of Object.entries(expected)) {
      expect(addedIn(name), name).toBe(minor);
      expect(stdlibNames((minor - 1) as PythonMinor).has(name), `${name} in 3.${minor - 1}`).toBe(false);
      expect(stdlibNames(minor).has(name), `${name} in 3.${minor}`).toBe(true);
    }
    expect(stdlibNames(10).has("tomllib")).toBe(false);
    expect(stdlibNames(11).has("tomllib")).toBe(true);
    for (const minor of SUPPORTED_MINORS) {
      expect(stdlibNames(minor).has("annotationlib")).toBe(minor === 14);
    }
  });

  it("returns undefined for modules that never changed or were never stdlib", () => {
    for (const name of ["os", "json", "asyncio", "sre_parse", "numpy"]) {
      expect(addedIn(name), name).toBeUndefined();
      expect(removedIn(name), name).toBeUndefined();
    }
    expect(addedIn("distutils")).toBeUndefined();
    expect(removedIn("tomllib")).toBeUndefined();
  });

  it("agrees with the sets for every name ever listed", () => {
    const everything = new Set(SUPPORTED_MINORS.flatMap((m) => [...stdlibNames(m)]));
    for (const name of everything) {
      const present = SUPPORTED_MINORS.filter((m) => stdlibNames(m).has(name));
      const first = present[0]!;
      expect(addedIn(name), name).toBe(first === 8 ? undefined : first);
      const gone = SUPPORTED_MINORS.find((m) => m > first && !stdlibNames(m).has(name));
      expect(removedIn(name), name).toBe(gone);
    }
  });
});

describe("stdlib-names against real interpreters", () => {
  const python3 = probe("python3");

  it.skipIf(python3?.names == null)("matches the local python3's sys.stdlib_module_names", () => {
    const { minor, names } = python3!;
    expect(SUPPORTED_MINORS).toContain(minor);
    expect([...stdlibNames(minor as PythonMinor)]).toEqual(names);
  });

  for (const minor of SUPPORTED_MINORS) {
    const found = interpreterFor(minor);
    if (minor >= 10) {
      it.skipIf(found === undefined)(`matches sys.stdlib_module_names of an installed 3.${minor}`, () => {
        expect([...stdlibNames(minor)]).toEqual(found!.names);
      });
    } else {
      // No sys.stdlib_module_names before 3.10: check against what the installation ships.
      it.skipIf(found === undefined)(`matches the modules an installed 3.${minor} ships`, () => {
        const ours = stdlibNames(minor);
        const shipped = found!.scanned.filter((n) => !TEST_ONLY.test(n));
        expect(shipped.filter((n) => !ours.has(n))).toEqual([]);
        const onDisk = new Set(found!.scanned);
        expect([...ours].filter((n) => !onDisk.has(n) && !NOT_ALWAYS_ON_LINUX.has(n))).toEqual([]);
      });
    }
  }
});
