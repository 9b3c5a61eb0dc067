import { stringify } from 'csv-stringify/sync';
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { Plan, PlanAction } from '../core/plan.js';
import { CHANNEL_LABELS, STEP_LABELS } from '../core/scenario.js';
import type { ScoreWeights } from '../core/score.js';
import { painter, table } from './table.js';

const SEGMENT_LABELS = { bon: 'bon payeur', occasionnel: 'occasionnel', chronique: 'chronique', nouveau: 'nouveau' };

const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits).replace('.', ',')} %`;
const days = (n: number): string => (n > 0 ? `J+${n}` : n === 0 ? 'J' : `J${n}`);

/** The plan as the accountant reads it on Monday: actions, manual cases, skipped cases, totals. */
export function planAsTable(plan: Plan, opts: { detail: boolean; explain: boolean; weights: ScoreWeights; color: boolean }): string {
  const c = painter(opts.color);
  const out: string[] = [];
  out.push(c.bold(`Plan de relance du ${formatDateFr(plan.asOf)} au ${formatDateFr(plan.until)} : ${plan.totals.actions} action${plan.totals.actions > 1 ? 's' : ''}, les plus importantes d'abord`));
  if (plan.actions.length === 0) out.push('Aucune relance à faire sur la période.');
  else {
    out.push(
      table(
        ['Rang', 'Client', 'Segment', 'Étape', 'Canal', 'Factures', 'Montant échu', 'Retard max', 'À risque', 'Pour le'],
        plan.actions.map((a) => [
          a.rank,
          `${a.clientCode}\n${a.clientName}`,
          SEGMENT_LABELS[a.segment],
          STEP_LABELS[a.step],
          `${CHANNEL_LABELS[a.channel]}${a.channelNote ? ' *' : ''}`,
          a.invoices.length,
          formatEuros(a.overdueCents),
          days(a.oldestDaysLate),
          formatEuros(a.score),
          formatDateFr(a.dueOn),
        ]),
        [0, 5, 6, 7, 8],
      ),
    );
    const notes = plan.actions.filter((a) => a.channelNote);
    for (const a of notes) out.push(`* ${a.clientCode} : ${a.channelNote} ; ${CHANNEL_LABELS[a.channel]} à la place de l'e-mail.`);
    for (const a of plan.actions) for (const n of a.notes) out.push(`! ${a.clientCode} : ${n}.`);
  }

  if (opts.detail || opts.explain) {
    for (const a of plan.actions) out.push('', ...actionDetail(a, opts.explain, opts.weights, c.bold));
  }

  if (plan.manual.length > 0) {
    out.push('', c.bold(`À traiter à la main (${plan.manual.length}) : clients exclus des relances automatiques`));
    out.push(
      table(
        ['Client', 'Motif', 'Étape prévue', 'Factures', 'Montant échu', 'Retard max'],
        plan.manual.map((a) => [`${a.clientCode}\n${a.clientName}`, a.reason, STEP_LABELS[a.step], a.invoices.length, formatEuros(a.overdueCents), days(a.oldestDaysLate)]),
        [3, 4, 5],
      ),
    );
  }
  if (plan.skipped.length > 0) {
    out.push('', c.bold(`Écartés (${plan.skipped.length})`));
    out.push(table(['Client', 'Motif', 'Détail'], plan.skipped.map((s) => [`${s.clientCode}\n${s.clientName}`, s.reason, s.detail])));
  }
  out.push(
    '',
    `Total : ${plan.totals.actions} action${plan.totals.actions > 1 ? 's' : ''}, ${formatEuros(plan.totals.overdueCents)} échus, ${formatEuros(plan.totals.scoreCents)} à risque ; ${plan.totals.manual} à traiter à la main, ${plan.totals.skipped} écarté${plan.totals.skipped > 1 ? 's' : ''}.`,
  );
  if (!opts.explain && plan.actions.length > 0) out.push('« À risque » : perte attendue en euros ; --explain détaille le calcul, --detail liste les factures.');
  return `${out.join('\n')}\n`;
}

