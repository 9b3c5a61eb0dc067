/** Delimiters relance recognises, in order of preference when counts tie. */
export const DELIMITERS = [';', '\t', '|', ','] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** How a delimiter is named to a user. */
export function describeDelimiter(d: string): string {
  return d === '\t' ? 'tabulation' : `« ${d} »`;
}

/**
 * Picks the delimiter from the first lines of decoded text: the candidate that splits
 * the most lines into the same number of fields (title lines above the header have
 * none, and a decimal comma in a `;` file gives a varying count, so consistency wins
 * over frequency). Separators inside double quotes do not count.
 */
export function sniffDelimiter(sample: string): Delimiter | null {
  const lines = sample.split('\n', 60).filter((l) => l.trim() !== '');
  if (lines.length > 1 && !sample.endsWith('\n')) lines.pop(); // may be cut mid-line
  let best: Delimiter | null = null;
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      const n = countOutsideQuotes(line, d);
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let score = 0;
    for (const [fields, lineCount] of counts) {
      // Lines agreeing on a field count; wider agreement weighs a little more.
      const s = lineCount * 1000 + fields;
      if (s > score) score = s;
    }
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) n++;
  }
  return n;
}

/**
 * Normalises a header cell for matching: lower case, no accents, `N°`/`No` as `n`,
 * punctuation as single spaces. `Date d'échéance` becomes `date d echeance`.
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n°|nº|\bno\b|\bnum\b|\bnumero\b/g, 'n')
    .replace(/[°º]/g, '')
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}
