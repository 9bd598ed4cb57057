/** Comparing snag's TypeScript/JavaScript findings with tsc's diagnostics, site for site. */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export const IMPORT_CODES = new Set([2307, 2305, 2724, 2459, 2460, 2614, 2834, 2835]);

/** Every tsconfig.json outside node_modules that is a project (not only a base others extend). */
export function projects(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...projects(dir, path));
    else if (e.name === "tsconfig.json") out.push(path);
  }
  return out;
}

/** `@scope/pkg/a/b` → `./a/b`, as a resolver names a subpath a package does not export. */
export function subpathOf(specifier: string): string {
  const parts = specifier.split("/");
  return `./${parts.slice(specifier.startsWith("@") ? 2 : 1).join("/")}`;
}

export function codeOf(rule: string, message: string): number {
  if (rule === "missing-module") return /Did you mean '/.test(message) ? 2835 : /Consider adding an extension/.test(message) ? 2834 : 2307;
  if (/Did you mean to use 'import /.test(message)) return 2614;
  if (/declares '.*' locally, but it is exported as/.test(message)) return 2460;
  if (/declares '.*' locally, but it is not exported/.test(message)) return 2459;
  return /Did you mean '/.test(message) ? 2724 : 2305;
}

