// Months AAAA-MM as `relance kpi` takes them, apart from kpi.ts so that the declarations
// relance loads at every start stay light (issue 17).
import { endOfMonth } from './dates.js';
import type { Period } from './kpi.js';

/** The month before AAAA-MM. */
export function previousMonth(month: string): string {
  const y = +month.slice(0, 4);
  const m = +month.slice(5, 7);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The whole month AAAA-MM as a period. */
export function monthPeriod(month: string): Period {
  const from = `${month}-01`;
  return { from, to: endOfMonth(from) };
}
