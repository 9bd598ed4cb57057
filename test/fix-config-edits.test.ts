import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, it, expect } from "vitest";
import { declareDependencyEdits, registerMarkerEdits } from "../src/fix/config-edits.js";
import type { TextEdit } from "../src/fix/model.js";

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function marker(file: string, text: string, name = "slow_io", description = "slow I/O tests"): string {
  const edits = registerMarkerEdits({ file, text }, name, description);
  if (!edits) throw new Error(`no edits for ${file}`);
  for (const e of edits) expect(e.file).toBe(file);
  return apply(text, edits);
}

function dep(file: string, text: string, dist = "numpy"): string {
  const edits = declareDependencyEdits({ file, text }, dist);
  if (!edits) throw new Error(`no edits for ${file}`);
  return apply(text, edits);
}

const crlf = (s: string): string => s.replace(/\n/g, "\r\n");
const hasLoneLf = (s: string): boolean => /(^|[^\r])\n/.test(s);

// ------------------------------------------------------------------------------------ Python oracle

/**
 * Reads each file the way its real consumer does: pytest's iniconfig for pytest INI files, tomllib
 * for TOML, setuptools for setup.cfg's install_requires, packaging for requirements lines. `rest` is
 * everything else in the file, to prove the edit changed nothing but the one setting.
 */
const ORACLE = String.raw`
import copy, json, os, sys, tempfile, tomllib, warnings
import iniconfig
from packaging.requirements import Requirement
warnings.simplefilter("ignore")

def pytest_table(base, doc):
    if base == "pyproject.toml":
        tp = doc.get("tool", {}).get("pytest", {})
        return tp["ini_options"] if "ini_options" in tp else tp
    return doc.get("pytest", {})

def markers(f, text):
    base = os.path.basename(f)
    if base.endswith(".toml"):
        doc = tomllib.loads(text)
        rest = copy.deepcopy(doc)
        value = pytest_table(base, doc).get("markers")
        pytest_table(base, rest).pop("markers", None)
        return {"markers": value, "rest": rest}
    cfg = iniconfig.IniConfig(f, data=text)
    section = "tool:pytest" if base == "setup.cfg" else "pytest"
    value = cfg.get(section, "markers")
    rest = {s.name: {k: v for k, v in s.items() if not (s.name == section and k == "markers")} for s in cfg}
    return {"markers": None if value is None else [l.strip() for l in value.splitlines() if l.strip()], "rest": rest}

def deps(f, text):
    base = os.path.basename(f)
    if base == "pyproject.toml":
        doc = tomllib.loads(text)
        rest = copy.deepcopy(doc)
        rest.get("project", {}).pop("dependencies", None)
        poetry = doc.get("tool", {}).get("poetry", {}).get("dependencies")
        return {"project": doc.get("project", {}).get("dependencies"), "poetry": poetry, "rest": rest}
    if base == "setup.cfg":
        from setuptools.config.setupcfg import read_configuration
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "setup.cfg")
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            return {"deps": read_configuration(path)["options"].get("install_requires")}
    lines = [l.split(" #")[0].strip() for l in text.replace("\r\n", "\n").replace("\\\n", "").splitlines()]
    return {"deps": [Requirement(l).name for l in lines if l and not l.startswith(("#", "-"))]}

out = []
for mode, f, text in json.load(sys.stdin):
    try:
        out.append((markers if mode == "markers" else deps)(f, text))
    except Exception as e:
        out.append({"error": f"{type(e).__name__}: {e}"})
print(json.dumps(out, default=str))
`;

type OracleResult = { markers?: string[] | null; rest?: unknown; project?: string[] | null; poetry?: Record<string, unknown> | null; deps?: string[] | null; error?: string };

function oracle(requests: ["markers" | "deps", string, string][]): OracleResult[] {
  const out = execFileSync("python3", ["-c", ORACLE], { input: JSON.stringify(requests), encoding: "utf8" });
  return JSON.parse(out) as OracleResult[];
}

function pytestEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PYTEST_ADDOPTS;
  // Third-party plugins (pytest-benchmark here) only slow start-up down.
  env.PYTEST_DISABLE_PLUGIN_AUTOLOAD = "1";
  return env;
}

