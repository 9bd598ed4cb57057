/**
 * Findings → remedies: for each root cause the preferred fix first, then alternatives, or a plain
 * statement of why no change is sound. Which generator applies is decided by rule and classification.
 */
import { Explainer } from "../analyze/explain.js";
import type { Finding } from "../analyze/model.js";
import { sitesOf, type FixContext } from "./context.js";
import { bridgeModuleFix, movedModule } from "./generators/bridge-module.js";
import { declareDependencyFix } from "./generators/declare-dependency.js";
import { importorskipFix, lazyImportFix } from "./generators/lazy-import.js";
import { MARKER_TYPOS, registerMarkerFix, respellMarkerFix } from "./generators/register-marker.js";
import { compatAliasFix, renameImportFix } from "./generators/rename.js";
import { renameReadFix } from "./generators/rename-read.js";
import { reorderBasesFix } from "./generators/reorder-bases.js";
import { rewriteMovedNameFix, rewriteToDefinitionsFix, rootFix } from "./generators/rewrite-import.js";
import type { Fix, Remedy } from "./model.js";
import { scriptFixes } from "./generators/script-fixes.js";

const MISSING_PACKAGE = new Set(["declared-not-installed", "not-installed", "removed-from-stdlib", "stdlib-too-new"]);

export function planRemedies(ctx: FixContext): Remedy[] {
  const explainer = new Explainer(ctx.scan);
  return ctx.result.findings.map((finding) => remedy(finding, candidates(ctx, explainer, finding)));
}

function remedy(finding: Finding, attempts: (Fix | string)[]): Remedy {
  const fixes = attempts.filter((a): a is Fix => typeof a !== "string" && (a.edits.length > 0 || a.creates.length > 0));
  const out: Remedy = { rule: finding.rule, target: finding.target, file: finding.file, line: finding.line, fixes };
  if (fixes.length === 0) out.unfixable = attempts.find((a): a is string => typeof a === "string") ?? "snag has no fix for this rule";
  return out;
}

function candidates(ctx: FixContext, explainer: Explainer, finding: Finding): (Fix | string)[] {
  if (finding.language && finding.language !== "python") return scriptCandidates(ctx, finding);
  switch (finding.rule) {
    case "missing-module":
      return missingModule(ctx, finding);
    case "missing-symbol":
      return missingSymbol(ctx, explainer, finding);
    case "missing-export":
      return scriptFixes(ctx, finding);
    case "import-cycle":
      return sitesOf(finding).map((site) => lazyImportFix(ctx, site, `the import of '${finding.target}'`));
    case "mro-conflict":
      return [reorderBasesFix(ctx, finding)];
    case "unknown-marker": {
      if (finding.target.startsWith("--")) return ["set 'strict_markers = true' by hand: snag does not edit addopts"];
      const to = MARKER_TYPOS[finding.target];
      return to ? [respellMarkerFix(ctx, finding.target, to), registerMarkerFix(ctx, finding)] : [registerMarkerFix(ctx, finding)];
    }
    case "heavy-import":
      return [lazyImportFix(ctx, finding, `'${finding.target}'`)];
    case "undeclared-dependency":
      return [declareDependencyFix(ctx, finding)];
    case "syntax-error":
      return ["a syntax error needs a person: snag does not guess what the code meant"];
    case "import-time-error":
      return ["the module raises on purpose at import; snag does not remove the check"];
    case "undefined-name":
      return [renameReadFix(ctx, explainer, finding)];
    case "test-module-collision":
      return ["rename one of the test files, or add __init__.py to both directories so they get distinct package names"];
    case "unknown-option":
    case "unknown-ini-key":
    case "missing-plugin":
      return [finding.suggestion ?? "install the plugin or change the pytest configuration by hand"];
    case "conftest-failure":
      return ["fix the conftest's own root cause, listed as its own finding"];
    case "warning-as-error":
      return ["replace the deprecated module, or add an 'ignore' filter for its warning after 'error' in filterwarnings, by hand"];
  }
}

function missingModule(ctx: FixContext, finding: Finding): (Fix | string)[] {
  const kind = finding.classification ?? "";
  if (kind === "moved") {
    const moved = movedModule(ctx, finding.target);
    return [bridgeModuleFix(ctx, finding), rewriteToDefinitionsFix(ctx, finding, moved)];
  }
  if (kind === "wrong-root") return [rootFix(ctx, finding)];
  if (MISSING_PACKAGE.has(kind)) return missingPackage(ctx, finding);
  if (kind === "relative-import") return ["the relative import reaches outside any package: make the directories packages or import absolutely, by hand"];
  if (kind === "missing-submodule") return [`'${finding.target}' exists nowhere in the repository; snag will not invent it`];
  if (kind === "typo") return [`check the spelling (${finding.suggestion ?? "no suggestion"}); snag does not rename modules on a guess`];
  return [`'${finding.target}' is not installed and nothing in the repository provides it`];
}

/**
 * A package that is not installed: defer its import wherever only functions need it, and skip the
 * test files that still need it at import time (directly, or through a module that cannot defer
 * it). Every module-level import of the package is considered, not only the first one that fails:
 * once that one is deferred, the next would fail in its place. Falls back to skipping every
 * blocked test file.
 */
