import { normaliseHeader } from './dialect.js';
import {
  GENERIC_INDEX,
  isAgingBucket,
  PROFILES,
  profileIndex,
  WORD_RULES,
  type ColumnIndex,
  type Profile,
  type ProfileId,
  type TabularKind,
} from './profiles.js';

/** Column mappings from the config: per kind, canonical field → header text. */
export type ColumnOverrides = Partial<Record<TabularKind, Record<string, string>>>;

/** Which column feeds which field, once the header row is known. */
export interface HeaderMapping {
  kind: TabularKind;
  profile: Profile | null;
  headers: string[];
  /** Field per column index, `bucket` for aging buckets, null when unused. */
  fields: (string | null)[];
  /** Column index per field. */
  index: Record<string, number>;
  buckets: number[];
}

const REQUIRED: Record<TabularKind, string[][]> = {
  // Each inner list is "one of these".
  balance: [['clientCode', 'clientName'], ['ref'], ['openAmount', 'originalAmount', 'debit', 'credit', 'bucket']],
  payments: [['clientCode', 'clientName'], ['date'], ['amount', 'credit', 'debit']],
  clients: [['clientCode'], ['clientName', 'email', 'address1', 'terms', 'excluded']],
};

/** The fields that hold a kind's amount (the last of REQUIRED's lists). */
export const AMOUNT_SOURCES: Partial<Record<TabularKind, string[]>> = {
  balance: REQUIRED.balance[2]!,
  payments: REQUIRED.payments[2]!,
};

/**
 * Maps one row's cells as a header of `kind`; null when the required fields are missing
 * (with `withoutAmount`, the amount may be missing: to say so once, for the header).
 * A cell is first matched exactly (config, the software's own names, generic synonyms),
 * then, if nothing matched it exactly, on its words (see WORD_RULES): an exact match
 * anywhere in the row wins the field over a word match.
 */
export function mapHeader(
  row: string[],
  kind: TabularKind,
  profile: Profile | null,
  overrides: Record<string, string> | undefined,
  withoutAmount = false,
): HeaderMapping | null {
  const override: ColumnIndex = new Map();
  for (const [field, header] of Object.entries(overrides ?? {})) override.set(normaliseHeader(header), field);
  const own = profile ? profileIndex(profile, kind) : null;
  const generic = GENERIC_INDEX[kind];
  const fields: (string | null)[] = [];
  const index: Record<string, number> = {};
  const buckets: number[] = [];
  const keys = row.map(normaliseHeader);
  const exact: boolean[] = [];
  keys.forEach((key, i) => {
    let field = override.get(key) ?? own?.get(key) ?? generic.get(key) ?? null;
    exact.push(field !== null);
    if (field !== null && index[field] !== undefined) field = null; // first column wins
    if (field === null && key !== '' && isAgingBucket(key)) {
      buckets.push(i);
      fields.push('bucket');
      return;
    }
    if (field !== null) index[field] = i;
    fields.push(field);
  });
  keys.forEach((key, i) => {
    if (fields[i] !== null || exact[i] || key === '') return;
    const field = wordField(row[i]!, kind);
    if (field !== null && index[field] === undefined) {
      index[field] = i;
      fields[i] = field;
    }
  });
  const has = (f: string): boolean => (f === 'bucket' ? buckets.length > 0 : index[f] !== undefined);
  const required = withoutAmount ? REQUIRED[kind].filter((oneOf) => oneOf !== AMOUNT_SOURCES[kind]) : REQUIRED[kind];
  if (!required.every((oneOf) => oneOf.some(has))) return null;
  return { kind, profile, headers: row.map((c) => c.trim()), fields, index, buckets };
}

// Small words dropped before matching on words; `du` only when it is the preposition.
const SMALL_WORDS = new Set(['de', 'des', 'd', 'l', 'la', 'le', 'les', 'a', 'au', 'aux', 'en', 'et', 'par', 'pour', 'sur', 'un', 'une']);
// Words that may follow an owed `du` without making it a preposition (« Montant du TTC »).
const AFTER_OWED = new Set(['ttc', 'ht', 'eur', 'euro', 'euros', 'e']);

/**
 * The words of a header for matching on words: normalised (lower case, no accents, no
 * punctuation), small words dropped, plurals made singular; « dû », « due », « dus » and a
 * `du` that ends a header of several words (« MONTANT DU TTC ») become the word `du`
 * (owed), the preposition is dropped (« Date du règlement »).
 */
