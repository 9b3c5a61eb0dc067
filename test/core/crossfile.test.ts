import { describe, expect, it } from 'vitest';
import { companiesIn, crossFileCheck, PaymentNotes, withLatePayments, type InputFile } from '../../src/core/crossfile.js';
import type { Payment } from '../../src/core/records.js';
import { client, item, payment } from '../builders.js';

const BALANCE: InputFile = { file: 'balance.csv', format: 'tabulaire', kind: 'balance', exportDate: '2026-11-10' };
const PAYMENTS: InputFile = { file: 'reglements.csv', format: 'tabulaire', kind: 'payments', exportDate: '2026-11-16' };

/** Payment notes for the files given, fed with the payments. */
function notesOf(files: InputFile[], payments: Payment[]): PaymentNotes {
  const notes = new PaymentNotes(files);
  for (const p of payments) notes.note(p);
  return notes;
}

const paid = (code: string, name: string, over: Partial<Payment> = {}) => payment(0, 100_000, { clientCode: code, clientName: name, source: { file: 'reglements.csv', line: 6 }, ...over });

describe('companiesIn: the company name among the title lines', () => {
  it.each([
    [[['Lumen Éclairage SAS'], ['Échéancier clients'], ['Date de tirage : 16/11/2026'], ['Période du 01/01/2025 au 16/11/2026']], ['Lumen Éclairage SAS']],
    [[['Balance âgée clients au 16/11/2026 - Lumen Éclairage SAS']], ['Lumen Éclairage SAS']],
    [[['Lumen Éclairage SAS'], ['Règlements clients du 01/01/2026 au 16/11/2026'], ['Montants en ¤']], ['Lumen Éclairage SAS']],
    [[['Liste des comptes clients - Lumen Éclairage SAS']], ['Lumen Éclairage SAS']],
    [[['Échéancier', 'Page 1']], []],
    [[], []],
  ])('%j → %j', (title, expected) => {
    expect(companiesIn(title)).toEqual(expected);
  });
});

describe('crossFileCheck: payments from another company, by the clients\' names', () => {
  const clients = ['C1', 'C2', 'C3', 'C4'].map((c) => client({ clientCode: c, clientName: `Client ${c}` }));
  const check = (payments: Payment[]) =>
    crossFileCheck({ files: [BALANCE, { ...BALANCE, file: 'clients.csv', kind: 'clients' }, PAYMENTS], openItems: [], clients, notes: notesOf([], payments) })
      .findings.filter((f) => f.code === 'reglements-autre-societe').length;

  it.each([
    ['3 shared, 2 differ', [paid('C1', 'Autre 1'), paid('C2', 'Autre 2'), paid('C3', 'Client C3')], 1],
    ['4 shared, 2 differ: not more than half', [paid('C1', 'Autre 1'), paid('C2', 'Autre 2'), paid('C3', 'Client C3'), paid('C4', 'Client C4')], 0],
    ['2 shared, both differ: too few to tell', [paid('C1', 'Autre 1'), paid('C2', 'Autre 2'), paid('C9', 'Inconnu')], 0],
    ['accents, case, legal form and truncation do not count', [paid('C1', 'CLIENT C1 SAS'), paid('C2', 'Clïent C2'), paid('C3', 'client c3')], 0],
  ])('%s', (_, payments, expected) => {
    expect(check(payments)).toBe(expected);
  });

  it('a truncated name is the same name', () => {
    const long = [client({ clientCode: 'C1', clientName: 'Architectes Roux, Vidal & Associés' }), client({ clientCode: 'C2', clientName: 'Résidence Les Tilleuls' }), client({ clientCode: 'C3', clientName: 'Brasserie Les Traboules' })];
    const notes = notesOf([], [paid('C1', 'ARCHITECTES ROUX VIDAL'), paid('C2', 'RESIDENCE LES TILLEULS'), paid('C3', 'BRASSERIE LES TRAB')]);
    expect(crossFileCheck({ files: [BALANCE, PAYMENTS], openItems: [], clients: long, notes }).findings).toEqual([]);
  });
});

