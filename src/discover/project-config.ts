/**
 * What a Python project declares about itself: dependencies (PEP 621, Poetry, requirements files),
 * `requires-python`, package directories (setuptools `package_dir` / `package-dir`) and `[tool.snag]`.
 */
import { readdirSync, readFileSync } from "../cache/observed-fs.js";
import { join } from "node:path";
import { diagnostic, type Diagnostic } from "../model/diagnostic.js";
import { normalizeDistName } from "../resolve/distributions.js";
import { parseIni } from "./ini.js";
import { readToml } from "./toml.js";

export interface DeclaredDependency {
  /** Distribution name as written. */
  name: string;
  /** PEP 503 normalised. */
  normalized: string;
  /** Root-relative file that declares it. */
  file: string;
  line?: number;
  /** The optional-dependencies group (extra) it belongs to, if any. */
  extra?: string;
}

export interface ProjectDeclarations {
  dependencies: DeclaredDependency[];
  requiresPython?: string;
  /** Root-relative directories that setuptools maps packages from (`""` → `src`). */
  packageDirs: string[];
  /** Raw `[tool.snag]` table. */
  snag: Record<string, unknown>;
}

export function loadProjectDeclarations(root: string, diagnostics: Diagnostic[]): ProjectDeclarations {
  const decl: ProjectDeclarations = { dependencies: [], packageDirs: [], snag: {} };
  readPyproject(root, decl, diagnostics);
  readSetupCfg(root, decl, diagnostics);
  readRequirements(root, decl, diagnostics);
  return decl;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  } catch {
    return undefined;
  }
}

/** PEP 508 requirement → distribution name. */
export function requirementName(req: string): string | undefined {
  return /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(req)?.[1];
}

function lineOf(text: string, needle: string): number | undefined {
  const idx = text.indexOf(needle);
  return idx === -1 ? undefined : text.slice(0, idx).split("\n").length;
}

function addDependency(decl: ProjectDeclarations, req: string, file: string, text: string, extra?: string): void {
  const name = requirementName(req);
  if (!name) return;
  const dep: DeclaredDependency = { name, normalized: normalizeDistName(name), file };
  const line = lineOf(text, req);
  if (line !== undefined) dep.line = line;
  if (extra !== undefined) dep.extra = extra;
  decl.dependencies.push(dep);
}

function readPyproject(root: string, decl: ProjectDeclarations, diagnostics: Diagnostic[]): void {
  const text = read(join(root, "pyproject.toml"));
  if (text === undefined) return;
  const data = readToml(text, "pyproject.toml", diagnostics) as Record<string, any> | undefined;
  if (!data) return;
  const project = data.project ?? {};
  for (const req of arrayOfStrings(project.dependencies)) addDependency(decl, req, "pyproject.toml", text);
  for (const [extra, reqs] of Object.entries(project["optional-dependencies"] ?? {})) {
    for (const req of arrayOfStrings(reqs)) addDependency(decl, req, "pyproject.toml", text, extra);
  }
  for (const [group, reqs] of Object.entries(data["dependency-groups"] ?? {})) {
    for (const req of arrayOfStrings(reqs)) addDependency(decl, req, "pyproject.toml", text, group);
  }
  if (typeof project["requires-python"] === "string") decl.requiresPython = project["requires-python"];
  const poetry = data.tool?.poetry;
  for (const section of [poetry?.dependencies, poetry?.["dev-dependencies"], ...Object.values(poetry?.group ?? {}).map((g: any) => g?.dependencies)]) {
    for (const name of Object.keys(section ?? {})) {
      if (name.toLowerCase() === "python") continue;
      addDependency(decl, name, "pyproject.toml", text);
    }
  }
  const packageDir = data.tool?.setuptools?.["package-dir"];
  if (packageDir && typeof packageDir === "object") {
    for (const v of Object.values(packageDir)) if (typeof v === "string") decl.packageDirs.push(v.replace(/\/+$/, ""));
  }
  const snag = data.tool?.snag;
  if (snag && typeof snag === "object" && !Array.isArray(snag)) decl.snag = snag;
}

function readSetupCfg(root: string, decl: ProjectDeclarations, diagnostics: Diagnostic[]): void {
  const text = read(join(root, "setup.cfg"));
  if (text === undefined) return;
  const { file, errors } = parseIni(text);
  for (const e of errors) diagnostics.push(diagnostic("config-error", "setup.cfg", `malformed INI: ${e.message}`, { line: e.line, severity: "error" }));
  const options = file.sections.get("options");
  const packageDir = options?.values.get("package_dir")?.value;
  if (packageDir) {
    for (const line of packageDir.split("\n")) {
      const m = /^\s*([\w.]*)\s*=\s*(\S+)\s*$/.exec(line);
      if (m) decl.packageDirs.push(m[2]!.replace(/\/+$/, ""));
    }
  }
  const installRequires = options?.values.get("install_requires")?.value;
  for (const line of installRequires?.split(/[\n;]/) ?? []) if (line.trim()) addDependency(decl, line.trim(), "setup.cfg", text);
}

function readRequirements(root: string, decl: ProjectDeclarations, diagnostics: Diagnostic[]): void {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => /^requirements.*\.(txt|in)$/.test(n)).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const text = read(join(root, name));
    if (text === undefined) {
      diagnostics.push(diagnostic("unreadable-file", name, "cannot read requirements file"));
      continue;
    }
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (!line || line.startsWith("-")) return;
      const depName = requirementName(line);
      if (!depName) return;
      decl.dependencies.push({ name: depName, normalized: normalizeDistName(depName), file: name, line: i + 1 });
    });
  }
}

function arrayOfStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