/** A strict-markers collection of one test using `@pytest.mark.<name>` under `configFile`. */
function collect(configFile: string, configText: string, name = "slow_io"): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), "snag-"));
  mkdirSync(join(dir, dirname(configFile)), { recursive: true });
  writeFileSync(join(dir, configFile), configText);
  writeFileSync(join(dir, dirname(configFile), "test_m.py"), `import pytest\n\n@pytest.mark.${name}\ndef test_x():\n    pass\n`);
  const args = ["-m", "pytest", "--strict-markers", "--collect-only", "-q", "-p", "no:cacheprovider"];
  return new Promise((resolve) => {
    execFile("python3", args, { cwd: join(dir, dirname(configFile)), env: pytestEnv() }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, out: stdout + stderr });
    });
  });
}

// --------------------------------------------------------------------------------- marker fixtures

interface MarkerKind {
  file: string;
  /** The pytest section or table. */
  label: string;
  variants: Record<string, string>;
  /** No pytest section at all. */
  none: string;
}

function iniKind(file: string, section: string, other: string): MarkerKind {
  return {
    file,
    label: section,
    variants: {
      multi: `[${other}]\nkey = 1\n\n[${section}]\naddopts = -ra\nmarkers =\n  slow: slow tests\n\n  # a comment inside the value\n  net(host): needs network\n; trailing comment\n\ntestpaths = tests\n\n[extra]\nx = 1\n`,
      single: `[${section}]\nmarkers = slow: slow tests\ntestpaths = tests\n`,
      emptyValue: `[${section}]\nmarkers =\ntestpaths = tests\n`,
      missingKey: `[${section}]\naddopts = -ra\n\n# trailing\n\n[${other}]\nkey = 1\n`,
      headerOnly: `[${section}]\n`,
      lastLine: `[${section}]\nmarkers =\n    slow: slow tests`,
    },
    none: `[${other}]\nkey = 1\n`,
  };
}

function tomlKind(file: string, table: string): MarkerKind {
  return {
    file,
    label: table,
    variants: {
      multi: `[${table}]\naddopts = "-ra"\nmarkers = [\n    "slow: slow tests",  # why [not] "this"\n    'net(host): needs network'\n]\ntestpaths = ["tests"]\n\n[tool.other]\nx = 1\n`,
      multiTrailingComma: `[${table}]\nmarkers = [\n  "slow: slow tests",\n]\n`,
      multiCloseOnItemLine: `[${table}]\nmarkers = [\n    "slow: slow tests",\n    "net: network"]\nx = 1\n`,
      single: `[${table}]\nmarkers = ["slow: slow tests"]\n`,
      singleTrailingComma: `[${table}]\nmarkers = ["slow: slow tests", ]\n`,
      empty: `[${table}]\nmarkers = []\n`,
      emptyMulti: `[${table}]\nmarkers = [\n]\n`,
      missingKey: `[${table}]\nminversion = "6.0"\nrequired_plugins = """\n[tool.x]\n"""\n\n# comment\n\n[tool.other]\nx = 1\n`,
      headerOnly: `[${table}]\n\n[tool.other]\nx = 1\n`,
      lastLine: `[${table}]\nmarkers = ["slow: slow tests"]`,
    },
    none: `[tool.other]\nx = 1\n`,
  };
}

const MARKER_KINDS: MarkerKind[] = [
  iniKind("pytest.ini", "pytest", "other"),
  iniKind(".pytest.ini", "pytest", "other"),
  iniKind("sub/pytest.ini", "pytest", "other"),
  iniKind("tox.ini", "pytest", "testenv"),
  iniKind("setup.cfg", "tool:pytest", "metadata"),
  tomlKind("pyproject.toml", "tool.pytest.ini_options"),
  tomlKind("pyproject.toml", "tool.pytest"),
  tomlKind("pytest.toml", "pytest"),
];

const EOLS = { lf: (s: string) => s, crlf, noFinalNewline: (s: string) => s.replace(/\n+$/, "") } as const;

interface MarkerCase {
  title: string;
  file: string;
  eol: keyof typeof EOLS;
  before: string;
  after: string;
}

const DESCRIPTION = `slow I/O: "disk" \\ net; #1`;
const ENTRY = `slow_io: ${DESCRIPTION}`;

