/**
 * A calendar date as `YYYY-MM-DD`: no time, no time zone. Strings of this shape sort
 * and compare in calendar order.
 */
export type CalendarDate = string;

/** Marks a date field that holds something that is not a date. */
export const BAD_DATE = Symbol('bad date');

/** What a date field holds: a date, no date (blank, `01/01/1900`), or garbage. */
export type ParsedDate = CalendarDate | null | typeof BAD_DATE;

const cache = new Map<string, ParsedDate>();
const CACHE_LIMIT = 50_000;

/**
 * Parses the date shapes of French exports: `JJ/MM/AAAA`, `JJ/MM/AA`, `JJ-MM-AAAA`,
 * `JJ.MM.AAAA`, `JJMMAA`, `JJMMAAAA`, `AAAAMMJJ`, `AAAA-MM-JJ`, optionally followed by a
 * time. Blank fields, zero dates and `01/01/1900` (how some software stores "no date")
 * give null. A file holds few distinct dates, so results are cached, which also shares
 * the strings between records.
 */
export function parseDate(text: string): ParsedDate {
  let hit = cache.get(text);
  if (hit !== undefined) return hit;
  hit = parseDateUncached(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, hit);
  return hit;
}

function parseDateUncached(raw: string): ParsedDate {
  const parts = datePartsOf(raw);
  if (parts === null || parts === BAD_DATE) return parts;
  const { y, m, d } = parts;
  if (y === 0 && m === 0 && d === 0) return null;
  if (y === 1900 && m === 1 && d === 1) return null;
  if (!isValid(y, m, d)) return BAD_DATE;
  return formatIso(y, m, d);
}

/** Year, month and day as written, not yet checked against the calendar; null when blank. */
function datePartsOf(raw: string): { y: number; m: number; d: number } | null | typeof BAD_DATE {
  let text = raw.trim();
  if (text === '') return null;
  // Drop a time part: "16/11/2026 00:00:00", "2026-11-16T00:00:00".
  const cut = text.search(/[ T]\d{1,2}:\d{2}/);
  if (cut > 0) text = text.slice(0, cut);

  const parts = text.split(/[/.-]/);
  if (parts.length === 3) {
    if (!parts.every((p) => /^\d+$/.test(p))) return BAD_DATE;
    const [a, b, c] = parts as [string, string, string];
    if (a.length === 4) {
      if (b.length > 2 || c.length > 2) return BAD_DATE;
      return { y: +a, m: +b, d: +c };
    }
    if (a.length > 2 || b.length > 2 || (c.length !== 2 && c.length !== 4)) return BAD_DATE;
    return { y: c.length === 2 ? expandYear(+c) : +c, m: +b, d: +a };
  }
  if (parts.length === 1 && /^\d+$/.test(text)) {
    if (/^0+$/.test(text)) return null;
    if (text.length === 6) return { y: expandYear(+text.slice(4, 6)), m: +text.slice(2, 4), d: +text.slice(0, 2) };
    if (text.length === 8) {
      const ymd = { y: +text.slice(0, 4), m: +text.slice(4, 6), d: +text.slice(6, 8) };
      const dmy = { y: +text.slice(4, 8), m: +text.slice(2, 4), d: +text.slice(0, 2) };
      const plausibleYmd = ymd.y >= 1900 && ymd.y <= 2099;
      if (plausibleYmd && isValid(ymd.y, ymd.m, ymd.d)) return ymd;
      // Neither reading is a real day: explain it as AAAAMMJJ when it starts like a year.
      return isValid(dmy.y, dmy.m, dmy.d) || !plausibleYmd ? dmy : ymd;
    }
  }
  return BAD_DATE;
}

const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** Why a well-formed date names no day of the calendar, and the month's last day when the day overflows it. */
export interface ImpossibleDate {
  reason: string;
  lastDay: CalendarDate | null;
}

/**
 * Why `text`, written like a date (`31/02/2026`, `2026-02-30`, `20261301`), names no
 * day of the calendar: « février 2026 n'a que 28 jours ». Null when it is a real date,
 * blank, a year out of range, or not shaped like a date at all (that is illegible, not
 * impossible).
 */
export function impossibleDate(text: string): ImpossibleDate | null {
  const parts = datePartsOf(text);
  if (parts === null || parts === BAD_DATE) return null;
  const { y, m, d } = parts;
  if (y < 1900 || y > 2199 || (y === 0 && m === 0 && d === 0) || isValid(y, m, d)) return null;
  if (m === 0) return { reason: "il n'y a pas de mois 0", lastDay: null };
  if (m > 12) return { reason: `il n'y a que 12 mois, pas de mois ${m}`, lastDay: null };
  if (d === 0) return { reason: "il n'y a pas de jour 0", lastDay: null };
  const last = daysInMonth(y, m);
  if (d > 31) return { reason: `aucun mois n'a ${d} jours`, lastDay: null };
  return { reason: `${MONTH_NAMES[m - 1]} ${y} n'a que ${last} jours`, lastDay: formatIso(y, m, last) };
}

/** Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999. */
function expandYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

function isValid(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function formatIso(y: number, m: number, d: number): CalendarDate {
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const DAY_MS = 86_400_000;

// A plan does date arithmetic on every open item, over few distinct dates: memoise.
const dayNumbers = new Map<CalendarDate, number>();
const datesOfDays = new Map<number, CalendarDate>();

/** Days since 1970-01-01 for a calendar date (no time zone involved). */
export function dayNumber(date: CalendarDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
    if (dayNumbers.size >= CACHE_LIMIT) dayNumbers.clear();
    dayNumbers.set(date, n);
  }
  return n;
}

/** The calendar date of a day number. */
export function fromDayNumber(day: number): CalendarDate {
  let date = datesOfDays.get(day);
  if (date === undefined) {
    const dt = new Date(day * DAY_MS);
    date = formatIso(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
    if (datesOfDays.size >= CACHE_LIMIT) datesOfDays.clear();
    datesOfDays.set(day, date);
  }
  return date;
}

/** `date` plus `days` calendar days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The last day of the date's month. */
export function endOfMonth(date: CalendarDate): CalendarDate {
  const y = +date.slice(0, 4);
  const m = +date.slice(5, 7);
  return formatIso(y, m, daysInMonth(y, m));
}

/** True when `text` is exactly a valid `YYYY-MM-DD` date. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m !== null && isValid(+m[1]!, +m[2]!, +m[3]!);
}

/** Formats a calendar date the French way: `16/11/2026`. */
export function formatDateFr(date: CalendarDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
