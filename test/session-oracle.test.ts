/**
 * The pytest session preflight against real pytest, in two environments built from the local
 * wheel store: one with pytest alone, one with pytest-timeout, pytest-xdist and pytest-asyncio.
 * Each scenario is a small repository; pytest --collect-only runs in a fresh process, and snag's
 * session verdict (whether the session stops, with which exit code and why) and every per-file
 * verdict must equal what pytest did. snag's static read of what pytest and the plugins register
 * is checked against pytest's own parser too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../src/analyze/check.js";
import { preflightSession } from "../src/analyze/session/index.js";
import { scan } from "../src/pipeline/scan.js";
import { pipIndexArgs, python } from "./helpers/fixtures.js";

const PLUGIN_DIR = new URL("./oracle/", import.meta.url).pathname;
const REGISTRY = new URL("./oracle/pytest_registry.py", import.meta.url).pathname;
const work = realpathSync(mkdtempSync(join(tmpdir(), "snag-session-")));
const envs: Record<"plain" | "plugins", string> = { plain: join(work, "venv-plain"), plugins: join(work, "venv-plugins") };
type Env = keyof typeof envs | "system";
/** "system": the machine's python3, whose pytest-benchmark builds option names at run time. */
const exe = (env: Env) => (env === "system" ? "python3" : join(envs[env], "bin", "python"));