function actionDetail(a: PlanAction, explain: boolean, w: ScoreWeights, bold: (s: string) => string): string[] {
  const out = [bold(`${a.rank}. ${a.clientCode} ${a.clientName} : ${STEP_LABELS[a.step]} (${CHANNEL_LABELS[a.channel]}) le ${formatDateFr(a.dueOn)}`)];
  out.push(`   Segment : ${SEGMENT_LABELS[a.segment]} (${a.segmentWhy}) ; scénario « ${a.ladder} » ; solde du compte ${formatEuros(a.balanceCents)}`);
  out.push(
    table(
      ['Pièce', 'Date', 'Échéance', 'Reste dû', 'Retard', 'Étape', 'À risque'],
      a.invoices.map((i) => [
        i.ref,
        i.docDate ? formatDateFr(i.docDate) : '—',
        `${formatDateFr(i.dueDate)}${i.dueDateDerived ? ' (calculée)' : ''}`,
        formatEuros(i.openCents),
        days(i.daysOverdue),
        STEP_LABELS[i.step],
        formatEuros(i.atRiskCents),
      ]),
      [3, 4, 6],
    ),
  );
  if (explain) {
    const p = a.scoreParts;
    out.push(`   Score = somme sur les factures de : reste dû × min(1, risque × p(retard))`);
    out.push(
      `   p(retard) = ${percent(w.baseProbability)} + (${percent(w.maxProbability)} − ${percent(w.baseProbability)}) × (1 − e^(−jours / ${w.ageScaleDays})) ; risque du segment ${SEGMENT_LABELS[a.segment]} = ${String(p.risk).replace('.', ',')}`,
    );
    for (const i of a.invoices) {
      const age = Math.max(0, i.daysOverdue);
      const pAge = w.baseProbability + (w.maxProbability - w.baseProbability) * (1 - Math.exp(-age / w.ageScaleDays));
      out.push(`   ${i.ref} : ${formatEuros(i.openCents)} × min(1, ${String(p.risk).replace('.', ',')} × ${percent(pAge, 2)}) = ${formatEuros(i.atRiskCents)}`);
    }
    out.push(`   Total : ${formatEuros(p.amountCents)} en jeu, ${percent(p.probability, 2)} de perte attendue = ${formatEuros(p.atRiskCents)} à risque`);
  }
  return out;
}

/** An action as its JSON object (the documented schema). */
function actionAsJson(a: PlanAction) {
  return {
    rank: a.rank,
    clientCode: a.clientCode,
    clientName: a.clientName,
    segment: a.segment,
    segmentWhy: a.segmentWhy,
    ladder: a.ladder,
    step: a.step,
    channel: a.channel,
    channelNote: a.channelNote,
    dueOn: a.dueOn,
    score: a.score,
    scoreParts: a.scoreParts,
    overdueCents: a.overdueCents,
    balanceCents: a.balanceCents,
    oldestDaysLate: a.oldestDaysLate,
    notes: a.notes,
    invoices: a.invoices.map((i) => ({
      ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, dueDateDerived: i.dueDateDerived, openCents: i.openCents,
      daysOverdue: i.daysOverdue, step: i.step, atRiskCents: i.atRiskCents,
    })),
  };
}

/**
 * Writes the plan as JSON: the documented, stable schema (amounts in cents, dates
 * AAAA-MM-JJ), indented like JSON.stringify(…, null, 2). Written action by action, so
 * that a plan of a million invoices never becomes one string in memory.
 */
export function writePlanJson(plan: Plan, write: (text: string) => unknown): void {
  const list = (key: string, items: object[], last = false): void => {
    if (items.length === 0) {
      write(`  "${key}": []${last ? '' : ','}\n`);
      return;
    }
    write(`  "${key}": [\n`);
    items.forEach((item, i) => write(`    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}${i < items.length - 1 ? ',' : ''}\n`));
    write(`  ]${last ? '' : ','}\n`);
  };
  write(`{\n  "asOf": ${JSON.stringify(plan.asOf)},\n  "until": ${JSON.stringify(plan.until)},\n`);
  list('actions', plan.actions.map(actionAsJson));
  list('manual', plan.manual.map((m) => ({ ...actionAsJson(m), reason: m.reason })));
  list('skipped', plan.skipped);
  write(`  "totals": ${JSON.stringify(plan.totals, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
}

/** Columns of the plan CSV: one row per invoice of each action (manual cases flagged). */
export const PLAN_CSV_COLUMNS = [
  'rank', 'manual', 'clientCode', 'clientName', 'segment', 'step', 'channel', 'dueOn', 'scoreCents', 'overdueCents',
  'ref', 'dueDate', 'openCents', 'daysOverdue', 'invoiceStep',
] as const;

/** The plan as CSV, for a spreadsheet or a BI tool. */
export function planAsCsv(plan: Plan): string {
  const rows: (string | number)[][] = [[...PLAN_CSV_COLUMNS]];
  const add = (a: PlanAction, manual: boolean) => {
    for (const i of a.invoices) {
      rows.push([a.rank, manual ? 'oui' : 'non', a.clientCode, a.clientName, a.segment, a.step, a.channel, a.dueOn, a.score,
        a.overdueCents, i.ref, i.dueDate, i.openCents, i.daysOverdue, i.step]);
    }
  };
  for (const a of plan.actions) add(a, false);
  for (const m of plan.manual) add(m, true);
  return stringify(rows);
}
