import { addDays, endOfMonth, type CalendarDate } from './dates.js';

/** Payment terms: a number of days, optionally rounded to the end of that month. */
export interface PaymentTerms {
  days: number;
  endOfMonth: boolean;
}

/**
 * Reads payment terms as clients files write them: `30 jours`, `30 j net`,
 * `45 jours fin de mois`, `45 j FDM`, `60`, `à réception`, `comptant`.
 * Returns null when the text says nothing recognisable.
 */
export function parseTerms(text: string): PaymentTerms | null {
  const t = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  if (t === '') return null;
  if (/^(a )?reception|comptant|immediat/.test(t)) return { days: 0, endOfMonth: false };
  const m = /^(\d{1,3})\s*(j|jours?|days?)?\b(.*)$/.exec(t);
  if (!m) return null;
  const rest = m[3] ?? '';
  return { days: Number(m[1]), endOfMonth: /fin de mois|fdm|\bfm\b/.test(rest) };
}

/**
 * The due date that terms give to a document: `days` after its date, then to the end
 * of that month when the terms say "fin de mois" (the usual reading of "45 jours fin de
 * mois" in France).
 */
export function dueDateFromTerms(docDate: CalendarDate, terms: PaymentTerms): CalendarDate {
  const due = addDays(docDate, terms.days);
  return terms.endOfMonth ? endOfMonth(due) : due;
}

/** Terms as French text, for messages: `30 jours`, `45 jours fin de mois`. */
export function describeTerms(terms: PaymentTerms): string {
  if (terms.days === 0 && !terms.endOfMonth) return 'à réception';
  return `${terms.days} jours${terms.endOfMonth ? ' fin de mois' : ''}`;
}
