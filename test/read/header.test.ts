import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenItem } from '../../src/core/records.js';
import { DataError } from '../../src/errors.js';
import { mapHeader } from '../../src/read/header.js';
import type { TabularKind } from '../../src/read/profiles.js';
import { readTabular } from '../../src/read/tabular.js';
import { fixture } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-header-'));
const options = { cwd: dir, encoding: null, profile: null, columns: {} };

/** The field the header maps a column to, next to a client code and a reference. */
function fieldOf(header: string, kind: TabularKind = 'balance'): string | null {
  const row = kind === 'balance' ? ['Code client', 'N° facture', header] : ['Code client', 'Date', header];
  return mapHeader(row, kind, null, undefined, true)?.fields[2] ?? null;
}

describe('a column matched on its words when no synonym matches it exactly', () => {
  it.each([
    ['Montant restant dû', 'openAmount'],
    ['Solde dû TTC', 'openAmount'],
    ['Reste dû TTC', 'openAmount'],
    ['Montant TTC restant', 'openAmount'],
    ['MONTANT DU TTC', 'openAmount'],
    ['Montants restants dus', 'openAmount'],
    ['Montant restant à régler', 'openAmount'],
    ['Reste à payer TTC', 'openAmount'],
    ['Montant non réglé', 'openAmount'],
    ['Somme due', 'openAmount'],
    ['Solde (€)', 'openAmount'],
    ['Montant', 'originalAmount'],
    ['Montant TTC', 'originalAmount'],
    ['Montant facturé TTC', 'originalAmount'],
    ['Net à payer TTC', 'originalAmount'],
    ['Date échéance', 'dueDate'],
    ["Date d'échéance de la facture", 'dueDate'],
    ['Date de la facture', 'docDate'],
    ['Montant HT', null],
    ['Montant TVA', null],
    ['Montant devise', null],
    ['Solde client', null],
    ['Solde cumulé', null],
    ['Solde progressif', null],
    ['Nb jours échéance', null],
    ['Jours de retard', null],
    ['Du', null],
    ['Date du règlement', null],
    ['Code postal', null],
  ])('balance: « %s » is %s', (header, field) => {
    expect(fieldOf(header)).toBe(field);
  });

  it.each([
    ['Montant du règlement TTC', 'amount'],
    ['N° facture réglée', 'invoiceRefs'],
    ["Date d'échéance de la facture", 'invoiceDueDate'],
    ['Moyen de paiement', 'mode'],
    ['Montant HT', null],
  ])('payments: « %s » is %s', (header, field) => {
    expect(fieldOf(header, 'payments')).toBe(field);
  });

  it('leaves a field to the column that names it exactly, wherever it stands', () => {
    const m = mapHeader(['Code client', 'N° facture', 'Montant TTC restant', 'Solde', 'Montant facturé TTC', 'Montant'], 'balance', null, undefined)!;
    expect(m.index.openAmount).toBe(3);
    expect(m.index.originalAmount).toBe(5);
    expect(m.fields[2]).toBeNull();
    expect(m.fields[4]).toBeNull();
  });

  it('reads a balance whose open amount is headed « Montant restant dû »', async () => {
    const rows = ['Code client;N° facture;Date facture;Échéance;Montant TTC;Montant restant dû'];
    for (let i = 0; i < 330; i++) rows.push(`C${i % 7};FA${i};01/10/2026;31/10/2026;120,00;${i % 2 ? '120,00' : '20,00'}`);
    writeFileSync(join(dir, 'restant-du.csv'), `${rows.join('\n')}\n`);
    const { records, findings } = await readTabular('restant-du.csv', 'balance', options);
    expect(findings.filter((f) => f.severity === 'erreur')).toEqual([]);
    expect(records).toHaveLength(330);
    expect((records as OpenItem[]).reduce((s, r) => s + r.openCents, 0)).toBe(165 * 12000 + 165 * 2000);
  });
});

describe('a balance without a column of what remains due', () => {
  it('is one error for the header, listing the columns and the config that maps one', async () => {
    const rows = ['Code client;N° facture;Date facture;Échéance;Montant TTC;Encours à régler HT'];
    for (let i = 0; i < 330; i++) rows.push(`C${i};FA${i};01/10/2026;31/10/2026;120,00;100,00`);
    writeFileSync(join(dir, 'no-open.csv'), `${rows.join('\n')}\n`);
    const read = readTabular('no-open.csv', 'balance', options);
    await expect(read).rejects.toBeInstanceOf(DataError);
    const err = (await read.catch((e: DataError) => e)) as DataError;
    expect(err.message).toBe(
      "no-open.csv, ligne 1 : aucune colonne de reste dû reconnue dans l'en-tête (Solde, Reste dû, Montant restant…, ou Débit et Crédit) ; « Montant TTC » est le montant d'origine des pièces, pas ce qui en reste dû. Colonnes vues : « Code client », « N° facture », « Date facture », « Échéance », « Montant TTC », « Encours à régler HT ».",
    );
    expect(err.hint).toBe(
      "associez dans la configuration la colonne qui porte le reste dû de chaque pièce, par exemple :\n  columns:\n    balance:\n      openAmount: \"Encours à régler HT\"",
    );
    // The config the hint gives reads the file.
    const mapped = await readTabular('no-open.csv', 'balance', { ...options, columns: { balance: { openAmount: 'Encours à régler HT' } } });
    expect(mapped.records).toHaveLength(330);
  });

  it('is the same error when the header has no amount at all', async () => {
    writeFileSync(join(dir, 'no-amount.csv'), 'Code client;N° facture;Date facture;A encaisser\nC1;FA1;01/10/2026;100,00\n');
    await expect(readTabular('no-amount.csv', 'balance', options)).rejects.toThrow(
      /^no-amount\.csv, ligne 1 : aucune colonne de reste dû reconnue dans l'en-tête \(Solde, Reste dû, Montant restant…, ou Débit et Crédit\)\. Colonnes vues :/,
    );
  });
});

describe('a file given with the wrong flag', () => {
  const FILES = { balance: 'balance', payments: 'reglements', clients: 'clients' } as const;
  const NOUN = { balance: 'une balance âgée', payments: 'une liste de règlements', clients: 'un fichier clients' } as const;
  const cases = (['sage100', 'sage50', 'cegid', 'ebp'] as const).flatMap((sw) =>
    (['balance', 'payments', 'clients'] as const).flatMap((is) =>
      (['balance', 'payments', 'clients'] as const).filter((given) => given !== is).map((given) => [sw, is, given] as const),
    ),
  );
  it.each(cases)('%s: %s given as %s is one error that names the right flag', async (sw, is, given) => {
    const file = fixture(`${sw}/${FILES[is]}.csv`);
    await expect(readTabular(file, given, options)).rejects.toThrow(
      `${file} : ce fichier est ${NOUN[is]} : utilisez --${is} (il a été donné avec --${given}).`,
    );
  });

  it('says which columns tell it', async () => {
    const one = (await readTabular(fixture('sage100/reglements.csv'), 'balance', options).catch((e: DataError) => e)) as DataError;
    expect(one.hint).toBe(
      "sa colonne « Pièces réglées » est celle d'une liste de règlements, aucune n'est propre à une balance âgée ; si c'est bien une balance âgée, associez ses colonnes dans la configuration (columns.balance).",
    );
    const several = (await readTabular(fixture('sage100/clients.csv'), 'payments', options).catch((e: DataError) => e)) as DataError;
    expect(several.hint).toMatch(/^ses colonnes « Adresse », « Complément », « Code postal », « Ville » sont celles d'un fichier clients, aucune n'est propre à une liste de règlements ;/);
  });
});
