/**
 * snag's own configuration: `snag.config.json`, `[tool.snag]` in pyproject.toml, or `"snag"` in
 * package.json (the first of these that exists wins). Keys may be written kebab-case or camelCase.
 * Anything snag does not understand is an error naming the key and the file: a typo in a config
 * must never silently change what a CI preflight checks.
 */
import { existsSync, readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import type { RuleId, Severity } from "../analyze/model.js";

export type RuleLevel = Severity | "off";

export interface SnagConfig {
  /** Root-relative file the configuration came from. */
  file?: string;
  /** gitignore-style patterns: only matching files are scanned (default: every .py file). */
  include?: string[];
  /** gitignore-style patterns left out of the scan, on top of .gitignore and the defaults. */
  exclude?: string[];
  /** Root-relative directories put at the front of sys.path, like pytest's `pythonpath`. */
  roots?: string[];
  /** The interpreter (or virtualenv) to resolve against. */
  python?: string;
  /** `none`: resolve as if nothing were installed (`--no-env`). */
  environment?: "auto" | "none";
  /** Target Python for the standard library (`--python-version`). */
  pythonVersion?: string;
  /** Per-rule severity, or `off`. */
  rules?: Partial<Record<RuleId, RuleLevel>>;
  /** Extra import names that count as heavy for `heavy-import`. */
  heavyPackages?: string[];
  /** Default for `--fail-on`. */
  failOn?: Severity | "none";
  /** Default for `--baseline`. */
  baseline?: string;
}

/** A configuration snag cannot use: reported in one line (exit 2), never guessed around. */
export class ConfigError extends Error {}

const LEVELS = ["error", "warning", "info", "off"];
const KEYS: Record<string, (v: unknown, where: string) => unknown> = {
  include: stringList,
  exclude: stringList,
  roots: stringList,
  python: str,
  environment: (v, where) => oneOf(v, where, ["auto", "none"]),
  pythonVersion: (v, where) => {
    const s = str(v, where);
    if (!/^3\.\d{1,2}$/.test(s)) throw new ConfigError(`${where} must look like "3.12", not ${JSON.stringify(v)}`);
    return s;
  },
  rules: rulesTable,
  heavyPackages: stringList,
  failOn: (v, where) => oneOf(v, where, ["error", "warning", "info", "none"]),
  baseline: str,
};

export function loadSnagConfig(root: string, ruleIds: readonly string[]): SnagConfig {
  const json = join(root, "snag.config.json");
  if (existsSync(json)) return validate(parseJson(json, "snag.config.json"), "snag.config.json", ruleIds);
  const pyproject = join(root, "pyproject.toml");
  if (existsSync(pyproject)) {
    let data: { tool?: { snag?: unknown } };
    try {
      data = parseToml(readFileSync(pyproject, "utf8")) as typeof data;
    } catch {
      data = {}; // an invalid pyproject.toml is reported by the discover stage
    }
    if (data.tool?.snag !== undefined) return validate(data.tool.snag, "pyproject.toml [tool.snag]", ruleIds, "pyproject.toml");
  }
  const pkg = join(root, "package.json");
  if (existsSync(pkg)) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(pkg, "utf8")) as unknown;
    } catch {
      data = {}; // the project's own file, not snag's: an invalid one is reported by the scripts scan
    }
    if (isTable(data) && data.snag !== undefined) return validate(data.snag, 'package.json "snag"', ruleIds, "package.json");
  }
  return {};
}

function parseJson(abs: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(abs, "utf8")) as unknown;
  } catch (err) {
    throw new ConfigError(`${file}: invalid JSON: ${(err as Error).message}`);
  }
}

function validate(raw: unknown, where: string, ruleIds: readonly string[], file = where): SnagConfig {
  if (!isTable(raw)) throw new ConfigError(`${where} must be a table of settings, not ${describe(raw)}`);
  const out: Record<string, unknown> = { file };
  for (const [key, value] of Object.entries(raw)) {
    if (key === "$schema") continue;
    const name = key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const check = KEYS[name];
    if (!check) {
      const known = Object.keys(KEYS).map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
      throw new ConfigError(`${where}: unknown key '${key}' (known: ${known.join(", ")})`);
    }
    out[name] = name === "rules" ? rulesTable(value, `${where}: '${key}'`, ruleIds) : check(value, `${where}: '${key}'`);
  }
  return out as SnagConfig;
}

function rulesTable(v: unknown, where: string, ruleIds: readonly string[] = []): Partial<Record<RuleId, RuleLevel>> {
  if (!isTable(v)) throw new ConfigError(`${where} must be a table of rule = level, not ${describe(v)}`);
  const out: Partial<Record<RuleId, RuleLevel>> = {};
  for (const [id, level] of Object.entries(v)) {
    if (!ruleIds.includes(id)) throw new ConfigError(`${where}: unknown rule '${id}' (known: ${ruleIds.join(", ")})`);
    out[id as RuleId] = oneOf(level, `${where}.${id}`, LEVELS) as RuleLevel;
  }
  return out;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? "a list" : v === null ? "null" : typeof v === "object" ? "a table" : `${typeof v} ${JSON.stringify(v)}`;
}

function str(v: unknown, where: string): string {
  if (typeof v !== "string" || v === "") throw new ConfigError(`${where} must be a non-empty string, not ${describe(v)}`);
  return v;
}

function stringList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new ConfigError(`${where} must be a list of strings, not ${describe(v)}`);
  return v as string[];
}

function oneOf(v: unknown, where: string, allowed: string[]): string {
  if (typeof v !== "string" || !allowed.includes(v)) throw new ConfigError(`${where} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, not ${JSON.stringify(v)}`);
  return v;
}
