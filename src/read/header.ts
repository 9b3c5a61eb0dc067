import { normaliseHeader } from './dialect.js';
import {
  GENERIC_INDEX,
  isAgingBucket,
  PROFILES,
  profileIndex,
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

/** Maps one row's cells as a header of `kind`; null when the required fields are missing. */
export function mapHeader(
  row: string[],
  kind: TabularKind,
  profile: Profile | null,
  overrides: Record<string, string> | undefined,
): HeaderMapping | null {
  const override: ColumnIndex = new Map();
  for (const [field, header] of Object.entries(overrides ?? {})) override.set(normaliseHeader(header), field);
  const own = profile ? profileIndex(profile, kind) : null;
  const generic = GENERIC_INDEX[kind];
  const fields: (string | null)[] = [];
  const index: Record<string, number> = {};
  const buckets: number[] = [];
  row.forEach((cell, i) => {
    const key = normaliseHeader(cell);
    let field = override.get(key) ?? own?.get(key) ?? generic.get(key) ?? null;
    if (field !== null && index[field] !== undefined) field = null; // first column wins
    if (field === null && key !== '' && isAgingBucket(key)) {
      buckets.push(i);
      fields.push('bucket');
      return;
    }
    if (field !== null) index[field] = i;
    fields.push(field);
  });
  const has = (f: string): boolean => (f === 'bucket' ? buckets.length > 0 : index[f] !== undefined);
  if (!REQUIRED[kind].every((oneOf) => oneOf.some(has))) return null;
  return { kind, profile, headers: row.map((c) => c.trim()), fields, index, buckets };
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
): HeaderMapping | null {
  const kinds: TabularKind[] = forcedKind ? [forcedKind] : ['balance', 'payments', 'clients'];
  let best: HeaderMapping | null = null;
  let bestScore = 0;
  for (const kind of kinds) {
    const mapping = mapHeader(row, kind, null, overrides[kind]);
    if (!mapping) continue;
    const score = Object.keys(mapping.index).length + (mapping.buckets.length > 0 ? 1 : 0);
    if (score > bestScore) {
      best = mapping;
      bestScore = score;
    }
  }
  if (!best) return null;
  const profile = pickProfile(row, best.kind, forcedProfile);
  return profile ? mapHeader(row, best.kind, profile, overrides[best.kind]) : best;
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