beforeAll(() => {
  for (const [name, dir] of Object.entries(envs)) {
    python("python3", ["-m", "venv", dir]);
    const pkgs = name === "plain" ? ["pytest"] : ["pytest", "pytest-timeout", "pytest-xdist", "pytest-asyncio"];
    python(join(dir, "bin", "python"), ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...pipIndexArgs(), ...pkgs]);
  }
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Files = Record<string, string>;

let counter = 0;
function repo(files: Files): string {
  const root = join(work, `repo-${counter++}`);
  for (const [path, text] of Object.entries({ "tests/test_a.py": "def test_a():\n    pass\n", ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

interface Truth {
  exit: number;
  output: string;
  reports?: { nodeid: string; outcome: string }[];
}

function pytest(root: string, env: Env): Truth {
  const out = join(root, ".collect.json");
  rmSync(out, { force: true });
  const r = spawnSync(exe(env), ["-P", "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "collect_plugin"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: PLUGIN_DIR, SNAG_COLLECT_OUT: out, PYTHONDONTWRITEBYTECODE: "1", PYTEST_ADDOPTS: "" },
    timeout: 120_000,
  });
  const truth: Truth = { exit: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
  if (existsSync(out)) truth.reports = (JSON.parse(readFileSync(out, "utf8")) as { reports: Truth["reports"] }).reports;
  return truth;
}

/** What pytest prints for each way a session stops: snag's cause must say the same thing. */
function expectedText(rule: string, target: string): string {
  switch (rule) {
    case "unknown-option":
      return `unrecognized arguments: ${target}`;
    case "unknown-ini-key":
      return `Unknown config option: ${target}`;
    case "conftest-failure":
      return `ImportError while loading conftest`;
    default:
      return target.includes(">") || target.includes(",") ? `Missing required plugins: ${target}` : target;
  }
}

async function compare(root: string, env: Env): Promise<string[]> {
  const truth = pytest(root, env);
  const scanned = await scan(root, { python: exe(env) });
  const result = check(scanned);
  const problems: string[] = [];
  const s = result.session;
  if (!s.collectable) {
    if (truth.exit !== s.exitCode) problems.push(`snag: session stops with exit ${s.exitCode} (${s.cause?.message}); pytest exited ${truth.exit}`);
    const text = expectedText(s.cause!.rule, s.cause!.target);
    if (!truth.output.includes(text)) problems.push(`pytest's output lacks '${text}':\n${truth.output.slice(0, 1500)}`);
  } else if (![0, 2, 5].includes(truth.exit)) {
    problems.push(`snag: the session runs; pytest exited ${truth.exit}:\n${truth.output.slice(0, 1500)}`);
  }
  // Per file: what pytest collected, when it got as far as collecting.
  const reports = new Map((truth.reports ?? []).map((r) => [r.nodeid, r.outcome]));
  for (const t of result.tests.filter((x) => x.kind === "test")) {
    const real = reports.has(t.file) && reports.get(t.file) !== "failed";
    if (real !== t.collectable) problems.push(`${t.file}: snag collectable=${t.collectable} (${t.cause?.message ?? ""}), pytest ${real ? "collected it" : "did not"}`);
  }
  return problems;
}

const INI = (body: string): Files => ({ "pytest.ini": `[pytest]\n${body}` });

const SCENARIOS: [string, Files][] = [
  ["plugin flags in addopts", INI("addopts = --timeout=5 -n 2\n")],
  ["an asyncio flag in addopts", INI("addopts = --asyncio-mode=auto\n")],
  ["a flag no plugin has", INI("addopts = --collect-on -q\n")],
  ["clustered short flags and values", INI("addopts = -rA -vv --tb=short -W ignore::DeprecationWarning\n")],
  ["a plugin's ini key under strict", INI("strict = true\ntimeout = 5\n")],
  ["a plugin's ini key under strict_config", INI("strict_config = true\nasyncio_mode = auto\n")],
  ["a plugin's ini key, not strict", INI("timeout = 5\n")],
  ["--strict-config in addopts", INI("addopts = --strict-config\nasyncio_mode = auto\n")],
  ["required_plugins", INI("required_plugins = pytest-timeout>=2 pytest-xdist\n")],
  ["required_plugins at a version nobody has", INI("required_plugins = pytest-timeout>=99\n")],
  ["-p a module that does not exist", INI("addopts = -p snag_certainly_absent_plugin\n")],
  ["-p no: then the plugin's flag", INI("addopts = -p no:timeout --timeout=3\n")],
  ["-p an entry-point name", INI("addopts = -p xdist -n 0\n")],
  ["minversion above pytest", INI("minversion = 99\n")],
  ["a rootdir conftest that fails", { ...INI(""), "conftest.py": "import snag_certainly_absent_module\n" }],
  ["a tests/ conftest that fails (initial)", { ...INI(""), "tests/conftest.py": "import snag_certainly_absent_module\n" }],
  ["a deeper conftest that fails", { ...INI(""), "tests/sub/conftest.py": "import snag_certainly_absent_module\n", "tests/sub/test_b.py": "def test_b():\n    pass\n" }],
  ["a testpaths conftest that fails", { ...INI("testpaths = tests/sub\n"), "tests/sub/conftest.py": "import snag_certainly_absent_module\n", "tests/sub/test_b.py": "def test_b():\n    pass\n" }],
  ["pytest_plugins in a deeper conftest", { ...INI(""), "tests/sub/conftest.py": 'pytest_plugins = ["json"]\n', "tests/sub/test_b.py": "def test_b():\n    pass\n" }],
  ["pytest_plugins naming nothing, in the rootdir conftest", { ...INI(""), "conftest.py": 'pytest_plugins = ["snag_certainly_absent_plugin"]\n' }],
  ["an option and an ini key a conftest registers", { ...INI("addopts = --runslow\nstrict = true\nmy_key = 1\n"), "conftest.py": 'def pytest_addoption(parser):\n    parser.addoption("--runslow", action="store_true")\n    parser.addini("my_key", "a key")\n' }],
  ["an unknown option's value is taken for a path: the rootdir anchors the conftests", { ...INI("addopts = -n auto\ntestpaths = tests/sub\n"), "tests/conftest.py": "import snag_certainly_absent_module\n", "tests/sub/test_b.py": "def test_b():\n    pass\n" }],
  ["a failing conftest and an unknown option: the conftest comes first", { ...INI("addopts = --timeout=5\n"), "conftest.py": "import snag_certainly_absent_module\n" }],
  ["required_plugins before a failing conftest", { ...INI("required_plugins = pytest-timeout\n"), "conftest.py": "import snag_certainly_absent_module\n" }],
  ["a plugin's marker under strict markers", { ...INI("strict_markers = true\n"), "tests/test_a.py": "import pytest\n\n@pytest.mark.timeout(5)\ndef test_a():\n    pass\n" }],
  ["--doctest-modules imports every module", { ...INI("addopts = --doctest-modules\n"), "pkg/__init__.py": "", "pkg/bad.py": "import snag_certainly_absent_module\n", "pkg/good.py": "X = 1\n", "setup.py": "from setuptools import setup\nraise ImportError('pytest never imports a setuptools setup.py')\n" }],
  ["--doctest-modules and a setup.py that is just a script", { ...INI("addopts = --doctest-modules\n"), "setup.py": "import snag_certainly_absent_module\n" }],
  ["filterwarnings = error and deprecated standard-library imports", { ...INI("filterwarnings =\n    error\n"), "tests/test_a.py": "import imp\n\ndef test_a():\n    pass\n", "tests/test_b.py": "import pkg.old\n\ndef test_b():\n    pass\n", "pkg/__init__.py": "", "pkg/old.py": "try:\n    import asyncore\nexcept ImportError:\n    asyncore = None\n", "tests/test_c.py": "def test_c():\n    pass\n" }],
  ["error, then an ignore for DeprecationWarning", { ...INI("filterwarnings =\n    error\n    ignore::DeprecationWarning\n"), "tests/test_a.py": "import imp\n\ndef test_a():\n    pass\n" }],
  ["error, then an ignore for one message", { ...INI("filterwarnings =\n    error\n    ignore:the imp module:DeprecationWarning\n"), "tests/test_a.py": "import imp\nimport telnetlib\n\ndef test_a():\n    pass\n" }],
  ["-W error in addopts", { ...INI("addopts = -W error::DeprecationWarning\n"), "tests/test_a.py": "import imp\n\ndef test_a():\n    pass\n" }],
  ["-p no:warnings turns the filters off", { ...INI("addopts = -p no:warnings\nfilterwarnings = error\n"), "tests/test_a.py": "import imp\n\ndef test_a():\n    pass\n" }],
  ["pyproject.toml with plugin settings", { "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "--timeout=5"\nasyncio_mode = "auto"\n' }],
];

describe.each(["plain", "plugins"] as const)("pytest in a venv: %s", (env) => {
  it.each(SCENARIOS)("%s", async (_name, files) => {
    const problems = await compare(repo(files), env);
    expect(problems).toEqual([]);
  });
});

const hasBenchmark = spawnSync("python3", ["-c", "import pytest_benchmark"]).status === 0;

describe.skipIf(!hasBenchmark)("a plugin whose options snag cannot read (the machine's python3)", () => {
  it.each([
    ["its own option is not called unknown", INI("addopts = --benchmark-sort=mean --benchmark-disable\n")],
    ["a well-known plugin's option is still unknown", INI("addopts = --timeout=5\n")],
    ["a well-known plugin's ini key under strict", INI("strict = true\ntimeout = 5\n")],
  ] as [string, Files][])("%s", async (_name, files) => {
    expect(await compare(repo(files), "system")).toEqual([]);
  });
});

describe("what pytest and its plugins register, read statically", () => {
  // The machine's own python3 has another pytest (9.0) than the venvs (the newest in the store).
  it.each(["plain", "plugins", "system"] as const)("equals pytest's own parser: %s", async (env) => {
    const root = repo(INI(""));
    const interpreter = env === "system" ? "python3" : exe(env);
    const real = JSON.parse(python(interpreter, [REGISTRY], { cwd: mkdtempSync(join(work, "empty-")) })) as { options: { names: string[]; arity: string }[]; ini: string[] };
    const scanned = await scan(root, { python: interpreter });
    const pytestVersion = scanned.resolved.distributions.all.find((d) => d.normalized === "pytest")?.version;
    const plugins = preflightSession(scanned, pytestVersion).plugins.filter((p) => !p.module.endsWith(".py") && p.module !== "conftest.py");
    const mine = new Set(plugins.flatMap((p) => p.options.map((o) => `${[...o.names].sort().join(" ")}:${o.arity === "many" ? "many" : o.arity}`)));
    const theirs = new Set(real.options.map((o) => `${o.names.join(" ")}:${o.arity}`));
    const ini = [...new Set(plugins.flatMap((p) => p.ini))].sort();
    if (plugins.some((p) => p.openOptions || p.openIni)) {
      // A plugin that builds its option names at run time (pytest-benchmark): what snag reads is
      // still all real, and the plugin is known to register more.
      for (const o of mine) expect(theirs.has(o), o).toBe(true);
      for (const k of ini) expect(real.ini).toContain(k);
      expect(env).toBe("system");
    } else {
      expect([...mine].sort()).toEqual([...theirs].sort());
      expect(ini).toEqual(real.ini);
    }
  });
});
