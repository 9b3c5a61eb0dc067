import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CalendarDate } from '../core/dates.js';
import type { PlanAction } from '../core/plan.js';
import type { PenaltyTables } from '../core/rates.js';
import type { Client } from '../core/records.js';
import type { Config } from '../config.js';
import { emlOf, inlineImages, renderAction, type HistoryEntry, type RenderedMessage } from '../render/letters.js';

/** An action written out: its documents, its recipients, and the exact message bytes. */
export interface ComposedAction {
  action: PlanAction;
  client: Client | null;
  message: RenderedMessage;
  to: string[];
  cc: string[];
  /** Blind copies: only in the SMTP envelope, never in the headers. */
  bcc: string[];
  messageId: string;
  /** The message as it travels over SMTP (CRLF line ends), and its SHA-256. */
  raw: string;
  sha256: string;
}

/**
 * Writes an action's message from its step's template and builds the e-mail: the
 * client's addresses, its cc and, at `escalade`, the sales rep in copy; the archive in
 * blind copy; invoice PDFs attached; a Message-ID derived from the date, client and
 * step, so that the same action always gives the same bytes.
 */
export async function composeAction(
  action: PlanAction,
  client: Client | null,
  config: Config,
  tables: PenaltyTables,
  asOf: CalendarDate,
  now: Date,
  cwd: string,
  history?: HistoryEntry[],
): Promise<ComposedAction> {
  const message = renderAction({
    asOf, company: config.company, client, action, penaltyTables: tables,
    contractualRatePercent: config.penalties.contractualRatePercent, templatesDir: config.templatesDir ?? null, cwd, history,
    paymentUrl: config.paymentUrl ?? null,
  });
  const from = config.mail.from ?? `${config.company.contactEmail ?? 'relance@localhost'}`;
  const to = client?.emails ?? [];
  const cc = [...(client?.cc ?? []), ...(action.step === 'escalade' && client?.salesRepEmail ? [client.salesRepEmail] : [])];
  const bcc = config.mail.archiveBcc ? [config.mail.archiveBcc] : [];
  const messageId = `<relance.${asOf}.${safeName(action.clientCode)}.${action.step}@${domainOf(from)}>`;
  const inline = inlineImages(message.html, messageId);
  const composed = await emlOf({ ...message, html: inline.html }, {
    from, to, cc, bcc, replyTo: config.mail.replyTo ?? null, date: now, messageId, attachments: [...inline.attachments, ...invoicePdfs(action, config, cwd)],
  });
  // SMTP carries CRLF line ends: hash and send the message as it travels.
  const raw = composed.replace(/\r?\n/g, '\r\n');
  return { action, client, message, to, cc, bcc, messageId, raw, sha256: createHash('sha256').update(raw).digest('hex') };
}

/** The steps a client was taken through, from its journal actions (for the litigation file); failed sends do not count. */
export function historyOf(actions: { actionDate: string; step: HistoryEntry['step']; channel: string; status: string; lrarNumber?: string | null }[]): HistoryEntry[] {
  return actions.filter((a) => a.status !== 'echec').map((a) => ({ date: a.actionDate, step: a.step, channel: a.channel as HistoryEntry['channel'], ...(a.lrarNumber ? { lrarNumber: a.lrarNumber } : {}) }));
}

/** A file-name-safe form of a code or reference. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Invoice PDFs found in the configured folder, by invoice ref (names sanitised). */
function invoicePdfs(a: PlanAction, config: Config, cwd: string): { filename: string; path: string }[] {
  if (!config.mail.invoicesDir) return [];
  const dir = resolve(cwd, config.mail.invoicesDir);
  if (!existsSync(dir)) return [];
  const files = new Map(readdirSync(dir).map((f) => [f.toLowerCase(), f]));
  const out: { filename: string; path: string }[] = [];
  for (const i of a.invoices) {
    const safe = safeName(i.ref);
    const found = files.get(`${safe.toLowerCase()}.pdf`);
    if (found) out.push({ filename: `Facture-${safe}.pdf`, path: resolve(dir, found) });
  }
  return out;
}

function domainOf(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
}

/** The bare address of a `Name <address>` sender, for the SMTP envelope. */
export function envelopeAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

/** True when a message states penalties (amounts, rates) computed with a rate the tables lack. */
export function statesMissingRate(m: RenderedMessage): boolean {
  return (m.statesPenalties ?? true) && (m.missingRates ?? []).length > 0;
}

/** Why such a message is not sent (nor written by `plan --letters`), and how to fix it. */
export function missingRateRefusal(m: RenderedMessage): string {
  const halves = [...new Set((m.missingRates ?? []).flatMap((r) => r.missing.map((h) => `${h.half === 1 ? '1er' : '2e'} semestre ${h.year}`)))];
  const keys = [...new Set((m.missingRates ?? []).map((r) => (r.table === 'latePayment' ? 'penalties.rates' : 'penalties.legalInterestRates')))];
  return `la lettre chiffre des pénalités sans le taux du ${halves.join(', du ')}, absent de la table des taux ; ajoutez-le (${keys.join(', ')}) ou choisissez penalties.whenRateMissing: lastKnown`;
}