function missingPackage(ctx: FixContext, finding: Finding): (Fix | string)[] {
  const blocked = ctx.blockedTests(finding);
  const skipAll = importorskipFix(ctx, blocked, finding.target);
  const lazies: { file: string; fix: Fix }[] = [];
  const needsPackage = new Set<string>();
  let why: string | undefined;
  for (const site of importsOfPackage(ctx, sitesOf(finding), finding.target)) {
    if (ctx.isTestModule(site.file)) {
      needsPackage.add(site.file);
      continue;
    }
    const lazy = lazyImportFix(ctx, site, `'${finding.target}'`);
    if (typeof lazy === "string") {
      why ??= lazy;
      needsPackage.add(site.file);
    } else lazies.push({ file: site.file, fix: lazy });
  }
  const skipped = blocked.filter((t) => reachesAny(ctx, t.file, needsPackage));
  const unblocked = blocked.filter((t) => !skipped.includes(t));
  // Deferring imports is worth its churn only on the way to a test file it lets collect; with no
  // test file blocked, only when it makes every importer of the package importable.
  let parts: Fix[];
  if (blocked.length > 0) parts = lazies.filter((l) => unblocked.some((t) => reachesAny(ctx, t.file, new Set([l.file])))).map((l) => l.fix);
  else parts = why ? [] : lazies.map((l) => l.fix);
  if (skipped.length > 0) {
    const skip = importorskipFix(ctx, skipped, finding.target);
    if (typeof skip === "string") return [skip, skipAll];
    parts.push(skip);
  }
  if (parts.length === 0) return blocked.length === 0 ? [why ?? "no statement to change"] : [skipAll, why ?? "no statement to change"];
  const combined: Fix = parts.length === 1 ? parts[0]! : mergeFixes(parts);
  const alternatives = typeof skipAll !== "string" && JSON.stringify(skipAll.edits) !== JSON.stringify(combined.edits) ? [skipAll] : [];
  return [combined, ...alternatives, ...(why ? [why] : [])];
}

/** The failing statements, plus every other module-level import of the same top-level package. */
function importsOfPackage(ctx: FixContext, sites: { file: string; line: number; column: number }[], target: string) {
  const out = [...sites];
  const top = target.split(".")[0]!;
  for (const [file, resolutions] of ctx.scan.resolved.imports) {
    for (const r of resolutions) {
      const imp = ctx.facts(file)?.imports[r.index];
      if (!imp || imp.context.length > 0 || (imp.kind !== "import" && imp.kind !== "from")) continue;
      const abs = r.absolute ?? "";
      if (abs !== top && !abs.startsWith(`${top}.`)) continue;
      if (!out.some((s) => s.file === file && s.line === imp.line && s.column === imp.column)) out.push({ file, line: imp.line, column: imp.column });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** Whether importing `file` runs (through module-level imports and parent packages) any of `files`. */
function reachesAny(ctx: FixContext, file: string, files: ReadonlySet<string>): boolean {
  if (files.has(file)) return true;
  const { graph } = ctx.scan;
  const fileOf = new Map(ctx.scan.resolved.modules.map((m) => [m.name, m.file]));
  const start = ctx.scan.resolved.modules.find((m) => m.file === file)?.name;
  if (!start || !graph.hasNode(start)) return false;
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const f = fileOf.get(node);
    if (f && files.has(f)) return true;
    graph.forEachOutEdge(node, (_e, attrs, _s, next) => {
      if ((attrs.guard === "top" || attrs.kind === "parent") && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    });
  }
  return false;
}

function missingSymbol(ctx: FixContext, explainer: Explainer, finding: Finding): (Fix | string)[] {
  const site = sitesOf(finding)[0]!;
  const found = ctx.importAt(site.file, site.line, site.column);
  const module = found ? ctx.absoluteOf(site.file, found.index) : undefined;
  if (finding.classification === "renamed" && module) {
    const to = explainer.symbolTypo(module, finding.target);
    if (to) return [renameImportFix(ctx, finding, to), compatAliasFix(ctx, module, finding.target, to)];
  }
  if (finding.classification === "moved") return [rewriteMovedNameFix(ctx, finding)];
  return [`'${finding.target}' is defined nowhere in the repository; snag will not invent it: write it, or change the code that expects it`];
}

const TYPE_CHECKING_PRELUDE = /^from typing import TYPE_CHECKING\r?\n\r?\n/;

/** One fix from several: identical edits once, and one `from typing import TYPE_CHECKING` per file. */
function mergeFixes(parts: Fix[]): Fix {
  const seen = new Set<string>();
  const preluded = new Set<string>();
  const edits = parts
    .flatMap((p) => p.edits)
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start))
    .filter((e) => {
      const key = `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((e) => {
      if (!TYPE_CHECKING_PRELUDE.test(e.text)) return e;
      if (!preluded.has(e.file)) {
        preluded.add(e.file);
        return e;
      }
      return { ...e, text: e.text.replace(TYPE_CHECKING_PRELUDE, "") };
    });
  return { kind: parts[0]!.kind, title: [...new Set(parts.map((p) => p.title))].join("; "), safety: "review", edits, creates: [] };
}

/** TypeScript/JavaScript findings: the edits script-fixes.ts knows, else why none is sound. */
function scriptCandidates(ctx: FixContext, finding: Finding): (Fix | string)[] {
  return scriptFixes(ctx, finding);
}
