import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { PlanAction } from '../../src/core/plan.js';
import { declarationOf, type ProcedureRecord } from '../../src/core/procedure.js';
import { penaltyTablesFrom, type PenaltyTables } from '../../src/core/rates.js';
import type { Client } from '../../src/core/records.js';
import type { Step } from '../../src/core/scenario.js';
import type { Inputs } from '../../src/read/inputs.js';
import { renderAction, renderDeclaration, renderPaymentPlan, type LetterContext, type RenderedMessage } from '../../src/render/letters.js';
import { letterPdf, lettersPdf, type PdfOptions } from '../../src/render/pdf.js';
import { fixture, fixtureCompany, fixtureLetters, ROOT, runCli } from '../helpers.js';

/**
 * The letters as PDF, checked with the tools a person would use: pdftotext (poppler-utils)
 * reads each one back, pdftoppm renders page 1 to test/output/pdf/ to be looked at.
 */
const AS_OF = '2026-11-16';
const OPTS: PdfOptions = { logoPath: null, creationDate: new Date('2026-11-16T09:00:00Z') };
const OUT = join(ROOT, 'test', 'output', 'pdf');
const NNBSP = '\u202f';
const NBSP = '\u00a0';

let config: Config;
let clients: Client[];
let actions: PlanAction[];
let tables: PenaltyTables;
let inputs: Inputs;
const tmp = mkdtempSync(join(tmpdir(), 'relance-pdf-'));

