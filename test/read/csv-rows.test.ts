import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseSync } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecordError, CsvRowSplitter, csvOptions, MAX_RECORD_LINES, splitQuoted } from '../../src/read/csv-rows.js';
import { ROOT } from '../helpers.js';

// The fast path of the delimited-file reader must give exactly the records csv-parse
// gives: on every fixture and messy file, in every dialect, whatever the chunk sizes,
// and on random lines made of the characters that matter (quotes, delimiters, line ends).

type Outcome = { rows: string[][] } | { error: string };

function viaCsvParse(text: string, delimiter: string, recordDelimiter: string): Outcome {
  try {
    return { rows: parseSync(text, csvOptions(delimiter, recordDelimiter)) as string[][] };
  } catch (err) {
    return { error: (err as { code: string }).code };
  }
}

function viaSplitter(text: string, delimiter: string, recordDelimiter: string, chunkSizes: number[]): Outcome & { endsWithNewline?: boolean } {
  const rows: string[][] = [];
  const splitter = new CsvRowSplitter(delimiter, recordDelimiter, (row, newlines) => {
    // The line feeds counted are those its fields hold.
    expect(newlines).toBe(row.join('').split('\n').length - 1);
    rows.push(row);
  });
  try {
    let at = 0;
    for (let k = 0; at < text.length; k++) {
      const size = chunkSizes[k % chunkSizes.length]!;
      splitter.push(text.slice(at, at + size));
      at += size;
    }
    const { endsWithNewline } = splitter.end();
    return { rows, endsWithNewline };
  } catch (err) {
    if (err instanceof CsvRecordError) return { error: err.code };
    throw err;
  }
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(csv|txt|tsv|tra)$/i.test(name)) out.push(path);
  }
  return out.sort();
}

const DELIMITERS = [';', '\t', '|', ','];
const RECORD_DELIMITERS = ['\n', '\r\n', '\r'];
const files = filesUnder(join(ROOT, 'fixtures'));

describe('the fast path of the delimited-file reader', () => {
  it('has files to prove itself on: every fixture and messy export', () => {
    expect(files.filter((f) => f.includes('/messy/')).length).toBeGreaterThan(20);
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('gives the records csv-parse gives on %s, in every dialect and chunking', (_, file) => {
    const bytes = readFileSync(file);
    // The splitter sees text: the file's bytes as UTF-8 when they are, else as Latin-1 (as the reader's fast path).
    const text = isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
    let compared = 0;
    // Every dialect on the small files; the file's own on the large ones (the real FECs).
    const large = text.length > 100_000;
    const ownRd = text.includes('\r\n') ? '\r\n' : text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
    const ownDelimiter = DELIMITERS.reduce((a, b) => (text.split(b).length > text.split(a).length ? b : a));
    for (const delimiter of large ? [ownDelimiter] : DELIMITERS) {
      for (const rd of large ? [ownRd] : RECORD_DELIMITERS) {
        const expected = viaCsvParse(text, delimiter, rd);
        // Small chunks (a CR LF cut in two, a quoted field across chunks) on the small files.
        const chunkings = large ? [[text.length], [65_536]] : text.length > 20_000 ? [[text.length], [65_536], [7, 1, 13]] : [[text.length || 1], [65_536], [7, 1, 13], [1]];
        for (const chunks of chunkings) {
          const { endsWithNewline, ...got } = viaSplitter(text, delimiter, rd, chunks);
          const what = `${delimiter === '\t' ? 'tab' : delimiter} / ${JSON.stringify(rd)} / chunks ${chunks.join(',')}`;
          if ('error' in got && got.error === 'CSV_QUOTE_NOT_CLOSED' && 'rows' in expected) {
            // The one difference, by design: a quoted field open for more lines than any
            // export writes is refused as a quote left open.
            const longest = Math.max(...expected.rows.flat().map((f) => f.split(rd).length - 1));
            expect(longest, what).toBeGreaterThanOrEqual(MAX_RECORD_LINES);
          } else expect(got, what).toEqual(expected);
          compared++;
        }
      }
    }
    // Every dialect and chunking was compared (the big files: their own dialect, two chunkings).
    expect(compared).toBe(large ? 2 : text.length > 20_000 ? 36 : 48);
  }, 120_000);

  it('gives the records csv-parse gives on 3,000 random texts of quotes, delimiters, line ends and spaces', () => {
    const next = random(17);
    const alphabet = ['a', 'é', ' ', ';', ';', '"', '"', '"', '\n', '\n', '\r', '\r\n', '""', '";', ';"'];
    let withQuotes = 0;
    let errors = 0;
    for (let n = 0; n < 3000; n++) {
      const length = 1 + Math.floor(next() * 40);
      let text = '';
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(next() * alphabet.length)]!;
      const rd = RECORD_DELIMITERS[n % 3]!;
      const expected = viaCsvParse(text, ';', rd);
      const size = 1 + Math.floor(next() * 8);
      const { endsWithNewline, ...got } = viaSplitter(text, ';', rd, [size]);
      expect(got, JSON.stringify({ text, rd, size })).toEqual(expected);
      if (text.includes('"')) withQuotes++;
      if ('error' in expected) errors++;
    }
    // The sample exercised what it is for: quoted texts, and unclosed quotes.
    expect(withQuotes).toBeGreaterThan(2500);
    expect(errors).toBeGreaterThan(100);
  });

  it('says whether the text ended with a line break (else its last line may be cut)', () => {
    expect(viaSplitter('a;b\nc;d\n', ';', '\n', [100]).endsWithNewline).toBe(true);
    expect(viaSplitter('a;b\nc;d', ';', '\n', [100]).endsWithNewline).toBe(false);
    expect(viaSplitter('a;b\r\nc;d\r\n', ';', '\r\n', [3]).endsWithNewline).toBe(true);
  });

  it('names the line where a quote opened and never closed', () => {
    const rows: string[][] = [];
    const splitter = new CsvRowSplitter(';', '\n', (r) => rows.push(r));
    splitter.push('a;b\nc;"d\ne;f\n');
    let error: unknown = null;
    try {
      splitter.end();
    } catch (err) {
      error = err;
    }
    expect(rows).toEqual([['a', 'b']]);
    expect(error).toBeInstanceOf(CsvRecordError);
    expect((error as CsvRecordError).code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect((error as CsvRecordError).line).toBeGreaterThanOrEqual(2);
  });

  it('splits plain quoted fields itself and leaves the others to csv-parse', () => {
    expect(splitQuoted('"Restaurant ""Le Réverbère""";FA1;"1 200,00"', ';')).toEqual(['Restaurant "Le Réverbère"', 'FA1', '1 200,00']);
    expect(splitQuoted('a;"";b', ';')).toEqual(['a', '', 'b']);
    // A quote inside a field, text after a closing quote, a field running onto the next line.
    expect(splitQuoted('a;b"c;d', ';')).toBeNull();
    expect(splitQuoted('a;"b"c;d', ';')).toBeNull();
    expect(splitQuoted('a;"b', ';')).toBeNull();
  });
});

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
