/**
 * `snag check --format json`: the versioned contract. Version 1 fields are documented in README.md;
 * fields are only ever added within a version.
 */
import type { CheckResult } from "../analyze/check.js";
import type { Cause, Hop } from "../analyze/model.js";
import type { Diagnostic } from "../model/diagnostic.js";

export const CHECK_JSON_VERSION = 1;

export interface CheckJsonMeta {
  root: string;
  python: { executable?: string; version: string; source: string };
  diagnostics: Diagnostic[];
}

function cause(c: Cause | undefined) {
  if (!c) return undefined;
  const out: Record<string, unknown> = { rule: c.rule, target: c.target, file: c.file, line: c.line, column: c.column, exception: c.exception, message: c.message };
  if (c.module !== undefined) out.module = c.module;
  return out;
}

function chain(h: Hop[] | undefined) {
  return h?.map((x) => ({ module: x.module, file: x.file, line: x.line }));
}

function session(result: CheckResult) {
  const v = result.session;
  if (v.collectable) return { collectable: true };
  return { collectable: false, exitCode: v.exitCode, stage: v.stage, ...(v.cause ? { cause: { ...cause(v.cause as Cause), ...(v.cause.distribution ? { distribution: v.cause.distribution } : {}) } } : {}) };
}

export function checkToJson(result: CheckResult, meta: CheckJsonMeta): string {
  const tests = result.tests.filter((t) => t.kind === "test");
  const out = {
    version: CHECK_JSON_VERSION,
    kind: "snag-check",
    root: meta.root,
    python: meta.python,
    summary: {
      testFiles: tests.length,
      collectable: tests.filter((t) => t.collectable).length,
      blocked: tests.filter((t) => !t.collectable).length,
      modules: result.modules.length,
      importable: result.modules.filter((m) => m.importable).length,
      rootCauses: result.findings.filter((f) => f.severity === "error").length,
      suppressed: result.suppressed,
      ...(result.baselined !== undefined ? { baselined: result.baselined } : {}),
    },
    session: session(result),
    modules: result.modules.map((m) => ({
      language: m.language ?? "python",
      module: m.module,
      file: m.file,
      importable: m.importable,
      ...(m.cause ? { cause: cause(m.cause), chain: chain(m.chain) } : {}),
    })),
    tests: result.tests.map((t) => ({
      language: t.language ?? "python",
      file: t.file,
      module: t.module,
      kind: t.kind,
      collectable: t.collectable,
      ...(t.skipped ? { skipped: true } : {}),
      ...(t.cause ? { cause: cause(t.cause), chain: chain(t.chain) } : {}),
    })),
    findings: result.findings.map((f) => ({
      rule: f.rule,
      language: f.language ?? "python",
      severity: f.severity,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
      target: f.target,
      blastRadius: f.blastRadius,
      ...(f.classification ? { classification: f.classification } : {}),
      ...(f.suggestion ? { suggestion: f.suggestion } : {}),
      ...(f.chain && f.chain.length > 0 ? { chain: chain(f.chain) } : {}),
      ...(f.sites && f.sites.length > 1 ? { sites: f.sites } : {}),
    })),
    diagnostics: meta.diagnostics,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