beforeAll(async () => {
  ({ config, clients, actions, tables } = await fixtureLetters(AS_OF));
  ({ inputs } = await fixtureCompany(AS_OF));
  mkdirSync(OUT, { recursive: true });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function contextOf(code: string, step: Step, client: Partial<Client> = {}, action: Partial<PlanAction> = {}): LetterContext {
  const a = actions.find((x) => x.clientCode === code)!;
  return {
    asOf: AS_OF,
    company: config.company,
    client: { ...clients.find((c) => c.clientCode === code)!, ...client },
    action: structuredClone({ ...a, step, ...action }),
    penaltyTables: tables,
    contractualRatePercent: null,
    templatesDir: null,
    cwd: ROOT,
  };
}
const render = (code: string, step: Step, client: Partial<Client> = {}, action: Partial<PlanAction> = {}) => renderAction(contextOf(code, step, client, action));

let n = 0;
/** The PDF read back by `pdftotext -layout`, pages separated by form feeds. */
function pdfText(pdf: Buffer): string {
  const file = join(tmp, `letter-${++n}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
const pagesOf = (text: string) => text.replace(/\f$/, '').split('\f');
/** Words of a text with its layout spaces collapsed (pdftotext -layout pads columns). */
const words = (s: string) => s.replace(/[ \n]+/g, ' ');
/** An 8 × 8 PNG (dark blue), for the logo and the QR code's place. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mOQs6nAihiGlgQAbXQ0gaRpYWYAAAAASUVORK5CYII=', 'base64');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every amount the letter writes (`1 656,00 €`, with its narrow and ordinary no-break spaces). */
function amountsOf(html: string): string[] {
  return [...new Set(html.match(/\d{1,3}(?:\u202f\d{3})*,\d{2}\u00a0€/g) ?? [])];
}
/**
 * poppler's text output turns every Unicode space (U+00A0, U+202F) into an ordinary one:
 * the amounts are compared digit for digit with their spaces as pdftotext writes them.
 * That the PDF itself keeps the exact characters is checked on its ToUnicode map.
 */
const asPdftotext = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
/** The Unicode code points the PDF's fonts map their glyphs to (ToUnicode CMaps). */
function unicodeOf(pdf: Buffer): Set<string> {
  const out = new Set<string>();
  const raw = pdf.toString('latin1');
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let text: string;
    try {
      text = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('beginbfrange') && !text.includes('beginbfchar')) continue;
    for (const h of text.matchAll(/<([0-9a-f]{4})>/gi)) out.add(h[1]!.toLowerCase());
  }
  return out;
}
const refsOf = (html: string) => [...new Set(html.match(/\bFA\d{4}-\d{4}\b/g) ?? [])];

function paymentPlan(): RenderedMessage {
  const a = actions.find((x) => x.clientCode === 'CTRABOU')!;
  return renderPaymentPlan({
    asOf: AS_OF, company: config.company, client: clients.find((c) => c.clientCode === 'CTRABOU')!, clientCode: 'CTRABOU', clientName: a.clientName,
    invoices: a.invoices, downPaymentCents: 106_000,
    instalments: [{ number: 1, date: '2026-12-15', amountCents: 250_000 }, { number: 2, date: '2027-01-15', amountCents: 250_000 }],
    mode: 'virement', templatesDir: null, cwd: ROOT,
  });
}

function declaration(): RenderedMessage {
  const p: ProcedureRecord = {
    id: 1, clientCode: 'CTRABOU', type: 'redressement', judgmentOn: '2026-11-02', bodaccOn: '2026-11-12',
    administrator: 'Maître Anne Martin, 12 rue de la Bourse, 69002 Lyon', openedOn: AS_OF, closedOn: null, closeReason: null,
  };
  const d = declarationOf(p, inputs.openItems, { consumer: false }, penaltyTablesFrom(config.penalties), config.penalties.whenRateMissing);
  return renderDeclaration({
    asOf: AS_OF, company: config.company, client: clients.find((c) => c.clientCode === 'CTRABOU') ?? null, clientCode: 'CTRABOU',
    clientName: 'Brasserie Les Traboules', declaration: d, basis: 'taux-bce', templatesDir: null, cwd: ROOT,
  });
}

/** The relevé des pénalités as the command writes it (`relance penalites --letters`), and its total. */
async function lateStatement(): Promise<{ html: string; totalCents: number }> {
  const dir = mkdtempSync(join(tmp, 'releve-'));
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const sage = ['--payments', fixture('sage100/reglements.csv'), '--clients', fixture('sage100/clients.csv'), '--balance', fixture('sage100/balance.csv')];
  const r = await runCli(['penalites', ...sage, '--as-of', AS_OF, '--from', '2026-01-01', '--letters', 'releves'], { cwd: dir, columns: 200 });
  expect(r.code, r.stderr).toBe(0);
  const file = readdirSync(join(dir, 'releves')).find((f) => f.startsWith('releve-penalites-CTRABOU') && f.endsWith('.html'))!;
  const json = await runCli(['penalites', ...sage, '--as-of', AS_OF, '--from', '2026-01-01', '--client', 'CTRABOU', '--format', 'json'], { cwd: dir, columns: 200 });
  const report = JSON.parse(json.stdout) as { clients: { clientCode: string; totalCents: number }[] };
  return { html: readFileSync(join(dir, 'releves', file), 'utf8'), totalCents: report.clients.find((c) => c.clientCode === 'CTRABOU')!.totalCents };
}

interface Case {
  name: string;
  /** The letter, and the total it must print. */
  letter: () => Promise<{ html: string; totalCents: number }> | { html: string; totalCents: number };
  client: string;
  /** Refs the letter must name (besides every ref found in its HTML). */
  refs: () => string[];
  mentions: string[];
  absent?: string[];
}

const refsOfClient = (code: string) => () => actions.find((a) => a.clientCode === code)!.invoices.map((i) => i.ref);
const euros = (cents: number) => `${new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2 }).format(cents / 100)}${NBSP}€`;
const of = (m: RenderedMessage, key: 'dueCents' | 'totalCents') => ({ html: m.letterHtml!, totalCents: m.totals[key] });

const CASES: Case[] = [
  { name: 'relance1', letter: () => of(render('CTRABOU', 'relance1'), 'dueCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: ['L441-10', 'D441-5'] },
  { name: 'relance2', letter: () => of(render('CTRABOU', 'relance2'), 'dueCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: ['L441-10', 'D441-5'] },
  { name: 'escalade', letter: () => of(render('CTRABOU', 'escalade'), 'dueCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: ['L441-10', 'D441-5'] },
  { name: 'mise en demeure B2B', letter: () => of(render('CTRABOU', 'mise_en_demeure'), 'totalCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: ['Lettre recommandée avec accusé de réception', 'L441-10', 'D441-5', '1344 du Code civil', '1405'] },
  { name: 'mise en demeure consumer', letter: () => of(render('CMARCHE', 'mise_en_demeure', { consumer: true }), 'dueCents'), client: 'M. Julien Marchetti', refs: refsOfClient('CMARCHE'), mentions: ['Lettre recommandée avec accusé de réception', '1231-6 du Code civil', '1344 du Code civil'], absent: ['L441-10', 'D441-5'] },
  { name: 'contentieux', letter: () => of(render('CTRABOU', 'contentieux'), 'totalCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: ['Document interne', '1405'] },
  { name: 'échéancier', letter: () => of(paymentPlan(), 'dueCents'), client: 'Brasserie Les Traboules', refs: refsOfClient('CTRABOU'), mentions: [] },
  { name: 'déclaration de créance', letter: () => of(declaration(), 'totalCents'), client: 'Brasserie Les Traboules', refs: () => ['FA2026-0030', 'FA2026-0033', 'FA2026-0036'], mentions: ['L622-24', 'D441-5', 'L622-28', 'Total déclaré', 'Signature'] },
  { name: 'relevé des pénalités', letter: lateStatement, client: 'Brasserie Les Traboules', refs: () => [], mentions: ['L441-10', 'D441-5', 'Total du relevé'], absent: ['mise en demeure'] },
];

describe('every printable letter as a PDF read back by pdftotext', () => {
  it.each(CASES)('$name: client, invoice refs, every amount, the legal mentions, « page 1/N »', async (c) => {
    const { html, totalCents } = await c.letter();
    const pdf = await letterPdf(html, OPTS);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(OUT, `${c.name.replace(/[^a-zà-ÿ0-9]+/gi, '-')}.pdf`), pdf);
    const text = pdfText(pdf);
    const flat = words(text);
    expect(flat).toContain(c.client);
    expect(flat).toContain('Lumen Éclairage SAS');
    expect(flat).toContain('SIREN 812 345 678');
    for (const ref of c.refs()) expect(html).toContain(ref);
    const refs = refsOf(html);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(flat).toContain(ref);
    // The amounts come back as the letter writes them (see asPdftotext).
    const amounts = amountsOf(html);
    expect(amounts.length).toBeGreaterThan(0);
    for (const a of amounts) expect(text).toContain(asPdftotext(a));
    expect(html).toContain(euros(totalCents));
    expect(text).toContain(asPdftotext(euros(totalCents)));
    for (const m of c.mentions) expect(flat).toContain(m);
    for (const m of c.absent ?? []) expect(flat).not.toContain(m);
    const pages = pagesOf(text);
    pages.forEach((p, i) => expect(p).toContain(`page ${i + 1}/${pages.length}`));
    // The HTML's head (title, style) is not printed.
    expect(flat).not.toContain('@page');
    expect(flat).not.toContain('font-family');
  });

  it('mise en demeure: the total claimed; the PDF holds the narrow no-break space of the thousands, the no-break space before €', async () => {
    const m = render('CTRABOU', 'mise_en_demeure');
    const pdf = await letterPdf(m.letterHtml!, OPTS);
    const total = euros(m.totals.totalCents);
    expect(total).toContain(NNBSP);
    expect(m.letterHtml).toContain(total);
    expect(pdfText(pdf)).toContain(asPdftotext(total));
    // The PDF keeps the characters themselves: €, œ-free French, the two no-break spaces, ’.
    const mapped = unicodeOf(pdf);
    for (const ch of [NNBSP, NBSP, '€', 'é', '–']) expect(mapped.has(ch.codePointAt(0)!.toString(16).padStart(4, '0')), ch).toBe(true);
  });
});

describe('layout of page 1: letterhead, window envelope, page numbers', () => {
  it('mise en demeure: page 1 rendered to PNG (pdftoppm) beside the test output, address in the DL window', async () => {
    const logo = join(tmp, 'logo.png');
    writeFileSync(logo, PNG);
    const pdf = await letterPdf(render('CTRABOU', 'mise_en_demeure').letterHtml!, { ...OPTS, logoPath: logo });
    const file = join(OUT, 'mise-en-demeure.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(OUT, 'mise-en-demeure-page1')]);
    expect(readFileSync(join(OUT, 'mise-en-demeure-page1.png')).subarray(1, 4).toString()).toBe('PNG');
    // Where the words are on the page (pdftotext -bbox, in points): the address block in
    // the DL window (110 mm from the left, 55 mm from the top), the letterhead top left.
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    const word = (w: string) => {
      const m = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="[\\d.]+" yMax="[\\d.]+">${w}</word>`).exec(bbox);
      if (!m) throw new Error(`${w} not on page 1`);
      return { x: (Number(m[1]) * 25.4) / 72, y: (Number(m[2]) * 25.4) / 72 };
    };
    const recipient = word('Brasserie');
    expect(recipient.x).toBeGreaterThan(109);
    expect(recipient.x).toBeLessThan(112);
    expect(recipient.y).toBeGreaterThan(54);
    expect(recipient.y).toBeLessThan(60);
    const city = word('69005');
    expect(city.y).toBeLessThan(55 + 33);
    const company = word('Lumen');
    expect(company.x).toBeLessThan(25);
    expect(company.y).toBeLessThan(45);
    expect(word('Objet').y).toBeGreaterThan(95);
  });
});

