import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { CanonicalRecord } from '../core/records.js';
import type { InspectResult } from '../commands/inspect.js';
import { describeWhere } from '../errors.js';
import { FORMAT_LABELS } from '../read/formats.js';
import { KIND_LABELS, PROFILES } from '../read/profiles.js';
import { recordAsJson } from './records.js';
import { fitTable, fitText, painter, WIDE, type Column, type Fit } from './table.js';

/** The warnings the table shows: a screenful; check lists them all. */
const WARNINGS_SHOWN = 20;

/** What inspect understood, as JSON: the files, the records shown (--limit), every warning. */
export function inspectAsJson(result: InspectResult, shown: CanonicalRecord[]): string {
  return `${JSON.stringify({ files: result.files, records: shown.map(recordAsJson), warnings: result.warnings }, null, 2)}\n`;
}

/** The terminal rendering: one block per file, then warnings, then the first records. */
export function inspectAsText(result: InspectResult, shown: CanonicalRecord[], color: boolean, fit: Fit = WIDE): string {
  const c = painter(color);
  const out: string[] = [];
  for (const f of result.files) {
    out.push(c.bold(fitText(`Fichier : ${f.file}`, fit, '  ')));
    const profile = f.profile === null ? null : (PROFILES.find((p) => p.id === f.profile)?.label ?? 'générique');
    const kind =
      f.kind === 'fec'
        ? f.formatLabel ?? FORMAT_LABELS.fec
        : f.sheet !== undefined
          ? `${FORMAT_LABELS.xlsx}, feuille « ${f.sheet} », ${KIND_LABELS[f.kind]}`
          : `${FORMAT_LABELS.tabular}, ${KIND_LABELS[f.kind]}`;
    const skipped = Object.entries(f.skipped).filter(([, n]) => n > 0).map(([why, n]) => `${n} ${why}`);
    const rows: [string, string][] = [
      ['Format', kind],
      ...(profile ? ([['Logiciel', `${profile}${f.profileDetected ? ' (détecté)' : ' (imposé par --profile)'}`]] as [string, string][]) : []),
      ['Encodage', `${f.encoding} (${f.encodingReason})`],
      ['Séparateur', f.sheet !== undefined ? f.delimiter : `${f.delimiter}, fins de ligne ${f.lineEnding}`],
      // Ledger formats without a header line (Sage 100 #MECG, Quadra, EBP, Cegid TRA) say nothing of one.
      ...(f.headerLine > 0 ? ([['Ligne d\'en-tête', String(f.headerLine)]] as [string, string][]) : []),
      [f.format === 'fec' ? 'Dernière écriture' : 'Date de l\'export', f.exportDate ? formatDateFr(f.exportDate) : 'non indiquée'],
      ['Lignes lues', `${f.lines} ; enregistrements : ${f.records}${skipped.length ? ` ; ignorées : ${skipped.join(', ')}` : ''}`],
    ];
    const wrong = f.totals.filter((t) => t.declaredCents !== t.computedCents);
    const grand = f.totals.filter((t) => /g[ée]n[ée]ral|^total$/i.test(t.label));
    if (f.totals.length > 0) {
      const lines = new Set(f.totals.map((t) => t.line)).size;
      const shownTotals = grand.map((t) => `${t.column} ${formatEuros(t.declaredCents)}`).join(', ');
      rows.push([
        'Totaux vérifiés',
        wrong.length === 0
          ? `${lines} ligne${lines > 1 ? 's' : ''} de total, égale${lines > 1 ? 's' : ''} à la somme des lignes${shownTotals ? ` (${shownTotals})` : ''}`
          : `${wrong.length} total faux`,
      ]);
    }
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) out.push(fitText(`  ${k.padEnd(width)} : ${v}`, fit, ' '.repeat(width + 3)));
    const mapped = f.columns.filter((col) => col.field !== null);
    const unused = f.columns.filter((col) => col.field === null && col.header !== '').map((col) => col.header);
    out.push(
      fitTable(
        [{ head: 'Colonne' }, { head: 'En-tête', shorten: 'cut', min: 16 }, { head: 'Champ', shorten: 'wrap', min: 12 }],
        mapped.map((col) => [col.index + 1, col.header, col.field === 'bucket' ? 'tranche d\'âge (ignorée)' : col.field!]),
        fit,
      ),
    );
    if (unused.length > 0) out.push(fitText(`  Colonnes non utilisées : ${unused.join(', ')}`, fit, '  '));
    out.push('');
  }
  if (result.warnings.length > 0) {
    out.push(c.yellow(`Avertissements (${result.warnings.length}) :`));
    for (const w of result.warnings.slice(0, WARNINGS_SHOWN)) out.push(fitText(`  - ${describeWhere(w)} : ${w.message}`, fit, '  '));
    if (result.warnings.length > WARNINGS_SHOWN) out.push(`  … et ${result.warnings.length - WARNINGS_SHOWN} autres (relance check les liste tous)`);
    out.push('');
  }
  out.push(c.bold(`Premiers enregistrements (${shown.length} sur ${result.records.length}) :`));
  out.push(recordsTable(shown, fit));
  return `${out.join('\n')}\n`;
}

// The kind, the client, the reference and the amount stay; then what inspect is for,
// the dates as read; the source goes first, then the name (the code is there).
const RECORD_COLUMNS: Column[] = [
  { head: 'Type' },
  { head: 'Client', shorten: 'cut', min: 10 },
  { head: 'Nom', priority: 30, shorten: 'cut', min: 12 },
  { head: 'Pièce / e-mail', shorten: 'cut', min: 14 },
  { head: 'Date', priority: 40 },
  { head: 'Échéance', priority: 50, shorten: 'wrap', min: 10 },
  { head: 'Montant', align: 'right' },
  { head: 'Source', priority: 20 },
];

function recordsTable(records: CanonicalRecord[], fit: Fit): string {
  const rows = records.map((r) => {
    const where = `${r.source.file.split('/').at(-1)}:${r.source.line}`;
    if (r.kind === 'open_item') {
      const due = r.dueDate ? `${formatDateFr(r.dueDate)}${r.dueDateDerived ? ' (calculée)' : ''}` : '—';
      return ['créance', r.clientCode, r.clientName, r.ref, r.docDate ? formatDateFr(r.docDate) : '—', due, formatEuros(r.openCents), where];
    }
    if (r.kind === 'payment') {
      return ['règlement', r.clientCode, r.clientName, r.refs.join(', ') || '—', formatDateFr(r.date), '', formatEuros(r.amountCents), where];
    }
    return ['client', r.clientCode, r.clientName, r.emails.join(', ') || '(sans e-mail)', '', '', '', where];
  });
  return fitTable(RECORD_COLUMNS, rows, fit);
}
