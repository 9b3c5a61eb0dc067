/**
 * The day's letters as files (issue 14): one PDF per letter, `a-imprimer.pdf` (every
 * letter to post, in print order, one document to print at once) and `lrar.csv` (the
 * registered letters, for an online LRAR service's bulk import). Shared by `send`,
 * which writes them into `lettersDir`, and `plan --letters`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CalendarDate } from '../core/dates.js';
import type { Step } from '../core/scenario.js';
import { isPosted, printOrder, type TaskKind } from '../core/tasks.js';
import type { Client } from '../core/records.js';
import type { Config } from '../config.js';
import { safeName, type ComposedAction } from '../mail/compose.js';
import { letterPdf, lettersPdf, type PdfOptions } from '../render/pdf.js';
import { lrarCsv } from '../render/taches.js';

/** One letter of the day, rendered: its task kind, its HTML page and its PDF. */
export interface LetterDoc {
  kind: TaskKind;
  clientCode: string;
  clientName: string;
  step: Step;
  client: Client | null;
  /** The file name, without the folder: `01-CBELLEC-mise_en_demeure.pdf`. */
  name: string;
  html: string;
  pdf: Buffer;
  sha256: string;
}

/** The folder of the day's letters: `lettersDir` with AAAA-MM-JJ replaced by the date, from the working directory. */
export function lettersDirOf(config: Config, asOf: CalendarDate, cwd: string): string {
  return resolve(cwd, config.lettersDir.replaceAll('AAAA-MM-JJ', asOf));
}

/** The PDF options: the logo (relative to the config file's folder) and a creation date fixed by the letters' date, so that the same letter gives the same bytes. */
export function pdfOptionsOf(config: Config, asOf: CalendarDate): PdfOptions {
  const logo = config.company.logo;
  return { logoPath: logo ? resolve(dirname(config.journalDefault), logo) : null, creationDate: new Date(`${asOf}T00:00:00Z`) };
}

/** The printable page of a composed action: its letter part, else (no e-mail address) the message itself. */
export function letterHtmlOf(c: ComposedAction): string | null {
  return c.message.letterHtml ?? (c.to.length === 0 ? c.message.html : null);
}

/**
 * Renders the letters of the composed actions (those whose tasks need one), in print
 * order, each named after its rank in that order (`draw` false: named only, for
 * --dry-run). Nothing is written.
 */
export async function renderLetters(items: { composed: ComposedAction; kind: TaskKind; name?: string }[], opts: PdfOptions, draw = true): Promise<LetterDoc[]> {
  const ordered = printOrder(items.map((i) => ({ ...i, clientCode: i.composed.action.clientCode })));
  const width = Math.max(2, String(ordered.length).length);
  const out: LetterDoc[] = [];
  for (const [n, { composed, kind, name }] of ordered.entries()) {
    const html = letterHtmlOf(composed)!;
    const pdf = draw ? await letterPdf(html, opts) : Buffer.alloc(0);
    const a = composed.action;
    out.push({
      kind, clientCode: a.clientCode, clientName: a.clientName, step: a.step, client: composed.client,
      name: name ?? `${String(n + 1).padStart(width, '0')}-${safeName(a.clientCode)}-${a.step}.pdf`, html, pdf, sha256: createHash('sha256').update(pdf).digest('hex'),
    });
  }
  return out;
}

/** Writes each letter's PDF into `dir` (created if needed); returns the paths. */
export function writeLetterFiles(dir: string, docs: readonly LetterDoc[]): string[] {
  mkdirSync(dir, { recursive: true });
  return docs.map((d) => {
    const path = join(dir, d.name);
    writeFileSync(path, d.pdf);
    return path;
  });
}

/**
 * Writes `a-imprimer.pdf` (the letters to post, in print order) and `lrar.csv` (the
 * registered ones) into `dir`. A second run of the same day does not overwrite the first
 * one's: it writes `a-imprimer-2.pdf` and `lrar-2.csv` (`keepEarlier` false, as plan
 * --letters does, writes over them). Returns the paths written.
 */
export async function writeBundle(dir: string, docs: readonly LetterDoc[], opts: PdfOptions, keepEarlier = true): Promise<{ print: string | null; csv: string | null; skipped: string[] }> {
  const posted = docs.filter((d) => isPosted(d.kind));
  if (posted.length === 0) return { print: null, csv: null, skipped: [] };
  mkdirSync(dir, { recursive: true });
  let n = 1;
  const suffix = () => (n === 1 ? '' : `-${n}`);
  while (keepEarlier && (existsSync(join(dir, `a-imprimer${suffix()}.pdf`)) || existsSync(join(dir, `lrar${suffix()}.csv`)))) n++;
  const print = join(dir, `a-imprimer${suffix()}.pdf`);
  // One letter: the same bytes as its own PDF (letterPdf is lettersPdf of one letter).
  writeFileSync(print, posted.length === 1 ? posted[0]!.pdf : await lettersPdf(posted.map((d) => d.html), opts));
  const registered = posted.filter((d) => d.kind === 'lrar');
  if (registered.length === 0) return { print, csv: null, skipped: [] };
  const { text, skipped } = lrarCsv(registered.map((d) => ({ clientCode: d.clientCode, clientName: d.clientName, step: d.step, address: d.client?.address ?? [], consumer: d.client?.consumer ?? false, file: d.name })));
  const csv = join(dir, `lrar${suffix()}.csv`);
  writeFileSync(csv, text);
  return { print, csv, skipped };
}