function manyInvoices(count: number): Partial<PlanAction> {
  const a = actions.find((x) => x.clientCode === 'CTRABOU')!;
  const base = a.invoices[0]!;
  return { invoices: Array.from({ length: count }, (_, i) => ({ ...structuredClone(base), ref: `FA2026-${String(500 + i).padStart(4, '0')}` })) };
}

describe('a long letter: the table continues on the next pages', () => {
  it('a client with 60 invoices: every ref printed once, header row repeated, pages numbered', async () => {
    const m = render('CTRABOU', 'mise_en_demeure', {}, manyInvoices(60));
    const pdf = await letterPdf(m.letterHtml!, OPTS);
    writeFileSync(join(OUT, 'mise-en-demeure-60-factures.pdf'), pdf);
    const text = pdfText(pdf);
    const pages = pagesOf(text);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => expect(p).toContain(`page ${i + 1}/${pages.length}`));
    for (let i = 0; i < 60; i++) {
      const ref = `FA2026-${String(500 + i).padStart(4, '0')}`;
      // Once in the table, once in the detail of the penalties.
      expect(text.split(ref).length - 1).toBe(m.letterHtml!.split(ref).length - 1);
    }
    // The header row heads the table again on the page where it continues.
    const withTable = pages.filter((p) => /FA2026-05\d\d/.test(p));
    expect(withTable.length).toBeGreaterThanOrEqual(2);
    for (const p of withTable.slice(0, 2)) expect(p).toMatch(/Facture n°/);
    for (const a of amountsOf(m.letterHtml!)) expect(text).toContain(asPdftotext(a));
  });
});

