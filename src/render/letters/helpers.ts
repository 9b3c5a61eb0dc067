import Handlebars from 'handlebars';
import { formatDateFr, type CalendarDate } from '../../core/dates.js';
import { formatEuros } from '../../core/money.js';
import { percentFr } from '../../core/penalties.js';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « 16 novembre 2026 », « 1er juillet 2026 ». */
export function formatDateLong(date: CalendarDate): string {
  const day = +date.slice(8, 10);
  return `${day === 1 ? '1er' : day} ${MONTHS[+date.slice(5, 7) - 1]} ${+date.slice(0, 4)}`;
}

/** A helper given no value, or a value of the wrong kind; the message is French. */
export class HelperError extends Error {}

/** Handlebars passes its options object last: a helper that receives it as its value was given none. */
const isOptions = (v: unknown): boolean => typeof v === 'object' && v !== null && 'hash' in v && 'data' in v;

function numberArg(v: unknown, helper: string, example: string): number {
  if (v === undefined || isOptions(v)) throw new HelperError(`le helper « ${helper} » n'a pas reçu de valeur (exemple : ${example})`);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new HelperError(`le helper « ${helper} » attend un nombre, il a reçu « ${String(v)} » (exemple : ${example})`);
  return v;
}

function dateArg(v: unknown, helper: string): string | null {
  const example = `{{${helper} dueDate}}`;
  if (v === undefined || isOptions(v)) throw new HelperError(`le helper « ${helper} » n'a pas reçu de valeur (exemple : ${example})`);
  if (v === null) return null;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new HelperError(`le helper « ${helper} » attend une date AAAA-MM-JJ, il a reçu « ${String(v)} » (exemple : ${example})`);
  return v;
}

/**
 * A Handlebars environment with the letters' helpers (documented in templates/fr/README.md):
 * `euros`, `date`, `dateLong`, `percent`, `plural`, `eq`, and `relancePart`, which names
 * the part being rendered (subject, text, html, letter).
 */
export function letterHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('euros', (cents: unknown) => formatEuros(numberArg(cents, 'euros', '{{euros totals.dueCents}}')));
  hb.registerHelper('date', (d: unknown) => {
    const date = dateArg(d, 'date');
    return date === null ? '' : formatDateFr(date);
  });
  hb.registerHelper('dateLong', (d: unknown) => {
    const date = dateArg(d, 'dateLong');
    return date === null ? '' : formatDateLong(date);
  });
  hb.registerHelper('percent', (rate: unknown) => percentFr(numberArg(rate, 'percent', '{{percent ratePercent}}')));
  hb.registerHelper('plural', (count: unknown, singular: unknown, plural: unknown) => {
    const n = numberArg(count, 'plural', '{{plural count "facture" "factures"}}');
    if (typeof singular !== 'string' || typeof plural !== 'string') {
      throw new HelperError('le helper « plural » attend un nombre et deux mots (exemple : {{plural count "facture" "factures"}})');
    }
    return Math.abs(n) >= 2 ? plural : singular;
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('relancePart', (options: Handlebars.HelperOptions) => options.data.relancePart);
  return hb;
}
