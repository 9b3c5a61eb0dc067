import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { PlanAction } from '../../src/core/plan.js';
import type { PenaltyTables } from '../../src/core/rates.js';
import type { Client } from '../../src/core/records.js';
import type { Step } from '../../src/core/scenario.js';
import { PaymentDetailsError } from '../../src/core/epc.js';
import { letterData, renderAction, renderPaymentPlan, type LetterContext, type RenderedMessage } from '../../src/render/letters.js';
import { letterPdf } from '../../src/render/pdf.js';
import { pngOfDataUri, qrPng } from '../../src/render/qr.js';
import { expectGolden } from '../golden.js';
import { fixture, fixtureLetters, ROOT, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';
import { asGolden } from './letter-golden.js';

const AS_OF = '2026-11-16';
const BIC = 'CMCIFR2A';
const IBAN = 'FR7612548029980004567890174';
const PAY_URL = 'https://pay.example.fr/{{ref}}';
let config: Config;
let clients: Client[];
let actions: PlanAction[];
let tables: PenaltyTables;

beforeAll(async () => {
  ({ config, clients, actions, tables } = await fixtureLetters(AS_OF));
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function contextOf(code: string, step?: Step, over: Partial<LetterContext> = {}): LetterContext {
  const a = actions.find((x) => x.clientCode === code);
  if (!a) throw new Error(`no action for ${code}`);
  return {
    asOf: AS_OF,
    company: { ...config.company, bic: BIC },
    client: clients.find((c) => c.clientCode === code) ?? null,
    action: structuredClone({ ...a, step: step ?? a.step }),
    penaltyTables: tables,
    contractualRatePercent: config.penalties.contractualRatePercent ?? null,
    templatesDir: null,
    cwd: ROOT,
    ...over,
  };
}

/**
 * What zbarimg (Debian's zbar-tools) reads from a PNG: the payload's lines. `-Sbinary`
 * gives the bytes as they are: the payload says it is UTF-8 (its third line, as
 * EPC069-12 asks, which banking apps read), but zbar would guess Shift-JIS for « É ».
 */
function scan(png: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'relance-qr-'));
  const file = join(dir, 'qr.png');
  writeFileSync(file, png);
  const out = execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', file], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  return out.replace(/\n$/, '').split('\n');
}

/** The one QR image of a rendered HTML (letter or e-mail), decoded. */
function scanHtml(html: string): string[] {
  const srcs = [...html.matchAll(/<img src="(data:image\/png;base64,[^"]+)" class="qr"/g)].map((m) => m[1]!);
  expect(srcs).toHaveLength(1);
  return scan(pngOfDataUri(srcs[0]!)!);
}

const euros = (cents: number) => `EUR${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

function expectPayload(lines: string[], amountCents: number, refs: string[]): void {
  expect(lines).toEqual(['BCD', '002', '1', 'SCT', BIC, 'Lumen Éclairage SAS', IBAN, euros(amountCents), '', '', refs.join(', ')]);
}

describe('SEPA payment QR code (EPC069-12) in the letters, read back with zbarimg', () => {
  it('relance1: every field, the amount being the overdue invoices after the unapplied credits', () => {
    const ctx = contextOf('CMORELE', 'relance1');
    const data = letterData(ctx);
    const m = renderAction(ctx);
    const refs = data.overdueInvoices.map((i) => i.ref);
    expect(data.totals.overdueCreditsCents).toBeGreaterThan(0);
    expect(data.payment.amountCents).toBe(data.totals.overdueCents);
    expectPayload(scanHtml(m.letterHtml!), data.totals.overdueCents, refs);
    expectPayload(scanHtml(m.html), data.totals.overdueCents, refs);
    expect(m.letterHtml).toContain("<strong>Payer par virement :</strong> scannez ce code avec l'application de votre banque (2\u202f400,00\u00a0€");
  });

  it('relance2 and escalade ask the overdue invoices; the invoices not yet due are not in the QR code', () => {
    for (const step of ['relance2', 'escalade'] as const) {
      const ctx = contextOf('CTRABOU', step);
      const data = letterData(ctx);
      expectPayload(scanHtml(renderAction(ctx).letterHtml!), data.totals.overdueCents, data.overdueInvoices.map((i) => i.ref));
    }
  });

  it('a B2B formal notice asks the sum with its penalties (L441-10) and indemnities (D441-5): the letter then states penalties', () => {
    const ctx = contextOf('CTRABOU', 'mise_en_demeure');
    const data = letterData(ctx);
    const m = renderAction(ctx);
    expect(data.totals.penaltiesCents).toBeGreaterThan(0);
    expectPayload(scanHtml(m.letterHtml!), data.totals.overdueTotalCents, data.overdueInvoices.map((i) => i.ref));
    expect(m.statesPenalties).toBe(true);
  });

  it("a consumer's formal notice asks the principal (Code civil 1231-6)", () => {
    const ctx = contextOf('CMARCHE', 'mise_en_demeure');
    const data = letterData(ctx);
    expectPayload(scanHtml(renderAction(ctx).letterHtml!), data.totals.overdueCents, data.overdueInvoices.map((i) => i.ref));
  });

  it('a preventive reminder asks what falls due', () => {
    const ctx = contextOf('CROUXVI');
    expect(ctx.action.step).toBe('preventive');
    const data = letterData(ctx);
    expectPayload(scanHtml(renderAction(ctx).letterHtml!), data.totals.upcomingCents, data.upcomingInvoices.map((i) => i.ref));
  });

  it('the litigation file (internal) carries no QR code nor link', () => {
    const m = renderAction(contextOf('CTRABOU', 'contentieux', { paymentUrl: PAY_URL }));
    expect(m.letterHtml).not.toContain('data:image/png');
    expect(m.html).not.toContain('Payer en ligne');
  });

  it('the payment plan asks its first payment, the down payment', () => {
    const a = actions.find((x) => x.clientCode === 'CTRABOU')!;
    const m = renderPaymentPlan({
      asOf: AS_OF, company: { ...config.company, bic: BIC }, client: clients.find((c) => c.clientCode === 'CTRABOU')!, clientCode: 'CTRABOU', clientName: a.clientName,
      invoices: a.invoices, downPaymentCents: 106_000,
      instalments: [{ number: 1, date: '2026-12-15', amountCents: 250_000 }, { number: 2, date: '2027-01-15', amountCents: 250_000 }],
      mode: 'virement', templatesDir: null, cwd: ROOT,
    });
    expectPayload(scanHtml(m.letterHtml!), 106_000, a.invoices.map((i) => i.ref));
  });

  it('no QR code without both the IBAN and the BIC', () => {
    const noBic = renderAction(contextOf('CMORELE', 'relance1', { company: { ...config.company, bic: undefined } }));
    expect(noBic.letterHtml).not.toContain('<img');
    expect(noBic.html).not.toContain('Payer par virement');
    const noIban = renderAction(contextOf('CMORELE', 'relance1', { company: { ...config.company, iban: undefined, bic: BIC } }));
    expect(noIban.letterHtml).not.toContain('<img');
  });

  it('refuses a wrong IBAN key rather than print a QR code that pays nobody', () => {
    const ctx = contextOf('CMORELE', 'relance1', { company: { ...config.company, iban: 'FR76 1254 8029 9800 0456 7890 175', bic: BIC } });
    expect(() => renderAction(ctx)).toThrow(PaymentDetailsError);
    expect(() => renderAction(ctx)).toThrow(/IBAN invalide dans la configuration \(company\.iban\)/);
  });

  it('« Payer en ligne »: paymentUrl with {{ref}} replaced by the refs, URL-encoded, in the HTML, the letter and the text', () => {
    const ctx = contextOf('CTRABOU', 'relance2', { paymentUrl: PAY_URL });
    const refs = letterData(ctx).overdueInvoices.map((i) => i.ref);
    const url = `https://pay.example.fr/${encodeURIComponent(refs.join(','))}`;
    const m = renderAction(ctx);
    expect(url).toContain('%2C');
    expect(m.html).toContain(`<strong>Payer en ligne :</strong> <a href="${url}">${url}</a>`);
    expect(m.letterHtml).toContain(`<a href="${url}">`);
    expect(m.text).toContain(`Payer en ligne : ${url}\n`);
  });

  it('the same payload gives the same PNG bytes', () => {
    const payload = 'BCD\n002\n1\nSCT\nCMCIFR2A\nLumen Éclairage SAS\nFR7612548029980004567890174\nEUR10.00\n\n\nF1';
    expect(qrPng(payload).equals(qrPng(payload))).toBe(true);
    expect(renderAction(contextOf('CMORELE', 'relance1')).letterHtml).toBe(renderAction(contextOf('CMORELE', 'relance1')).letterHtml);
  });

  it('golden: relance1 of Électricité Générale Morel with the QR code and the link (the image by its hash)', () => {
    const m = renderAction(contextOf('CMORELE', 'relance1', { paymentUrl: PAY_URL }));
    const hashed = (s: string) => s.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, (uri) => `data:image/png;base64,…(PNG de ${pngOfDataUri(uri)!.length} octets, SHA-256 ${createHash('sha256').update(pngOfDataUri(uri)!).digest('hex').slice(0, 16)})`);
    const shown: RenderedMessage = { ...m, html: hashed(m.html), letterHtml: hashed(m.letterHtml!) };
    expectGolden(asGolden('relance1 – CMORELE, code QR de virement et lien de paiement', shown), fixture('letters/relance1-qr-virement.golden.txt'));
  });
});