describe('the declaration of claim: its certification and signature on one page', () => {
  it('« Fait à », the signatory and « Signature : » are never split across pages', async () => {
    const pages = pagesOf(pdfText(await letterPdf(declaration().letterHtml!, OPTS)));
    const signed = pages.find((p) => p.includes('Signature :'))!;
    expect(signed).toContain('Fait à Lyon, le 16 novembre 2026');
    expect(signed).toContain('Nadia Benali');
  });
});

describe('lettersPdf: the day\'s letters in one file', () => {
  it('three letters, each starting on a new page, pages numbered per letter', async () => {
    const letters = [render('CTRABOU', 'mise_en_demeure', {}, manyInvoices(30)).letterHtml!, render('CBELLEC', 'relance1').letterHtml!, render('CCANUTS', 'mise_en_demeure').letterHtml!];
    const singles = await Promise.all(letters.map((l) => letterPdf(l, OPTS)));
    const counts = singles.map((s) => pagesOf(pdfText(s)).length);
    const all = await lettersPdf(letters, OPTS);
    writeFileSync(join(OUT, 'a-imprimer.pdf'), all);
    const pages = pagesOf(pdfText(all));
    expect(pages.length).toBe(counts[0]! + counts[1]! + counts[2]!);
    expect(counts[0]).toBeGreaterThan(1);
    const starts = [0, counts[0]!, counts[0]! + counts[1]!];
    const names = ['Brasserie Les Traboules', 'Hôtel Bellecour SAS', 'Boulangerie des Canuts'];
    starts.forEach((start, k) => {
      expect(words(pages[start]!)).toContain(names[k]);
      expect(pages[start]).toContain(`page 1/${counts[k]}`);
      expect(pages[start]).toContain('Madame, Monsieur');
    });
    expect(pages[counts[0]! - 1]).toContain(`page ${counts[0]}/${counts[0]}`);
  });
});