const markerCases: MarkerCase[] = MARKER_KINDS.flatMap((kind) =>
  Object.entries(kind.variants).flatMap(([variant, text]) =>
    (Object.keys(EOLS) as (keyof typeof EOLS)[]).map((eol) => {
      const before = EOLS[eol](text);
      return { title: `${kind.file} [${kind.label}] ${variant} ${eol}`, file: kind.file, eol, before, after: marker(kind.file, before, "slow_io", DESCRIPTION) };
    }),
  ),
);

describe("registerMarkerEdits: every file kind, layout and line ending, read back by Python", () => {
  let results: OracleResult[] = [];
  beforeAll(() => {
    results = oracle(markerCases.flatMap((c): ["markers", string, string][] => [["markers", c.file, c.before], ["markers", c.file, c.after]]));
  });

  it.each(markerCases.map((c, i) => [c.title, c, i] as const))("%s", (_title, c, i) => {
    const before = results[2 * i];
    const after = results[2 * i + 1];
    expect(before?.error).toBeUndefined();
    expect(after?.error).toBeUndefined();
    expect(after?.markers).toEqual([...(before?.markers ?? []), ENTRY]);
    expect(after?.rest).toEqual(before?.rest);
    if (c.eol === "crlf") expect(hasLoneLf(c.after)).toBe(false);
    else expect(c.after).not.toContain("\r");
    expect(c.after.endsWith("\n")).toBe(c.before.endsWith("\n"));
    // Idempotent, and still extensible.
    expect(registerMarkerEdits({ file: c.file, text: c.after }, "slow_io", "other words")).toEqual([]);
    expect(registerMarkerEdits({ file: c.file, text: c.after }, "slow_io", "")).toEqual([]);
    const twice = marker(c.file, c.after, "gpu", "needs a GPU");
    expect(registerMarkerEdits({ file: c.file, text: twice }, "gpu", "x")).toEqual([]);
  });

  it.each(MARKER_KINDS.map((k) => [k.file, k] as const))("%s without a pytest section gives undefined", (_f, kind) => {
    expect(registerMarkerEdits({ file: kind.file, text: kind.none }, "slow_io", "d")).toBeUndefined();
    expect(registerMarkerEdits({ file: kind.file, text: "" }, "slow_io", "d")).toBeUndefined();
  });
});