describe('the QR code printed on the PDF letter', () => {
  it('is drawn by the PDF renderer and a scan of the printed page (pdftoppm, 200 dpi) reads the payment', async () => {
    const ctx = contextOf('CTRABOU', 'mise_en_demeure');
    const data = letterData(ctx);
    const pdf = await letterPdf(renderAction(ctx).letterHtml!, { logoPath: null, creationDate: new Date('2026-11-16T09:00:00Z') });
    const dir = mkdtempSync(join(tmpdir(), 'relance-qr-pdf-'));
    writeFileSync(join(dir, 'lettre.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '200', '-png', join(dir, 'lettre.pdf'), join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.startsWith('page')).sort();
    const found = pages.flatMap((f) => {
      try {
        return [scan(readFileSync(join(dir, f)))];
      } catch {
        return [];
      }
    });
    expect(found).toHaveLength(1);
    expectPayload(found[0]!, data.totals.overdueTotalCents, data.overdueInvoices.map((i) => i.ref));
  }, 30_000);
});

describe('the e-mail carries the QR code as an inline image (cid:), over real SMTP', () => {
  it('the HTML names the image by a Content-ID the message has, and the image decodes to the payment', async () => {
    const server = await startSmtp();
    closers.push(server.close);
    const dir = mkdtempSync(join(tmpdir(), 'relance-qr-send-'));
    for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
    const yaml = readFileSync(fixture('relance.yaml'), 'utf8').replace(/^(  iban: .*)$/m, `$1\n  bic: ${BIC}`);
    expect(yaml).toContain(`  bic: ${BIC}`);
    writeFileSync(join(dir, 'relance.yaml'), `${yaml}paymentUrl: "${PAY_URL}"\n`);
    const r = await runCli(
      ['send', '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', join(dir, 'journal.sqlite'), '--as-of', AS_OF],
      { cwd: dir, env: { RELANCE_SMTP_URL: server.url } },
    );
    expect(r.code).toBe(0);
    const morel = server.received.find((m) => m.to.includes('factures@egmorel.example'));
    expect(morel).toBeDefined();
    const mail = await simpleParser(morel!.raw, { keepCidLinks: true });
    const cids = [...(mail.html || '').matchAll(/<img src="cid:([^"]+)" class="qr"/g)].map((x) => x[1]!);
    expect(cids).toHaveLength(1);
    expect(mail.html).not.toContain('data:image');
    const image = mail.attachments.find((a) => a.cid === cids[0]);
    expect(image).toMatchObject({ contentType: 'image/png', filename: 'virement-sepa.png', contentDisposition: 'inline' });
    expect(morel!.raw).toContain(`Content-ID: <${cids[0]}>`);
    const lines = scan(image!.content);
    expect(lines.slice(0, 7)).toEqual(['BCD', '002', '1', 'SCT', BIC, 'Lumen Éclairage SAS', IBAN]);
    expect(lines[7]).toMatch(/^EUR\d+\.\d{2}$/);
    expect(mail.text).toContain('Payer en ligne : https://pay.example.fr/');
    expect(mail.html).toContain('Payer en ligne');
  }, 60_000);
});