describe('reproducible bytes', () => {
  it('same letters and creation date: same PDF, same SHA-256; another date: other bytes', async () => {
    const html = render('CTRABOU', 'mise_en_demeure').letterHtml!;
    const [a, b] = [await letterPdf(html, OPTS), await letterPdf(html, OPTS)];
    expect(sha256(a)).toBe(sha256(b));
    const c = await letterPdf(html, { ...OPTS, creationDate: new Date('2026-11-17T09:00:00Z') });
    expect(sha256(c)).not.toBe(sha256(a));
  });
});

describe('HTML the templates do not use still prints', () => {
  it('unknown tags keep their text, entities are decoded, nothing crashes', async () => {
    const html = `<html><head><title>x</title><style>p { color: red }</style><script>alert(1)</script></head><body>
<marquee>Texte <blink>défilant</blink></marquee><p>Dupont &amp; Fils &lt;SARL&gt; &#8364; &eacute;t&eacute; &#x2019; &nbsp;ok</p>
<custom-tag data-x="1">balise inconnue</custom-tag><h2>Titre</h2><ol><li>un</li><li>deux<ul><li>imbriqué</li></ul></li></ol>
<img src="https://exemple.fr/logo.png" alt="logo distant"><img src="data:image/png;base64,!!!" alt="image abîmée">
<table><tr><td>sans thead</td><td>1${NNBSP}234,50${NBSP}€</td></tr></table><p>non fermé <strong>gras <em>et italique</p><div>fin</div>`;
    const text = words(pdfText(await letterPdf(html, OPTS)));
    for (const s of ['Texte défilant', 'Dupont & Fils <SARL> € été ’', 'balise inconnue', 'Titre', '1. un', '2. deux', 'imbriqué', '[logo distant]', '[image abîmée]', 'sans thead', asPdftotext(`1${NNBSP}234,50${NBSP}€`), 'non fermé gras et italique', 'fin', 'page 1/1']) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('alert');
    expect(text).not.toContain('color: red');
  });

  it('draws a data-URI image (the payment QR code) and an empty letter gives one blank numbered page', async () => {
    const png = PNG;
    const pdf = await letterPdf(`<p>Payer :</p><img class="qr" src="data:image/png;base64,${png.toString('base64')}" alt="QR">`, OPTS);
    expect(pdf.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    expect(words(pdfText(await letterPdf('', OPTS)))).toContain('page 1/1');
  });
});