describe("registerMarkerEdits: exact text", () => {
  it("INI: appends after the last continuation line, reusing its indentation, skipping comments and blanks", () => {
    const text = "[pytest]\nmarkers =\n  slow: slow tests\n\n  # c\n  net: network\n; x\n\ntestpaths = tests\n";
    expect(marker("pytest.ini", text)).toBe("[pytest]\nmarkers =\n  slow: slow tests\n\n  # c\n  net: network\n  slow_io: slow I/O tests\n; x\n\ntestpaths = tests\n");
  });

  it("INI: a single-line value gets a continuation line", () => {
    expect(marker("tox.ini", "[pytest]\nmarkers = slow: s\n[testenv]\n")).toBe("[pytest]\nmarkers = slow: s\n    slow_io: slow I/O tests\n[testenv]\n");
  });

  it("INI: a missing key goes after the section's last real line, before trailing blanks and comments", () => {
    expect(marker("setup.cfg", "[tool:pytest]\naddopts = -ra\n\n# about flake8\n[flake8]\nx = 1\n")).toBe(
      "[tool:pytest]\naddopts = -ra\nmarkers =\n    slow_io: slow I/O tests\n\n# about flake8\n[flake8]\nx = 1\n",
    );
    expect(marker("pytest.ini", "[pytest]")).toBe("[pytest]\nmarkers =\n    slow_io: slow I/O tests");
  });

  it("INI: only the exact section counts", () => {
    expect(registerMarkerEdits({ file: "setup.cfg", text: "[pytest]\nx = 1\n" }, "a", "b")).toBeUndefined();
    expect(registerMarkerEdits({ file: "pytest.ini", text: "[tool:pytest]\nx = 1\n" }, "a", "b")).toBeUndefined();
  });

  it("INI: a marker with arguments or no description counts as registered", () => {
    expect(registerMarkerEdits({ file: "pytest.ini", text: "[pytest]\nmarkers =\n    slow_io(reason)\n" }, "slow_io", "d")).toEqual([]);
    expect(registerMarkerEdits({ file: "pytest.ini", text: "[pytest]\nmarkers = slow_io\n" }, "slow_io", "d")).toEqual([]);
    expect(registerMarkerEdits({ file: "pytest.ini", text: "[pytest]\nmarkers = slow_iox: d\n" }, "slow_io", "d")).not.toEqual([]);
  });

  it("INI: a multi-line description stays on one line", () => {
    expect(marker("pytest.ini", "[pytest]\n", "m", "one\ntwo")).toBe("[pytest]\nmarkers =\n    m: one two\n");
  });

  it("TOML: multi-line array gets a new element before `]`, with a comma added to the old last one", () => {
    const text = `[tool.pytest.ini_options]\nmarkers = [\n  "slow: s"  # c\n]\n`;
    expect(marker("pyproject.toml", text)).toBe(`[tool.pytest.ini_options]\nmarkers = [\n  "slow: s",  # c\n  "slow_io: slow I/O tests",\n]\n`);
  });

  it("TOML: single-line and empty arrays", () => {
    expect(marker("pytest.toml", `[pytest]\nmarkers = ["slow: s"]\n`)).toBe(`[pytest]\nmarkers = ["slow: s", "slow_io: slow I/O tests"]\n`);
    expect(marker("pytest.toml", `[pytest]\nmarkers = ["slow: s",]\n`)).toBe(`[pytest]\nmarkers = ["slow: s", "slow_io: slow I/O tests",]\n`);
    expect(marker("pytest.toml", `[pytest]\nmarkers = [ ]\n`)).toBe(`[pytest]\nmarkers = ["slow_io: slow I/O tests"]\n`);
    expect(marker("pytest.toml", `[pytest]\nmarkers = [\n]\n`)).toBe(`[pytest]\nmarkers = [\n    "slow_io: slow I/O tests",\n]\n`);
  });

  it("TOML: a missing key goes after the table's last key, before the next header", () => {
    const text = `[tool.pytest.ini_options]\naddopts = "-ra"  # note\n\n[tool.pytest.ini_options.sub]\n`;
    expect(marker("pyproject.toml", text)).toBe(`[tool.pytest.ini_options]\naddopts = "-ra"  # note\nmarkers = ["slow_io: slow I/O tests"]\n\n[tool.pytest.ini_options.sub]\n`);
    expect(marker("pyproject.toml", `[tool.pytest]`)).toBe(`[tool.pytest]\nmarkers = ["slow_io: slow I/O tests"]`);
  });

  it("TOML: prefers ini_options when both tables exist, and finds quoted or dotted keys", () => {
    const both = `[tool.pytest]\nx = 1\n[tool.pytest.ini_options]\ny = 2\n`;
    expect(marker("pyproject.toml", both)).toBe(`[tool.pytest]\nx = 1\n[tool.pytest.ini_options]\ny = 2\nmarkers = ["slow_io: slow I/O tests"]\n`);
    const dotted = `[tool]\npytest.ini_options.markers = ["a: b"]\n`;
    expect(parseToml(marker("pyproject.toml", dotted))).toEqual({ tool: { pytest: { ini_options: { markers: ["a: b", "slow_io: slow I/O tests"] } } } });
    const quoted = `[ tool . "pytest" . 'ini_options' ]\n"markers" = ['a: b']\n`;
    expect(parseToml(marker("pyproject.toml", quoted))).toEqual({ tool: { pytest: { ini_options: { markers: ["a: b", "slow_io: slow I/O tests"] } } } });
  });

  it("TOML: ignores look-alikes in strings and comments, array tables, and gives up on unscannable files", () => {
    const tricky = `# [tool.pytest.ini_options]\n[tool.x]\ns = """\n[tool.pytest.ini_options]\nmarkers = [\n"""\n`;
    expect(registerMarkerEdits({ file: "pyproject.toml", text: tricky }, "a", "b")).toBeUndefined();
    expect(registerMarkerEdits({ file: "pytest.toml", text: "[[pytest]]\nx = 1\n" }, "a", "b")).toBeUndefined();
    expect(registerMarkerEdits({ file: "pytest.toml", text: "[pytest]\nmarkers = [\n" }, "a", "b")).toBeUndefined();
    expect(registerMarkerEdits({ file: "pytest.toml", text: `[pytest]\nmarkers = "a: b"\n` }, "a2", "b")).toBeUndefined();
  });

  it("TOML: scans past every value form in a realistic pyproject", () => {
    const text = [
      `[build-system]`,
      `requires = ["setuptools>=61", 'wheel']  # ] "`,
      `[project]`,
      `name = "x"`,
      `description = """a "quoted" \\`,
      `  ]] line-ending backslash""""`,
      `license = { text = 'MIT', files = ["L"] }`,
      `classifiers = [["nested", 1], [2.5, true], { a = 1 }]`,
      `released = 1979-05-27 07:32:00Z`,
      `"quoted.key" = 'C:\\path'`,
      `raw = '''`,
      `[tool.pytest.ini_options]`,
      `markers = [`,
      `'''`,
      `[[tool.cibw.overrides]]`,
      `select = "*"`,
      `[tool.pytest.ini_options]`,
      `addopts = "-ra"`,
      ``,
    ].join("\n");
    const after = marker("pyproject.toml", text);
    const [b, a] = [parseToml(text), parseToml(after)] as Record<string, any>[];
    expect(a?.tool.pytest.ini_options.markers).toEqual(["slow_io: slow I/O tests"]);
    delete a?.tool.pytest.ini_options.markers;
    expect(a).toEqual(b);
    expect(after.endsWith(`addopts = "-ra"\nmarkers = ["slow_io: slow I/O tests"]\n`)).toBe(true);
  });

  it("TOML: escapes the description and reads escaped existing markers", () => {
    const after = marker("pytest.toml", "[pytest]\n", "m", `a "quoted" \\ back\ttab \u0001`);
    expect(parseToml(after)).toEqual({ pytest: { markers: [`m: a "quoted" \\ back tab \u0001`] } });
    expect(registerMarkerEdits({ file: "pytest.toml", text: `[pytest]\nmarkers = ["\\u0073low: x", '''\nfast: y''']\n` }, "slow", "d")).toEqual([]);
    expect(registerMarkerEdits({ file: "pytest.toml", text: `[pytest]\nmarkers = ["\\u0073low: x", '''\nfast: y''']\n` }, "fast", "d")).toEqual([]);
  });
});

