import { addDays, type CalendarDate } from '../../core/dates.js';
import { presumedNoticeReceipt } from '../../core/penalties.js';
import type { Channel, Step } from '../../core/scenario.js';

/** A step already taken for the client, for the litigation file. */
export interface HistoryEntry {
  date: CalendarDate;
  step: Step;
  channel: Channel;
  /** A registered letter's number, once its LRAR task is done (relance fait --lrar): evidence of the sending. */
  lrarNumber?: string | null;
}

/** Days the formal notice gives the client to pay. */
export const NOTICE_DAYS = 8;

/**
 * The formal notice a consumer's interest runs from (Code civil 1231-6): the last one of
 * the history sent on or before `asOf`, taken as received `NOTICE_RECEIPT_DAYS` after it
 * was sent (the journal knows only the sending day); interest counts from the day after.
 * The last one, not the first: never more than is owed. None for the formal notice itself,
 * which claims no interest and says that interest will run from its receipt.
 */
export function consumerNoticeOf(history: HistoryEntry[], asOf: CalendarDate, step: Step): { date: CalendarDate; receivedOn: CalendarDate } | null {
  if (step === 'mise_en_demeure') return null;
  const last = lastNoticeOf(history, asOf);
  return last ? { date: last.date, receivedOn: presumedNoticeReceipt(last.date) } : null;
}

/** The last formal notice of the history (sent on or before `until` when given). */
function lastNoticeOf(history: HistoryEntry[], until: CalendarDate | null): HistoryEntry | null {
  let last: HistoryEntry | null = null;
  for (const h of history) {
    if (h.step === 'mise_en_demeure' && (until === null || h.date <= until) && (last === null || h.date >= last.date)) last = h;
  }
  return last;
}

/**
 * The last formal notice of the history, its deadline and whether it has passed. The
 * notice gives its days from its receipt: the deadline runs from the same presumed
 * receipt as the consumer's interest (`presumedNoticeReceipt`), so the litigation file
 * never says the deadline expired before the notice was presumed received.
 */
export function noticeOf(history: HistoryEntry[], asOf: CalendarDate) {
  const last = lastNoticeOf(history, null);
  if (!last) return null;
  const deadline = addDays(presumedNoticeReceipt(last.date), NOTICE_DAYS);
  return { date: last.date, deadline, expired: deadline < asOf, lrarNumber: last.lrarNumber ?? null };
}
