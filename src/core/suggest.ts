/** "Did you mean" support: the closest candidate by edit distance, if it is close enough to help. */
import { quotedPath } from './address.js';

function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

function score(needle: string, candidate: string): number {
  const hay = candidate.toLowerCase();
  // A candidate that contains the input (or vice versa) is a strong hint even when long.
  return hay.includes(needle) || needle.includes(hay) ? 0.5 : distance(needle, hay);
}

/** The `n` candidates closest to the input, best first, however far (for "no such address" errors). */
export function nearest(input: string, candidates: Iterable<string>, n: number): string[] {
  const needle = input.toLowerCase();
  return [...candidates].map((c) => ({ c, s: score(needle, c) })).sort((a, b) => a.s - b.s || (a.c < b.c ? -1 : 1)).slice(0, n).map((x) => x.c);
}

export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const s = score(needle, candidate);
    if (s < bestScore) {
      bestScore = s;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  return bestScore <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closest(input, candidates);
  // Quoted as the plan quotes names, so one holding quotes reads with balanced ones (`"Say \"Hi\" Life"`).
  return match === undefined ? undefined : `did you mean ${quotedPath([match])}?`;
}