describe.concurrent("registerMarkerEdits: pytest --strict-markers accepts the marker only after the edit", () => {
  const configs: [string, string][] = [
    ["pytest.ini", "[pytest]\naddopts = -ra\nmarkers =\n    slow: slow tests\n"],
    [".pytest.ini", "[pytest]\nmarkers = slow: slow tests\n"],
    ["tox.ini", "[tox]\nenvlist = py3\n\n[pytest]\ntestpaths = .\n\n[testenv]\ncommands = pytest\n"],
    ["setup.cfg", "[metadata]\nname = x\n\n[tool:pytest]\nmarkers =\n\tslow: slow tests\n\n[flake8]\nmax-line-length = 100\n"],
    ["pyproject.toml", `[project]\nname = "x"\n\n[tool.pytest.ini_options]\nmarkers = [\n    "slow: slow tests",\n]\n`],
    ["pyproject.toml", `[tool.pytest]\nminversion = "9.0"\n`],
    ["pytest.toml", `[pytest]\nmarkers = ["slow: slow tests"]\n`],
    ["sub/pytest.ini", "[pytest]\r\nmarkers =\r\n    slow: slow tests\r\n"],
  ];
  it.each(configs)("%s", async (file, text) => {
    const after = marker(file, text, "slow_io", DESCRIPTION);
    const [failing, passing] = await Promise.all([collect(file, text), collect(file, after)]);
    expect([1, 2]).toContain(failing.code);
    expect(failing.out).toContain("'slow_io' not found in `markers` configuration option");
    expect(passing.out).toContain("1 test collected");
    expect(passing.code).toBe(0);
  });
});

// ---------------------------------------------------------------------------------- dependencies

