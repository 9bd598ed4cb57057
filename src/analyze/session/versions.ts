/**
 * Enough of PEP 440 to judge `required_plugins = pytest-timeout>=2.1,<3` and `minversion`:
 * release numbers compared numerically, the operators ==, !=, <, <=, >, >=, ~= and ===, and
 * `==1.2.*`. Pre-release and local parts are dropped, which can only make snag more lenient.
 */
function release(v: string): number[] {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(v);
  return m ? m[1]!.split(".").map(Number) : [];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function satisfies(version: string | undefined, spec: string): boolean {
  if (version === undefined) return false;
  const have = release(version);
  for (const clause of spec.split(",").map((c) => c.trim()).filter((c) => c !== "")) {
    const m = /^(===|==|!=|~=|<=|>=|<|>)\s*(.+)$/.exec(clause);
    if (!m) return false;
    const [, op, raw] = m;
    if (op === "===") {
      if (version.trim() !== raw!.trim()) return false;
      continue;
    }
    if ((op === "==" || op === "!=") && raw!.endsWith(".*")) {
      const prefix = release(raw!.slice(0, -2));
      const same = prefix.every((n, i) => (have[i] ?? 0) === n);
      if ((op === "==") !== same) return false;
      continue;
    }
    const want = release(raw!);
    const c = compare(have, want);
    const ok =
      op === "==" ? c === 0 : op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : op === ">=" ? c >= 0
      : /* ~= */ c >= 0 && compare(have.slice(0, want.length - 1), want.slice(0, want.length - 1)) === 0;
    if (!ok) return false;
  }
  return true;
}
