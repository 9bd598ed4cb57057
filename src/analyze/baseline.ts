/**
 * Baselines: the problems a team already knows about, written once (`--write-baseline`) and then
 * tolerated (`--baseline`), so CI fails only on new ones. Findings match by rule, file and target,
 * never by line, so unrelated edits above a known problem do not make it "new"; each baseline
 * entry absorbs as many findings as it counts.
 */
import { readFileSync } from "../cache/observed-fs.js";
import { ConfigError } from "../discover/snag-config.js";
import type { Finding } from "./model.js";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  rule: string;
  file: string;
  target: string;
  count: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  kind: "snag-baseline";
  findings: BaselineEntry[];
}

const keyOf = (f: { rule: string; file: string; target: string }) => `${f.rule}\0${f.file}\0${f.target}`;

export function baselineOf(findings: readonly Finding[]): Baseline {
  const counts = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const entry = counts.get(keyOf(f)) ?? { rule: f.rule, file: f.file, target: f.target, count: 0 };
    entry.count++;
    counts.set(keyOf(f), entry);
  }
  const entries = [...counts.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { version: BASELINE_VERSION, kind: "snag-baseline", findings: entries };
}

export function baselineToJson(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

export function readBaseline(path: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(e.code === "ENOENT" ? `baseline not found: ${path} (create it with --write-baseline)` : `${path}: not a snag baseline: ${e.message}`);
  }
  const b = data as Partial<Baseline>;
  if (b?.kind !== "snag-baseline" || b.version !== BASELINE_VERSION || !Array.isArray(b.findings)) {
    throw new ConfigError(`${path}: not a snag baseline (expected "kind": "snag-baseline", "version": ${BASELINE_VERSION})`);
  }
  for (const [i, e] of b.findings.entries()) {
    const ok = e && typeof e.rule === "string" && typeof e.file === "string" && typeof e.target === "string" && Number.isInteger(e.count) && e.count > 0;
    if (!ok) throw new ConfigError(`${path}: findings[${i}] needs rule, file, target (strings) and count (a positive integer)`);
  }
  return b as Baseline;
}

/** Findings the baseline does not cover (`fresh`) and those it does (`known`), order kept. */
export function splitByBaseline(findings: readonly Finding[], baseline: Baseline): { fresh: Finding[]; known: Finding[] } {
  const budget = new Map(baseline.findings.map((e) => [keyOf(e), e.count]));
  const fresh: Finding[] = [];
  const known: Finding[] = [];
  for (const f of findings) {
    const left = budget.get(keyOf(f)) ?? 0;
    if (left > 0) {
      budget.set(keyOf(f), left - 1);
      known.push(f);
    } else fresh.push(f);
  }
  return { fresh, known };
}
