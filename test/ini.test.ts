import { execFileSync } from "node:child_process";
import { describe, it, expect } from "vitest";
import { parseIni } from "../src/discover/ini.js";

type Oracle =
  | { ok: true; sections: [string, number, [string, string, number][]][] }
  | { ok: false; line: number; msg: string };

// Each input is written to a real file and read the way pytest does (IniConfig(path): open() with
// encoding="utf-8" and universal newlines), so BOM and CRLF handling are part of the comparison.
const ORACLE = String.raw`
import base64, json, os, sys, tempfile, iniconfig
out = []
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "pytest.ini")
    for b64 in json.load(sys.stdin):
        with open(path, "wb") as f:
            f.write(base64.b64decode(b64))
        try:
            cfg = iniconfig.IniConfig(path)
        except iniconfig.ParseError as e:
            out.append({"ok": False, "line": e.lineno + 1, "msg": e.msg})
            continue
        out.append({"ok": True, "sections": [
            [name, cfg.lineof(name), [[k, v, cfg.lineof(name, k)] for k, v in vals.items()]]
            for name, vals in cfg.sections.items()
        ]})
print(json.dumps(out))
`;

function runIniconfig(inputs: string[]): Oracle[] | undefined {
  try {
    const input = JSON.stringify(inputs.map((s) => Buffer.from(s, "utf8").toString("base64")));
    return JSON.parse(execFileSync("python3", ["-c", ORACLE], { input, encoding: "utf8" })) as Oracle[];
  } catch {
    return undefined;
  }
}

const CASES: Record<string, string> = {
  empty: "",
  "only blank and comments": "\n   \n# c\n  ; c\n",
  basic: "[pytest]\naddopts = -q\ntestpaths = tests\n",
  "no trailing newline": "[pytest]\naddopts = -q",
  "colon separator": "[pytest]\naddopts: -q\nk:v\n",
  "colon before equals": "[s]\na:b=c\n",
  "equals before colon": "[s]\na=b:c\n",
  "two equals": "[s]\na = b = c\n",
  "inline hash kept in value": "[pytest]\naddopts = -q # quiet\n",
  "inline semicolon kept in value": "[pytest]\nx = a ; b\ny = #only\n",
  "inline comment in continuation kept": "[pytest]\ntestpaths =\n    tests # unit\n    more\n",
  "indented comment lines skipped": "[pytest]\nmarkers =\n    slow\n    # not a marker\n  ; neither\n    fast\n",
  continuation: "[pytest]\ntestpaths =\n    tests\n    integration\n",
  "continuation on non-empty value": "[pytest]\naddopts = -q\n    -x\n\t--tb=short\n",
  "blank line inside continuation dropped": "[pytest]\nk = a\n  b\n\n  c\n",
  "empty values": "[s]\na =\nb:\n=v\n:\nc=\n",
  "whitespace around key and value": "[s]\n  \nmy key   =   spaced value   \n",
  "section name whitespace kept": "[ pytest ]\nk = v\n",
  "section header comments": "[pytest] # c\nk = v\n[other] ; c\nj = w\n",
  "section with semicolon inside": "[a]\nk = v\n[a;b]\n",
  "section with trailing junk is a continuation": "[a]\nk = v\n[b] junk\nj = w\n",
  "section with trailing junk after header": "[a]\n[b] junk\n",
  "unterminated section after key": "[a]\nk = v\n[b\n",
  "double bracket": "[a]]\nk = v\n",
  "empty section name": "[]\nk = v\n",
  "bare word": "[pytest]\njustaword\n",
  "key outside section": "k = v\n[pytest]\n",
  "continuation at start": "  indented\n[pytest]\n",
  "continuation after header": "[pytest]\n  indented\n",
  "duplicate section": "[a]\nk = v\n[b]\n[a]\n",
  "duplicate key": "[a]\nk = 1\nk= 2\n",
  "same key in different sections": "[a]\nk = 1\n[b]\nk = 2\n",
  "line error reported before duplicate": "[a]\nk = 1\nk = 2\n[b]\nbad line\n",
  "crlf": "[pytest]\r\naddopts = -q\r\ntestpaths =\r\n    tests\r\n    more\r\n",
  "lone cr": "[pytest]\raddopts = -q\r  -x\r",
  "mixed newlines": "[pytest]\r\na = 1\rb = 2\nc = 3\r\n",
  "bom before section": "\uFEFF[pytest]\naddopts = -q\n",
  "bom before cfg section": "\uFEFF[tool:pytest]\naddopts = -q\n",
  "bom before blank line": "\uFEFF\n[pytest]\n",
  "nbsp indent is a continuation": "[s]\nk = a\n\u00A0b\n",
  "unicode whitespace stripped": "[s]\nk = v\u3000\u00A0\n",
  "splitlines separators": "[s]\na = 1\x0cb = 2\x1cc = 3\u2028d = 4\x85e = 5\x0b",
  "unit separator is whitespace": "[s]\nk = v\x1f\n",
  "percent and astral": "[s]\nk = 100%\nemoji = \u{1F600}\n",
  "tab-indented section is a continuation": "[a]\nk = v\n\t[b]\n",
  "tox.ini": "[tox]\nenvlist = py311, py312\n\n[testenv]\ndeps =\n    pytest\ncommands = pytest {posargs}\n\n[pytest]\naddopts = -ra\npython_files = test_*.py check_*.py\n",
  "setup.cfg": "[metadata]\nname = pkg\n\n[options]\npackage_dir =\n    = src\npackages = find:\n\n[options.packages.find]\nwhere = src\n\n[tool:pytest]\ntestpaths = tests\n",
};

