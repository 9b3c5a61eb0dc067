/**
 * Names close to a mistyped one: the closest refs or client codes for a case command,
 * the valid command, option or config key to suggest for a typo.
 */

/**
 * The edit distance between two strings: insertions, deletions, substitutions and
 * swaps of two neighbouring letters (`form` for `from`) each count one.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    const prev = rows[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(cur);
  }
  return rows[a.length]![b.length]!;
}

/** The (up to three) candidates nearest to `text` by edit distance, case-insensitive. */
export function closest(text: string, candidates: string[]): string[] {
  const t = text.toUpperCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(t, c.toUpperCase()) }))
    .filter((x) => x.d <= Math.max(3, Math.ceil(t.length / 2)))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map((x) => x.c);
}

/**
 * The one name a typo most likely meant, or null. Stricter than `closest`: about one
 * edit per three letters (at most three), so that `xyz` suggests nothing rather than `kpi`.
 */
export function suggestName(text: string, names: readonly string[]): string | null {
  const t = text.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(t.length / 3)));
  let best: { name: string; d: number } | null = null;
  for (const name of new Set(names)) {
    const d = editDistance(t, name.toLowerCase());
    if (d <= limit && (best === null || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}