describe('crossFileCheck: the same ref in several files', () => {
  const other: InputFile = { ...BALANCE, file: 'ancienne.csv', exportDate: '2026-11-03' };
  const fec: InputFile = { file: 'FEC.txt', format: 'fec', kind: 'fec', exportDate: '2026-11-15' };
  const at = (file: string, line: number, over = {}) => item({ source: { file, line }, ...over });

  it.each([
    ['two balances, same client: error', [at('balance.csv', 6), at('ancienne.csv', 9)], 'erreur', true],
    ['two balances, another client: warning', [at('balance.csv', 6), at('ancienne.csv', 9, { clientCode: 'C2' })], 'avertissement', false],
    ['a balance and a FEC: warning', [at('balance.csv', 6), at('FEC.txt', 120)], 'avertissement', false],
  ])('%s', (_, openItems, severity, stops) => {
    const r = crossFileCheck({ files: [BALANCE, other, fec], openItems, clients: [], notes: notesOf([], []) });
    expect(r.findings.map((f) => [f.code, f.severity, f.file, f.line])).toEqual([['ref-en-double', severity, 'balance.csv', 6]]);
    expect(r.error !== null).toBe(stops);
  });

  it('within one file, leaves it to the audit', () => {
    const r = crossFileCheck({ files: [BALANCE], openItems: [at('balance.csv', 6), at('balance.csv', 7)], clients: [], notes: notesOf([], []) });
    expect(r).toEqual({ findings: [], error: null });
  });
});

describe('withLatePayments: money received after the balance was exported', () => {
  const files = [BALANCE, PAYMENTS];
  const fa1 = item({ ref: 'FA1', dueDate: '2026-10-01', openCents: 100_000, source: { file: 'balance.csv', line: 6 } });
  const fa2 = item({ ref: 'FA2', dueDate: '2026-10-15', openCents: 50_000, originalCents: 50_000, source: { file: 'balance.csv', line: 7 } });
  const late = (over: Partial<Payment>) => paid('C1', 'Client 1', { date: '2026-11-12', refs: [], settles: [], ...over });
  const run = (ps: Payment[], asOf = '2026-11-16') => {
    const notes = notesOf(files, ps);
    const r = withLatePayments({ asOf, openItems: [fa1, fa2], files, late: notes.late });
    return r.openItems.map((i) => [i.ref, i.openCents]);
  };

  it.each([
    ['names an open invoice: that invoice first', [late({ refs: ['FA2'], amountCents: 60_000 })], [['FA1', 100_000], ['Règlement du 12/11/2026', -10_000]]],
    ['names nothing: an unapplied credit', [late({ amountCents: 30_000 })], [['FA1', 100_000], ['FA2', 50_000], ['Règlement du 12/11/2026', -30_000]]],
    ['dated on or before the export: already in the balance', [late({ date: '2026-11-10', amountCents: 30_000 })], [['FA1', 100_000], ['FA2', 50_000]]],
    ['dated after the as-of date: not yet', [late({ date: '2026-11-20', amountCents: 30_000 })], [['FA1', 100_000], ['FA2', 50_000]]],
    ['names only an invoice the balance does not know: left alone', [late({ refs: ['FA9'], amountCents: 30_000 })], [['FA1', 100_000], ['FA2', 50_000]]],
    ['of a client the balance does not hold: left alone', [late({ clientCode: 'C7', amountCents: 30_000 })], [['FA1', 100_000], ['FA2', 50_000]]],
  ])('%s', (_, ps, expected) => {
    expect(run(ps)).toEqual(expected);
  });

  it('keeps the items it was given unchanged', () => {
    run([late({ refs: ['FA1'], amountCents: 100_000 })]);
    expect(fa1.openCents).toBe(100_000);
  });

  it('notes only the payments after the earliest balance export, once each, and none from a FEC', () => {
    const fec: InputFile = { file: 'FEC.txt', format: 'fec', kind: 'fec', exportDate: '2026-11-15' };
    const p = late({});
    const notes = notesOf([BALANCE, fec], [p, p, late({ date: '2026-11-09' }), late({ source: { file: 'FEC.txt', line: 3 } })]);
    expect(notes.late).toEqual([p]);
  });
});
