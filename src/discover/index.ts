/**
 * The discover stage: which Python files make up the repository, and what its configuration says
 * (pytest settings as pytest finds them, declared dependencies, `[tool.snag]`).
 */
import { relative, resolve, sep } from "node:path";
import ignore from "ignore";
import type { Diagnostic } from "../model/diagnostic.js";
import { loadProjectDeclarations, type ProjectDeclarations } from "./project-config.js";
import { loadPytestSettings, type PytestSettings } from "./pytest-config.js";
import { walkSources } from "./walk.js";
import { SCRIPT_EXTENSIONS } from "../parse/typescript/facts.js";

/** What marks a directory tree as a JavaScript/TypeScript project. */
const PROJECT_MARKERS = ["package.json", "tsconfig.json", "jsconfig.json"];

export interface Discovery {
  /** Absolute root of the scan. */
  root: string;
  /** Root-relative `.py` files, sorted. */
  files: string[];
  /**
   * Root-relative TypeScript/JavaScript modules (not declaration files), sorted: those under a
   * directory with a package.json or tsconfig.json, so a Python project's stray assets stay out.
   */
  scripts: string[];
  /** Root-relative declaration files (`.d.ts`) of those projects: their `declare module`s count for tsc. */
  declarationFiles: string[];
  /** Root-relative package.json / tsconfig.json / jsconfig.json files, sorted. */
  projectFiles: string[];
  pytest: PytestSettings;
  declarations: ProjectDeclarations;
  diagnostics: Diagnostic[];
}

export interface DiscoverOptions {
  exclude?: string[];
  /** gitignore-style patterns: when given, only matching files are scanned. */
  include?: string[];
  /** Root-relative directories put on sys.path after pytest's `pythonpath`. */
  roots?: string[];
  /** See WalkOptions. */
  whenLarge?: { files: number; then: () => void };
}

export function discover(rootArg: string, options: DiscoverOptions = {}): Discovery {
  const root = resolve(rootArg);
  const diagnostics: Diagnostic[] = [];
  const relTo = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith("..") ? abs : r.split(sep).join("/");
  };
  const walked = walkSources(root, { extensions: [".py", ...SCRIPT_EXTENSIONS], exclude: options.exclude ?? [], names: PROJECT_MARKERS, ...(options.whenLarge ? { whenLarge: options.whenLarge } : {}) });
  diagnostics.push(...walked.diagnostics);
  const included = options.include && options.include.length > 0 ? ignore().add(options.include) : undefined;
  const kept = included ? walked.files.filter((f) => included.ignores(f)) : walked.files;
  const files = kept.filter((f) => f.endsWith(".py"));
  const projectFiles = walked.files.filter((f) => PROJECT_MARKERS.some((m) => f === m || f.endsWith(`/${m}`)));
  const projects = new Set(projectFiles.filter((f) => PROJECT_MARKERS.some((m) => f === m || f.endsWith(`/${m}`))).map((f) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "")));
  const inProject = (f: string): boolean => {
    for (let dir = f; ; ) {
      const cut = dir.lastIndexOf("/");
      dir = cut < 0 ? "" : dir.slice(0, cut);
      if (projects.has(dir)) return true;
      if (dir === "") return false;
    }
  };
  const scripts = kept.filter((f) => SCRIPT_EXTENSIONS.some((e) => f.endsWith(e)) && !/\.d\.[mc]?ts$/.test(f) && inProject(f));
  const declarationFiles = kept.filter((f) => /\.d\.[mc]?ts$/.test(f) && inProject(f));
  const pytest = loadPytestSettings(root, diagnostics, relTo);
  for (const r of options.roots ?? []) pytest.pythonpath.push(resolve(root, r));
  const declarations = loadProjectDeclarations(root, diagnostics);
  return { root, files, scripts, declarationFiles, projectFiles, pytest, declarations, diagnostics };
}
