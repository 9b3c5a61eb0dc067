import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';

/** A chalk that colours only when asked (never in tests or pipes). */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** A terminal table with French headings; right-aligns the columns listed in `right`. */
export function table(head: string[], rows: (string | number)[][], right: number[] = []): string {
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (right.includes(i) ? 'right' : 'left')),
    wordWrap: true,
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}
