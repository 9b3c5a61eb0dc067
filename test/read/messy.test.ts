import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { OpenItem } from '../../src/core/records.js';
import { DataError } from '../../src/errors.js';
import { normaliseEncoding } from '../../src/read/decode.js';
import { loadInputs, type InputFlags } from '../../src/read/inputs.js';
import { fixture, ROOT } from '../helpers.js';

// One small file per quirk of French exports; fixtures/messy/expected.json (generated
// with the files) gives each file's records as the reader must see them.
interface Case {
  encoding: string;
  recordCount?: number;
  records?: { clientCode: string; ref: string; docDate: string; dueDate: string | null; openCents: number; line: number }[];
  balanceCents?: number;
  headerLine?: number;
  payments?: { clientCode: string; date: string; amountCents: number; refs: string[] }[];
  error?: { line: number; column: string; value: string };
}
const cases = JSON.parse(readFileSync(fixture('messy/expected.json'), 'utf8')) as Record<string, Case>;
const ENCODING: Record<string, string> = { 'utf8-bom': 'utf-8', utf8: 'utf-8' };

function flagsFor(name: string): InputFlags {
  const isFec = name.startsWith('fec-');
  const file = fixture(`messy/${name}`);
  return {
    balance: isFec ? [] : [file], payments: [], clients: [], fec: isFec ? [file] : [], ledger: [], files: [], sheet: null,
    asOf: '2026-11-16', profile: null, encoding: name === 'cp850.csv' ? normaliseEncoding('cp850') : null,
  };
}
const configFor = (name: string) =>
  name === 'unknown-export.csv' ? loadConfig(fixture('messy/unknown-export.relance.yaml'), ROOT) : loadConfig(null, ROOT);

const readable = Object.entries(cases).filter(([, c]) => !c.error);

describe.each(readable)('messy export %s', (name, c) => {
  it('reads every record to the cent, with its date and source line', async () => {
    const inputs = await loadInputs(flagsFor(name), configFor(name), true, ROOT);
    const report = inputs.reports[0]!;
    expect(report.encoding).toBe(ENCODING[c.encoding] ?? c.encoding);
    if (c.headerLine) expect(report.headerLine).toBe(c.headerLine);
    const items = inputs.openItems;
    expect(items.length).toBe(c.recordCount);
    expect(items.reduce((s, i) => s + i.openCents, 0)).toBe(c.balanceCents);
    if (!name.startsWith('fec-')) {
      const got = items.map((i: OpenItem) => ({
        clientCode: i.clientCode, ref: i.ref, docDate: i.docDate, dueDate: i.dueDateDerived ? null : i.dueDate, openCents: i.openCents, line: i.source.line,
      }));
      expect(got).toEqual(c.records);
    }
    if (c.payments) {
      expect(inputs.payments.map((p) => ({ clientCode: p.clientCode, date: p.date, amountCents: p.amountCents, refs: p.refs }))).toEqual(c.payments);
    }
  });
});

describe('a file whose total does not add up', () => {
  it('is rejected whole, naming the line, the column and both amounts', async () => {
    const c = cases['total-mismatch.csv']!;
    const read = loadInputs(flagsFor('total-mismatch.csv'), configFor('total-mismatch.csv'), true, ROOT);
    await expect(read).rejects.toBeInstanceOf(DataError);
    await expect(read).rejects.toThrow(`ligne ${c.error!.line}, colonne « ${c.error!.column} »`);
  });
});

describe('the CP850 file read without --encoding', () => {
  it('is not silently mis-decoded: the error says to use --encoding cp850', async () => {
    const flags = { ...flagsFor('cp850.csv'), encoding: null };
    await expect(loadInputs(flags, loadConfig(null, ROOT), true, ROOT)).rejects.toThrow('relancez avec --encoding cp850');
  });
});
