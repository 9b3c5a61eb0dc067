import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenItem } from '../../src/core/records.js';
import { readTabular } from '../../src/read/tabular.js';

const dir = mkdtempSync(join(tmpdir(), 'relance-decode-'));
const options = { cwd: dir, encoding: null, profile: null, columns: {} };
const HEADER = 'Code client;Nom client;N° facture;Date facture;Date d\'échéance;Montant TTC;Reste dû\n';

/** A balance big enough that its last line sits well past the first chunk read (1 MiB). */
function bigBalance(lastName: Buffer, headerBytes: Buffer): Buffer {
  const rows: string[] = [];
  for (let i = 0; i < 30_000; i++) rows.push(`C${String(i).padStart(5, '0')};Client ${i};FA${i};01/10/2026;31/10/2026;100,00;100,00\n`);
  return Buffer.concat([headerBytes, Buffer.from(rows.join(''), 'latin1'), Buffer.from('CZ;', 'latin1'), lastName, Buffer.from(';FAZ;01/10/2026;31/10/2026;1,00;1,00\n', 'latin1')]);
}

describe('an encoding that shows itself late in the file', () => {
  it('a file in ASCII for its first megabyte, then a Windows-1252 é, is read as Windows-1252 and says where', async () => {
    const file = 'late-1252.csv';
    writeFileSync(join(dir, file), bigBalance(Buffer.from('Soci\xe9t\xe9 Z', 'latin1'), Buffer.from(HEADER.replace('N°', 'No').replace(/[éû]/g, (c) => (c === 'é' ? 'e' : 'u')), 'latin1')));
    const { report, records } = await readTabular(file, 'balance', options);
    expect(report.encoding).toBe('windows-1252');
    expect(report.encodingReason).toMatch(/octet 0xE9 \(ligne 30002\)/);
    expect((records.at(-1) as OpenItem).clientName).toBe('Société Z');
    expect(records).toHaveLength(30_001);
  });

  it('a UTF-8 file with a stray invalid byte far down keeps UTF-8 and warns, naming the line', async () => {
    const file = 'late-bad-byte.csv';
    writeFileSync(join(dir, file), bigBalance(Buffer.from('Soci\xe9t\xe9 Z', 'latin1'), Buffer.from(HEADER, 'utf8')));
    const { report, findings, records } = await readTabular(file, 'balance', options);
    expect(report.encoding).toBe('utf-8');
    expect(findings.map((f) => f.message).join('\n')).toMatch(/octet 0xE9 invalide en UTF-8 \(ligne 30002\)/);
    expect(records).toHaveLength(30_001);
  });
});