describe("declareDependencyEdits: pyproject.toml", () => {
  const cases: [string, string, { project?: string[]; poetry?: Record<string, string> }][] = [
    ["multi-line", `[project]\nname = "x"\ndependencies = [\n    "requests>=2",\n    "click"  # cli\n]\n\n[project.urls]\nHome = "h"\n`, { project: ["requests>=2", "click", "numpy"] }],
    ["single-line", `[project]\ndependencies = ["requests"]\n`, { project: ["requests", "numpy"] }],
    ["empty", `[project]\ndependencies = []\n`, { project: ["numpy"] }],
    ["missing key, sub-table follows", `[project]\nname = "x"\nversion = "1"\n\n[project.urls]\nHome = "h"\n`, { project: ["numpy"] }],
    ["poetry", `[tool.poetry]\nname = "x"\n\n[tool.poetry.dependencies]\npython = "^3.9"\nrequests = { version = "^2", optional = true }\n\n[build-system]\nrequires = ["poetry-core"]\n`, { poetry: { python: "^3.9", requests: { version: "^2", optional: true } as never, numpy: "*" } }],
    ["poetry with dynamic project deps", `[project]\nname = "x"\ndynamic = ["dependencies"]\n[tool.poetry.dependencies]\npython = "^3.9"\n`, { poetry: { python: "^3.9", numpy: "*" } }],
    ["poetry table in use beside [project]", `[project]\nname = "x"\n[tool.poetry.dependencies]\nrequests = "^2"\n`, { poetry: { requests: "^2", numpy: "*" } }],
  ];
  const variants = cases.flatMap(([title, text, want]) =>
    (Object.keys(EOLS) as (keyof typeof EOLS)[]).map((eol) => ({ title: `${title} ${eol}`, eol, before: EOLS[eol](text), want })),
  );
  let results: OracleResult[] = [];
  beforeAll(() => {
    results = oracle(variants.flatMap((v): ["deps", string, string][] => [["deps", "pyproject.toml", v.before], ["deps", "pyproject.toml", dep("pyproject.toml", v.before)]]));
  });

  it.each(variants.map((v, i) => [v.title, v, i] as const))("%s", (_t, v, i) => {
    const after = dep("pyproject.toml", v.before);
    const [before, got] = [results[2 * i], results[2 * i + 1]];
    expect(got?.error).toBeUndefined();
    if (v.want.project) expect(got?.project).toEqual(v.want.project);
    if (v.want.poetry) expect(got?.poetry).toEqual(v.want.poetry);
    else expect(got?.rest).toEqual(before?.rest);
    if (v.before.includes("\r\n")) expect(hasLoneLf(after)).toBe(false);
    expect(declareDependencyEdits({ file: "pyproject.toml", text: after }, "NumPy")).toEqual([]);
  });

  it("exact text", () => {
    expect(dep("pyproject.toml", `[project]\ndependencies = [\n  "a",\n]\n`)).toBe(`[project]\ndependencies = [\n  "a",\n  "numpy",\n]\n`);
    expect(dep("pyproject.toml", `[project]\nname = "x"\n[project.urls]\n`)).toBe(`[project]\nname = "x"\ndependencies = ["numpy"]\n[project.urls]\n`);
    expect(dep("pyproject.toml", `[tool.poetry.dependencies]\npython = "^3.9"\n\n[x]\n`, "zope.interface>=5")).toBe(`[tool.poetry.dependencies]\npython = "^3.9"\n"zope.interface" = ">=5"\n\n[x]\n`);
  });

  it("already declared under another spelling", () => {
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[project]\ndependencies = ["NumPy>=1.0; python_version>'3'"]\n` }, "numpy")).toEqual([]);
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[project]\ndependencies = ["zope.interface[x]"]\n` }, "Zope_Interface")).toEqual([]);
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[tool.poetry.dependencies]\nPy-Yaml = "*"\n` }, "py.yaml")).toEqual([]);
  });

  it("no place for it", () => {
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[build-system]\nrequires = []\n` }, "numpy")).toBeUndefined();
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[project]\ndynamic = ["dependencies"]\n` }, "numpy")).toBeUndefined();
    expect(declareDependencyEdits({ file: "pyproject.toml", text: `[project\n` }, "numpy")).toBeUndefined();
    expect(declareDependencyEdits({ file: "setup.py", text: `` }, "numpy")).toBeUndefined();
  });
});

describe("declareDependencyEdits: setup.cfg", () => {
  const cases: [string, string, string[]][] = [
    ["multi-line", "[metadata]\nname = x\n\n[options]\ninstall_requires =\n  requests>=2\n\n  # c\n  click\npackages = find:\n\n[flake8]\n", ["requests>=2", "click", "numpy"]],
    ["single-line", "[options]\ninstall_requires = requests\n", ["requests", "numpy"]],
    ["single-line with `;`", "[options]\ninstall_requires = requests; click\nzip_safe = False\n", ["requests", "click", "numpy"]],
    ["missing key", "[options]\npackages = find:\n\n[options.extras_require]\ndev = pytest\n", ["numpy"]],
    ["header only", "[options]", ["numpy"]],
  ];
  const variants = cases.flatMap(([title, text, want]) =>
    (Object.keys(EOLS) as (keyof typeof EOLS)[]).map((eol) => ({ title: `${title} ${eol}`, eol, before: EOLS[eol](text), want })),
  );
  let results: OracleResult[] = [];
  beforeAll(() => {
    results = oracle(variants.map((v): ["deps", string, string] => ["deps", "setup.cfg", dep("setup.cfg", v.before)]));
  });

  it.each(variants.map((v, i) => [v.title, v, i] as const))("%s", (_t, v, i) => {
    const after = dep("setup.cfg", v.before);
    expect(results[i]?.error).toBeUndefined();
    expect(results[i]?.deps).toEqual(v.want);
    if (v.before.includes("\r\n")) expect(hasLoneLf(after)).toBe(false);
    expect(declareDependencyEdits({ file: "setup.cfg", text: after }, "numpy>=2")).toEqual([]);
  });

  it("exact text, already declared, no place", () => {
    expect(dep("setup.cfg", "[options]\ninstall_requires =\n\trequests\nzip_safe = False\n")).toBe("[options]\ninstall_requires =\n\trequests\n\tnumpy\nzip_safe = False\n");
    expect(declareDependencyEdits({ file: "setup.cfg", text: "[options]\ninstall_requires =\n  NumPy==1.0\n" }, "numpy")).toEqual([]);
    expect(declareDependencyEdits({ file: "setup.cfg", text: "[options]\ninstall_requires = a; numpy\n" }, "numpy")).toEqual([]);
    expect(declareDependencyEdits({ file: "setup.cfg", text: "[metadata]\nname = x\n" }, "numpy")).toBeUndefined();
    expect(declareDependencyEdits({ file: "setup.cfg", text: "[options]\ninstall_requires = file: requirements.txt\n" }, "numpy")).toBeUndefined();
  });
});

describe("declareDependencyEdits: requirements files", () => {
  const cases: [string, string, string[]][] = [
    ["plain", "# pinned\nrequests==2.0  # http\n-r base.txt\n\nclick\n", ["requests", "click", "numpy"]],
    ["empty", "", ["numpy"]],
    ["trailing continuation", "requests \\\n", ["requests", "numpy"]],
  ];
  const variants = cases.flatMap(([title, text, want]) =>
    (Object.keys(EOLS) as (keyof typeof EOLS)[]).map((eol) => ({ title: `${title} ${eol}`, eol, before: EOLS[eol](text), want })),
  );
  let results: OracleResult[] = [];
  beforeAll(() => {
    results = oracle(variants.map((v): ["deps", string, string] => ["deps", "requirements/base.txt", dep("requirements/base.txt", v.before)]));
  });

  it.each(variants.map((v, i) => [v.title, v, i] as const))("%s", (_t, v, i) => {
    const after = dep("requirements/base.txt", v.before);
    expect(results[i]?.error).toBeUndefined();
    expect(results[i]?.deps).toEqual(v.want);
    expect(after.startsWith(v.before)).toBe(true);
    if (v.before.includes("\r\n")) expect(hasLoneLf(after)).toBe(false);
    expect(declareDependencyEdits({ file: "requirements.txt", text: after }, "numpy")).toEqual([]);
  });

  it("exact text and already declared", () => {
    expect(dep("requirements.txt", "a\r\nb")).toBe("a\r\nb\r\nnumpy");
    expect(dep("requirements.txt", "a\n", " numpy>=1.2\n")).toBe("a\nnumpy>=1.2\n");
    expect(declareDependencyEdits({ file: "requirements.txt", text: "NumPy[extra]>=1 ; python_version<'4'  # x\n" }, "numpy")).toEqual([]);
    expect(declareDependencyEdits({ file: "requirements.txt", text: "# numpy\n" }, "numpy")).not.toEqual([]);
  });
});