export function headerWords(cell: string): string[] {
  // Mark the accented dû before accents are stripped: it is never the preposition.
  const marked = cell.normalize('NFC').replace(/(^|[^\p{L}])dû(?=$|[^\p{L}])/giu, '$1 owed ');
  const words = normaliseHeader(marked).split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '') continue;
    if (w === 'owed' || w === 'due' || w === 'dus' || w === 'dues') {
      out.push('du');
      continue;
    }
    if (w === 'du') {
      // Alone, an unaccented « Du » may as well be a period's start (« Du », « Au »).
      if (out.length > 0 && words.slice(i + 1).every((next) => AFTER_OWED.has(next))) out.push('du');
      continue;
    }
    if (SMALL_WORDS.has(w)) continue;
    out.push(w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w);
  }
  return out;
}

/** The field a header names by its words (WORD_RULES), or null. */
export function wordField(cell: string, kind: TabularKind): string | null {
  const words = headerWords(cell);
  if (words.length === 0) return null;
  for (const r of WORD_RULES[kind]) {
    if (!words.every((w) => r.all.has(w))) continue;
    if (r.any.some((group) => group.every((w) => words.includes(w)))) return r.field;
  }
  return null;
}

// Fields that say nothing of a file's kind: every kind may have them.
const NOT_TELLING = new Set(['clientCode', 'clientName', 'salesRep', 'currency', 'debit', 'credit', 'lettering']);

/**
 * The header cells that only a file of each kind has: « Solde » or an aging bucket
 * (a balance), « Pièces réglées » (payments), « Code postal » (clients). Columns mapped
 * in the config for a kind count for it. Used to tell a file given with the wrong flag.
 */
export function kindEvidence(row: string[], overrides: ColumnOverrides): Record<TabularKind, string[]> {
  const kinds: TabularKind[] = ['balance', 'payments', 'clients'];
  const evidence: Record<TabularKind, string[]> = { balance: [], payments: [], clients: [] };
  const indexes = kinds.map((kind) => [GENERIC_INDEX[kind], ...PROFILES.map((p) => profileIndex(p, kind))]);
  for (const cell of row) {
    const key = normaliseHeader(cell);
    if (key === '') continue;
    const fieldIn = kinds.map((kind, k) => {
      const mapped = Object.values(overrides[kind] ?? {}).some((h) => normaliseHeader(h) === key);
      if (mapped) return 'config';
      if (kind === 'balance' && isAgingBucket(key)) return 'bucket';
      for (const index of indexes[k]!) {
        const f = index.get(key);
        if (f !== undefined) return f;
      }
      return wordField(cell, kind);
    });
    const tells = fieldIn.flatMap((f, k) => (f !== null ? [k] : []));
    if (tells.length === 1) {
      const k = tells[0]!;
      if (fieldIn[k] === 'config' || !NOT_TELLING.has(fieldIn[k]!)) evidence[kinds[k]!].push(cell.trim());
    }
  }
  return evidence;
}

/**
 * Tries a row as the header of each kind (or the forced one) and keeps the kind that
 * recognises the most columns; ties go to the aged balance, then payments.
 */
export function detectHeader(
  row: string[],
  forcedKind: TabularKind | null,
  forcedProfile: ProfileId | null,
  overrides: ColumnOverrides,
  withoutAmount = false,
): HeaderMapping | null {
  const kinds: TabularKind[] = forcedKind ? [forcedKind] : ['balance', 'payments', 'clients'];
  let best: HeaderMapping | null = null;
  let bestScore = 0;
  for (const kind of kinds) {
    const mapping = mapHeader(row, kind, null, overrides[kind], withoutAmount);
    if (!mapping) continue;
    const score = Object.keys(mapping.index).length + (mapping.buckets.length > 0 ? 1 : 0);
    if (score > bestScore) {
      best = mapping;
      bestScore = score;
    }
  }
  if (!best) return null;
  const profile = pickProfile(row, best.kind, forcedProfile);
  return profile ? mapHeader(row, best.kind, profile, overrides[best.kind], withoutAmount) : best;
}

/**
 * The software whose own column names cover most of the header (at least 60 % of its
 * non-empty cells and three columns), or the forced one; null means generic.
 */
function pickProfile(row: string[], kind: TabularKind, forced: ProfileId | null): Profile | null {
  if (forced) return PROFILES.find((p) => p.id === forced) ?? null;
  const cells = row.map(normaliseHeader).filter((c) => c !== '');
  let best: Profile | null = null;
  let bestCount = 0;
  for (const profile of PROFILES) {
    const own = profileIndex(profile, kind);
    const count = cells.filter((c) => own.has(c)).length;
    if (count > bestCount) {
      best = profile;
      bestCount = count;
    }
  }
  return best && bestCount >= 3 && bestCount >= 0.6 * cells.length ? best : null;
}
