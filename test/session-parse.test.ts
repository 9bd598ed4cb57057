/**
 * The two readers behind the session preflight, on the shapes real plugins and configs use:
 * `addopts` read like argparse, and registrations read from plugin source without importing it.
 * (test/session-oracle.test.ts holds both to real pytest; these pin the edge cases.)
 */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../src/analyze/session/addopts.js";
import { actionArities, scanRegistrations, stringConstants, type OptionSpec } from "../src/analyze/session/addoption-scan.js";
import { satisfies } from "../src/analyze/session/versions.js";

const OPTIONS: OptionSpec[] = [
  { names: ["-v", "--verbose"], arity: "none" },
  { names: ["-s"], arity: "none" },
  { names: ["-r"], arity: "one" },
  { names: ["-p"], arity: "one" },
  { names: ["-W", "--pythonwarnings"], arity: "one" },
  { names: ["--tb"], arity: "one" },
  { names: ["--cache-show"], arity: "optional" },
  { names: ["--strict-config"], arity: "none" },
];

describe("addopts, read like argparse", () => {
  it("long options exactly, with = or a separate value", () => {
    const r = parseArgs(["--tb=short", "--tb", "long", "--strict-config", "--strict-conf"], OPTIONS);
    expect(r.unrecognized).toEqual(["--strict-conf"]);
    expect(r.values.get("--tb")).toEqual(["short", "long"]);
    expect(r.flags.has("--strict-config")).toBe(true);
  });
  it("clustered short flags, and a short option that takes the rest as its value", () => {
    const r = parseArgs(["-vvs", "-rA", "-W", "error", "-Wignore::UserWarning"], OPTIONS);
    expect(r.unrecognized).toEqual([]);
    expect(r.values.get("-r")).toEqual(["A"]);
    expect(r.values.get("-W")).toEqual(["error", "ignore::UserWarning"]);
  });
  it("an unknown short option inside a cluster is reported from that letter on", () => {
    expect(parseArgs(["-vn", "2"], OPTIONS).unrecognized).toEqual(["-n"]);
    expect(parseArgs(["-n2"], OPTIONS).unrecognized).toEqual(["-n2"]);
  });
  it("values of unknown options become paths, as they do for pytest", () => {
    const r = parseArgs(["-n", "auto", "tests", "--", "-v"], OPTIONS);
    expect(r.unrecognized).toEqual(["-n"]);
    expect(r.positional).toEqual(["auto", "tests", "-v"]);
  });
  it("-p values in order, no: included", () => {
    expect(parseArgs(["-p", "no:cacheprovider", "-pxdist"], OPTIONS).plugins).toEqual(["no:cacheprovider", "xdist"]);
  });
  it("an optional value is not taken from the next word", () => {
    const r = parseArgs(["--cache-show", "tests"], OPTIONS);
    expect(r.positional).toEqual(["tests"]);
  });
});

describe("registrations read from plugin source", () => {
  it("options with their arity, ini keys with aliases, markers", () => {
    const src = `
def pytest_addoption(parser):
    group = parser.getgroup("timeout")
    group.addoption(
        "--timeout",   # seconds
        type=float,
        help="Timeout in seconds.",
    )
    group.addoption("-x", "--exitfirst", action="store_true", help="'stop' (not an option: --fake)")
    group.addoption("--maybe", nargs="?", const=1)
    parser.addini("timeout", "The timeout", aliases=["timeout_seconds"])

def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "timeout(timeout, method=None): "
        "Set a timeout",
    )
`;
    const r = scanRegistrations(src);
    expect(r.options).toEqual([
      { names: ["--timeout"], arity: "one" },
      { names: ["-x", "--exitfirst"], arity: "none" },
      { names: ["--maybe"], arity: "optional" },
    ]);
    expect(r.ini).toEqual(["timeout", "timeout_seconds"]);
    expect(r.markers).toEqual(["timeout"]);
    expect(r.openOptions).toBeUndefined();
  });
  it("examples in docstrings and comments register nothing", () => {
    const src = `
def pytest_addoption(parser):
    """Example: parser.addoption("--docstring-only", action="store_true")"""
    # parser.addoption("--commented-out")
`;
    expect(scanRegistrations(src).options).toEqual([]);
  });
  it("custom actions, string constants and option helpers, the way pytest itself registers", () => {
    const actions = actionArities(`
class HelpAction(argparse.Action):
    def __init__(self, option_strings, dest=None, default=False, help=None):
        super().__init__(option_strings=option_strings, dest=dest, nargs=0, help=help)
`);
    const constants = stringConstants(`EMPTY_PARAMETERSET_OPTION = "empty_parameter_set_mark"\n`);
    const src = `
def pytest_addoption(parser):
    group._addoption("-h", "--help", action=HelpAction, dest="help")
    parser.addini(EMPTY_PARAMETERSET_OPTION, "Default marker")

    def add_option_ini(option, dest, default=None, **kwargs):
        parser.addini(dest, default=default, help="Default value for " + option)
        group.addoption(option, dest=dest, **kwargs)

    add_option_ini("--log-level", dest="log_level", default=None)
`;
    const r = scanRegistrations(src, { actions, constants });
    expect(r.options).toEqual([
      { names: ["-h", "--help"], arity: "none" },
      { names: ["--log-level"], arity: "one" },
    ]);
    expect(r.ini.sort()).toEqual(["empty_parameter_set_mark", "log_level"]);
    expect(r.openOptions).toBeUndefined();
    expect(r.openIni).toBeUndefined();
  });
  it("names built at run time leave the registrations open", () => {
    const src = `
def add_display_options(addoption, prefix="benchmark-"):
    addoption(f"--{prefix}sort", default="min")

def pytest_addoption(parser):
    group = parser.getgroup("benchmark")
    add_display_options(group.addoption)
    group.addoption(f"--{PREFIX}json")
`;
    expect(scanRegistrations(src).openOptions).toBe(true);
  });
});

describe("version specifiers", () => {
  it.each([
    ["2.4.0", ">=2", true],
    ["2.4.0", ">=2.1,<3", true],
    ["2.4.0", ">=99", false],
    ["9.1.1", "~=9.0", true],
    ["9.1.1", "~=9.0.0", false],
    ["3.8.0", "==3.8.*", true],
    ["3.9.0", "!=3.8.*", true],
    ["1.0", "==1.0.0", true],
  ])("%s %s → %s", (version, spec, ok) => {
    expect(satisfies(version, spec)).toBe(ok);
  });
});
