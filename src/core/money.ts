/** Money is held as integer cents, never as floating-point euros. */
export type Cents = number;

const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Parses an amount as French accounting software writes it into integer cents.
 *
 * Accepts a decimal comma or dot, thousands separated by space, no-break space
 * (U+00A0), narrow no-break space (U+202F), apostrophe or dot, zero padding, and the
 * negative forms `-1 234,56`, `1 234,56-` and `(1 234,56)`; a `€` or `EUR` around the
 * number is ignored. Returns null for a blank field and NaN for anything else that is
 * not an amount (including a third decimal that is not zero).
 */
export function parseCents(text: string): Cents | null {
  let start = 0;
  let end = text.length;
  // Trim spaces of every kind by hand: this runs on millions of fields.
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return null;

  let negative = false;
  let first = text.charCodeAt(start);
  let last = text.charCodeAt(end - 1);
  if (first === 40 /* ( */ && last === 41 /* ) */) {
    negative = true;
    start++;
    end--;
  }
  // Currency marks around the number.
  if (text.startsWith('EUR', end - 3) && end - 3 > start) end -= 3;
  else if (text.startsWith('EUR', start) && start + 3 < end) start += 3;
  while (end > start && (isSpace(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 0x20ac)) end--;
  while (start < end && (isSpace(text.charCodeAt(start)) || text.charCodeAt(start) === 0x20ac)) start++;
  if (start === end) return NaN;
  first = text.charCodeAt(start);
  last = text.charCodeAt(end - 1);
  if (first === 45 /* - */ || first === 0x2212 /* − */) {
    negative = !negative;
    start++;
  } else if (first === 43 /* + */) {
    start++;
  } else if (last === 45 || last === 0x2212) {
    negative = !negative;
    end--;
  }

  let value = 0; // all digits read, as one integer
  let digits = 0;
  // Separator positions, counted in digits read before them (at most a few per amount).
  let sepCount = 0;
  let sep1Pos = -1;
  let sep1 = 0;
  let lastSepPos = -1;
  let lastSep = 0;
  let mixed = false;
  let prevSepPos = -1;
  let badGroup = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      value = value * 10 + (c - DIGIT_0);
      digits++;
    } else if (c === 44 /* , */ || c === 46 /* . */) {
      if (sepCount === 0) {
        sep1 = c;
        sep1Pos = digits;
      } else {
        if (c !== sep1) mixed = true;
        if (digits - prevSepPos !== 3) badGroup = true;
      }
      prevSepPos = digits;
      lastSep = c;
      lastSepPos = digits;
      sepCount++;
    } else if (isSpace(c) || c === 39 /* ' */) {
      // Thousands separator: only between digits.
      if (digits === 0 || i + 1 >= end) return NaN;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > 15) return NaN;

  let decimals = 0;
  if (sepCount === 1) {
    const after = digits - sep1Pos;
    // A single dot followed by exactly three digits, after one to three leading digits,
    // is a thousands separator ("1.234"); any other single separator is the decimal mark.
    const thousands = sep1 === 46 && after === 3 && sep1Pos >= 1 && sep1Pos <= 3;
    decimals = thousands ? 0 : after;
  } else if (sepCount > 1) {
    if (mixed) {
      // The last separator is the decimal mark and must differ from all the others.
      if (lastSep === sep1) return NaN;
      let sameAsLast = 0;
      for (let i = start; i < end; i++) if (text.charCodeAt(i) === lastSep) sameAsLast++;
      if (sameAsLast !== 1) return NaN;
      // Groups between thousands separators were checked up to the decimal mark only.
      decimals = digits - lastSepPos;
      if (sep1Pos < 1 || sep1Pos > 3) return NaN;
      if (badGroupBeforeDecimal(text, start, end, lastSep)) return NaN;
    } else {
      // Every separator is a thousands separator: "1.234.567".
      if (badGroup || digits - lastSepPos !== 3 || sep1Pos < 1 || sep1Pos > 3) return NaN;
    }
  }

  let cents: number;
  if (decimals <= 2) {
    cents = value * (decimals === 0 ? 100 : decimals === 1 ? 10 : 1);
  } else {
    const scale = 10 ** (decimals - 2);
    if (value % scale !== 0) return NaN; // a non-zero third decimal is not a cent amount
    cents = value / scale;
  }
  if (!Number.isSafeInteger(cents)) return NaN;
  return negative && cents !== 0 ? -cents : cents;
}

function badGroupBeforeDecimal(text: string, start: number, end: number, decimalMark: number): boolean {
  let group = -1; // digits since the last thousands separator; -1 before the first one
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      if (group >= 0) group++;
    } else if (c === decimalMark) {
      return group !== 3;
    } else if (c === 44 || c === 46) {
      if (group >= 0 && group !== 3) return true;
      group = 0;
    }
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007;
}

/** Made at the first amount formatted: building it loads the French locale data, which `relance --help` and `relance init` need not wait for. */
let euroFormat: Intl.NumberFormat | undefined;

/** Formats cents the French way, `1 234,56 €`, with a narrow no-break space for thousands. */
export function formatEuros(cents: Cents): string {
  euroFormat ??= new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${euroFormat.format(cents / 100)}\u00a0€`;
}

/** Formats cents as a plain decimal number with a dot (`-1234.56`), for CSV output. */
export function centsToDecimal(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