const names = Object.keys(CASES);
const oracle = runIniconfig(names.map((n) => CASES[n]!));

function ours(text: string) {
  const { file, errors } = parseIni(text);
  const sections = [...file.sections.values()].map((s) => [
    s.name,
    s.line,
    [...s.values].map(([k, v]) => [k, v.value, v.line]),
  ]);
  return { sections, errors };
}

describe.skipIf(oracle === undefined)("parseIni against iniconfig", () => {
  names.forEach((name, i) => {
    it(name, () => {
      const expected = oracle![i]!;
      const { sections, errors } = ours(CASES[name]!);
      if (expected.ok) {
        expect(errors).toEqual([]);
        expect(sections).toEqual(expected.sections);
      } else {
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.some((e) => e.line === expected.line && e.message.includes(expected.msg))).toBe(true);
      }
    });
  });
});

// Random soup of the characters that matter to iniconfig, seeded so failures reproduce.
const FUZZ_ATOMS = ["[", "]", "a", "=", ":", "#", ";", " ", "\t", "\n", "\n", "\r\n", "\r", "\u00A0", "\x1c", "\x0c", "\uFEFF", "[a]\n", "k=v\n", "  c\n", "'", "\\", "\u{1F600}"];
const fuzzInputs: string[] = [];
for (let i = 0, seed = 12345; i < 2000; i++) {
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let s = rnd() < 0.7 ? "[a]\n" : "";
  for (let n = Math.floor(rnd() * 25); n > 0; n--) s += FUZZ_ATOMS[Math.floor(rnd() * FUZZ_ATOMS.length)];
  fuzzInputs.push(s);
}
const fuzzOracle = runIniconfig(fuzzInputs);

describe.skipIf(fuzzOracle === undefined)("parseIni against iniconfig on random input", () => {
  it("agrees on every input", () => {
    const mismatches = fuzzInputs.filter((text, i) => {
      const expected = fuzzOracle![i]!;
      const { sections, errors } = ours(text);
      if (expected.ok) return errors.length > 0 || JSON.stringify(sections) !== JSON.stringify(expected.sections);
      return !errors.some((e) => e.line === expected.line && e.message.includes(expected.msg));
    });
    expect(mismatches).toEqual([]);
  });
});

describe("parseIni", () => {
  it("keeps the sections before an error", () => {
    const { file, errors } = parseIni("[pytest]\naddopts = -q\n[pytest]\nk = v\n");
    expect(errors).toEqual([{ line: 3, message: "duplicate section 'pytest'" }]);
    expect(file.sections.get("pytest")?.values.get("addopts")).toEqual({ value: "-q", line: 2 });
    expect(file.sections.get("pytest")?.values.has("k")).toBe(false);
  });

  it("keeps the first of duplicate keys and drops the second's continuation", () => {
    const { file, errors } = parseIni("[s]\nk = 1\nk = 2\n  more\n");
    expect(errors).toEqual([{ line: 3, message: "duplicate name 'k'" }]);
    expect(file.sections.get("s")?.values.get("k")?.value).toBe("1");
  });

  it("collects several errors in line order", () => {
    const { errors } = parseIni("k = v\n[a]\n  x\n[a]\nword\n");
    expect(errors.map((e) => e.line)).toEqual([1, 3, 4, 5]);
  });

  it("reports a BOM but still parses past it", () => {
    const { file, errors } = parseIni("\uFEFF[pytest]\r\naddopts = -q\r\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(1);
    expect(errors[0]!.message).toContain("BOM");
    expect(file.sections.get("pytest")?.values.get("addopts")?.value).toBe("-q");
  });

  it("reports NUL bytes without throwing, values still as iniconfig reads them", () => {
    const text = "[s]\nk = a\0b\n";
    const { file, errors } = parseIni(text);
    expect(errors).toEqual([{ line: 2, message: expect.stringContaining("NUL") }]);
    expect(file.sections.get("s")?.values.get("k")?.value).toBe("a\0b");
    const o = runIniconfig([text]);
    if (o) expect(o[0]).toEqual({ ok: true, sections: [["s", 1, [["k", "a\0b", 2]]]] });
  });

  it("does not throw on UTF-16 text read as UTF-8", () => {
    const text = Buffer.from("[pytest]\naddopts = -q\n", "utf16le").toString("utf8");
    const { errors } = parseIni(text);
    expect(errors.length).toBeGreaterThan(0);
  });
});
