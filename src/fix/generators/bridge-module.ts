/**
 * A module that importers expect but that moved: create it at the expected path, re-exporting each
 * name the importers ask for from where it is defined now. Additive: nothing that imports today changes.
 */
import type { Finding } from "../../analyze/model.js";
import { sitesOf, type FixContext } from "../context.js";
import type { Fix } from "../model.js";
import { canonicalModule } from "./rewrite-import.js";

export function bridgeModuleFix(ctx: FixContext, finding: Finding): Fix | string {
  const target = finding.target;
  const names = new Set<string>();
  let wholeModule = false;
  for (const site of sitesOf(finding)) {
    const found = ctx.importAt(site.file, site.line, site.column);
    if (!found) return `no import statement at ${site.file}:${site.line}`;
    const absolute = ctx.absoluteOf(site.file, found.index);
    if (absolute !== target) return `${site.file}:${site.line} imports '${absolute ?? found.imp.module}', not '${target}' itself`;
    if (found.imp.kind === "from") for (const n of found.imp.names) n.name === "*" ? (wholeModule = true) : names.add(n.name);
    else wholeModule = true;
  }
  const dot = target.lastIndexOf(".");
  if (dot < 0) return `'${target}' is a top-level name: a bridge would be a new top-level package`;
  const parent = target.slice(0, dot);
  const parentFound = ctx.scan.resolved.finder.find(parent);
  const dir = parentFound.found ? parentFound.location.searchLocations?.map((d) => ctx.rel(d)).find((d) => !d.startsWith("/")) : undefined;
  if (dir === undefined) return `its package '${parent}' is not a package in the repository`;
  const file = `${dir}/${target.slice(dot + 1)}.py`;

  const moved = movedModule(ctx, target);
  if (wholeModule && !moved) return `importers use '${target}' as a whole module and no module of that name exists elsewhere`;
  const from = new Map<string, string[]>();
  for (const name of [...names].sort()) {
    const module = canonicalModule(ctx, name, target, moved);
    if (!module) return `'${name}' is defined nowhere in the repository; snag will not invent it`;
    (from.get(module) ?? from.set(module, []).get(module)!).push(name);
  }
  let text = `"""Compatibility bridge: '${target}' moved${moved ? ` to '${moved}'` : ""}; this module re-exports what its importers use."""\n`;
  // With warnings turned into errors, a DeprecationWarning at import would fail collection itself.
  const warnings = ctx.options.bridgeWarning && !warningsAreErrors(ctx);
  if (warnings) {
    const now = moved ?? [...from.keys()].join("', '");
    text += `import warnings\n\nwarnings.warn(${JSON.stringify(`'${target}' moved: import from '${now}' instead`)}, DeprecationWarning, stacklevel=2)\n\n`;
  }
  if (wholeModule && moved) text += `from ${moved} import *  # noqa: F401,F403\n`;
  for (const [module, list] of [...from].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) text += `from ${module} import ${list.join(", ")}\n`;
  if (names.size > 0) text += `\n__all__ = [${[...names].sort().map((n) => JSON.stringify(n)).join(", ")}]\n`;
  const sources = [...new Set([...(moved ? [moved] : []), ...from.keys()])].map((m) => `'${m}'`).join(", ");
  return { kind: "bridge-module", title: `Create ${file}: a bridge at '${target}' re-exporting from ${sources}`, safety: "safe", edits: [], creates: [{ file, text }] };
}

/** A local module with the same last segment as `target`, when exactly one exists (or one is closest). */
export function movedModule(ctx: FixContext, target: string): string | undefined {
  const last = target.slice(target.lastIndexOf(".") + 1);
  const candidates = ctx.scan.resolved.modules.filter((m) => m.rooted && m.name !== target && (m.name === last || m.name.endsWith(`.${last}`))).map((m) => m.name);
  return closest(candidates, target);
}

/** The candidate sharing the longest dotted prefix with `target`; ties go to the shorter, then alphabetical. */
export function closest(candidates: string[], target: string): string | undefined {
  const parts = target.split(".");
  const shared = (m: string) => {
    const p = m.split(".");
    let i = 0;
    while (i < p.length && i < parts.length && p[i] === parts[i]) i++;
    return i;
  };
  return [...candidates].sort((a, b) => shared(b) - shared(a) || a.split(".").length - b.split(".").length || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** `filterwarnings = error` (or `-W error`) in the pytest configuration. */
function warningsAreErrors(ctx: FixContext): boolean {
  const pytest = ctx.scan.discovery.pytest;
  const value = pytest.raw.get("filterwarnings")?.value;
  const lines = Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(/\r?\n/) : [];
  const flags = pytest.addopts.join(" ");
  return lines.some((l) => l.trim() === "error" || l.trim().startsWith("error:")) || /(^|\s)(-W\s*|-Werror|--pythonwarnings[= ])error/.test(flags);
}
