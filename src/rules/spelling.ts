/**
 * Did-you-mean with TypeScript's spelling-suggestion limits (checker.ts getSpellingSuggestion):
 * length may differ by max(2, 34%), the edit distance must stay under 40% of the name's length,
 * a change of case costs 0.1 and any other substitution 2.
 */
export function spellingSuggestion(name: string, candidates: Iterable<string>): string | undefined {
  const maxLengthDifference = Math.max(2, Math.floor(name.length * 0.34));
  let bestDistance = Math.floor(name.length * 0.4) + 1;
  let best: string | undefined;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > maxLengthDifference || candidate === name) continue;
    if (candidate.length < 3 && candidate.toLowerCase() !== name.toLowerCase()) continue;
    const distance = levenshteinWithMax(name, candidate, bestDistance - 0.1);
    if (distance === undefined) continue;
    bestDistance = distance;
    best = candidate;
  }
  return best;
}

function levenshteinWithMax(s1: string, s2: string, max: number): number | undefined {
  let previous: number[] = new Array(s2.length + 1);
  let current: number[] = new Array(s2.length + 1);
  const big = max + 0.01;
  for (let i = 0; i <= s2.length; i++) previous[i] = i;
  for (let i = 1; i <= s1.length; i++) {
    const c1 = s1.charCodeAt(i - 1);
    const minJ = Math.ceil(i > max ? i - max : 1);
    const maxJ = Math.floor(s2.length > max + i ? max + i : s2.length);
    current[0] = i;
    let colMin = i;
    for (let j = 1; j < minJ; j++) current[j] = big;
    for (let j = minJ; j <= maxJ; j++) {
      const substitution = s1[i - 1]!.toLowerCase() === s2[j - 1]!.toLowerCase() ? previous[j - 1]! + 0.1 : previous[j - 1]! + 2;
      const dist = c1 === s2.charCodeAt(j - 1) ? previous[j - 1]! : Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      current[j] = dist;
      colMin = Math.min(colMin, dist);
    }
    for (let j = maxJ + 1; j <= s2.length; j++) current[j] = big;
    if (colMin > max) return undefined;
    [previous, current] = [current, previous];
  }
  const res = previous[s2.length]!;
  return res > max ? undefined : res;
}
