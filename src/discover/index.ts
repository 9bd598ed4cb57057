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

export interface Discovery {
  /** Absolute root of the scan. */
  root: string;
  /** Root-relative `.py` files, sorted. */
  files: string[];
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
}

export function discover(rootArg: string, options: DiscoverOptions = {}): Discovery {
  const root = resolve(rootArg);
  const diagnostics: Diagnostic[] = [];
  const relTo = (abs: string) => {
    const r = relative(root, abs);
    return r.startsWith("..") ? abs : r.split(sep).join("/");
  };
  const walked = walkSources(root, { extensions: [".py"], exclude: options.exclude ?? [] });
  diagnostics.push(...walked.diagnostics);
  const included = options.include && options.include.length > 0 ? ignore().add(options.include) : undefined;
  const files = included ? walked.files.filter((f) => included.ignores(f)) : walked.files;
  const pytest = loadPytestSettings(root, diagnostics, relTo);
  for (const r of options.roots ?? []) pytest.pythonpath.push(resolve(root, r));
  const declarations = loadProjectDeclarations(root, diagnostics);
  return { root, files, pytest, declarations, diagnostics };
}
