import type { Bilingual } from '../common/cli-spec.js';

/** Levenshtein distance, with an early exit once every entry of a row exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestScore = max + 1;
  for (const c of candidates) {
    if (c === input) continue;
    const d = editDistance(input.toLowerCase(), c.toLowerCase(), max);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}

export function suggestion(input: string, candidates: Iterable<string>): Bilingual {
  const s = didYouMean(input, candidates);
  return s ? { vi: ` — có phải ý bạn là \`${s}\`?`, en: ` — did you mean \`${s}\`?` } : { vi: '', en: '' };
}
