import { csvAsText, csvSchema, type CsvCell } from './csv.js';
import { formatDateFr } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import type { CaseView, LitigationCase, Plan, PlanAction, WaitingCase } from '../core/plan.js';
import { CHANNEL_LABELS, STEP_LABELS, type Step } from '../core/scenario.js';
import type { ScoreWeights } from '../core/score.js';
import { fitTable, fitText, leftOutLine, painter, WIDE, type Column, type Fit } from './table.js';

const SEGMENT_LABELS = { bon: 'bon payeur', occasionnel: 'occasionnel', chronique: 'chronique', nouveau: 'nouveau' };

const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits).replace('.', ',')} %`;
const days = (n: number): string => (n > 0 ? `J+${n}` : n === 0 ? 'J' : `J${n}`);

/** How the plan is shown in the terminal: the width to fit and how many actions (`--limit`). */
export interface PlanTableOptions {
  detail: boolean;
  explain: boolean;
  weights: ScoreWeights;
  color: boolean;
  /** The terminal width to fit (default: whole, as with --wide). */
  fit?: Fit;
  /** Show only the first actions by rank; the totals still count them all. */
  limit?: number | null;
}

// Columns of the actions table, from the most to the least important: client, step and
// amounts stay; the segment goes first (--detail gives it), then the invoice count,
// the date, the delay, the channel, the amount overdue and the step.
const ACTION_COLUMNS: Column[] = [
  { head: 'Rang', align: 'right' },
  { head: 'Client', shorten: 'cut', min: 14 },
  { head: 'Segment', priority: 10 },
  { head: 'Étape', priority: 70, shorten: 'wrap', min: 11 },
  { head: 'Canal', priority: 50, shorten: 'wrap', min: 10 },
  { head: 'Factures', align: 'right', priority: 20 },
  { head: 'Montant échu', align: 'right', priority: 60 },
  { head: 'Retard max', align: 'right', priority: 40 },
  { head: 'À risque', align: 'right' },
  { head: 'Pour le', priority: 30 },
];

/** The plan as the accountant reads it on Monday: actions, manual cases, skipped cases, totals. */
export function planAsTable(plan: Plan, opts: PlanTableOptions): string {
  const c = painter(opts.color);
  const fit = opts.fit ?? WIDE;
  const text = (s: string, hang = '') => fitText(s, fit, hang);
  const actions = opts.limit == null ? plan.actions : plan.actions.slice(0, opts.limit);
  const out: string[] = [];
  out.push(c.bold(text(`Plan de relance du ${formatDateFr(plan.asOf)} au ${formatDateFr(plan.until)} : ${plan.totals.actions} action${plan.totals.actions > 1 ? 's' : ''}, les plus importantes d'abord`)));
  if (plan.actions.length === 0) out.push('Aucune relance à faire sur la période.');
  else {
    out.push(
      fitTable(
        ACTION_COLUMNS,
        actions.map((a) => [
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
        fit,
      ),
    );
    if (actions.length < plan.actions.length) out.push(leftOutLine(plan.actions.length - actions.length, 'autre action', 'autres actions'));
    const notes = actions.filter((a) => a.channelNote);
    for (const a of notes) out.push(text(`* ${a.clientCode} : ${a.channelNote} ; ${CHANNEL_LABELS[a.channel]} à la place de l'e-mail.`, '  '));
    for (const a of actions) for (const n of a.notes) out.push(text(`! ${a.clientCode} : ${n}.`, '  '));
    // Why an action ranks higher (prescription near): for the person, never in the letter.
    for (const a of actions) for (const w of a.why ?? []) out.push(text(`↑ ${a.clientCode} : ${w}.`, '  '));
  }

  if (opts.detail || opts.explain) {
    for (const a of actions) out.push('', ...actionDetail(a, plan.asOf, opts.explain, opts.weights, c.bold, fit));
  }

  if (plan.manual.length > 0) {
    out.push('', c.bold(text(`À traiter à la main (${plan.manual.length}) : hors relances automatiques (une personne décide)`)));
    out.push(
      fitTable(
        [
          { head: 'Client', shorten: 'cut', min: 14 },
          { head: 'Motif', shorten: 'wrap', min: 16 },
          { head: 'Étape prévue', priority: 50, shorten: 'wrap', min: 11 },
          { head: 'Factures', align: 'right', priority: 20 },
          { head: 'Montant échu', align: 'right' },
          { head: 'Retard max', align: 'right', priority: 40 },
        ],
        plan.manual.map((a) => [`${a.clientCode}\n${a.clientName}`, a.reason, a.procedure ? 'déclaration de créance' : a.barred ? '—' : STEP_LABELS[a.step], a.invoices.length, formatEuros(a.overdueCents), days(a.oldestDaysLate)]),
        fit,
      ),
    );
    // Prescription: each barred invoice, its bar date and article (never chased, never in a letter).
    for (const a of plan.manual) for (const w of a.barred ? a.why ?? [] : []) out.push(text(`! ${a.clientCode} : ${w}.`, '  '));
  }
  if (plan.waiting.length > 0) {
    const shown = opts.limit == null ? plan.waiting : plan.waiting.slice(0, opts.limit);
    out.push('', c.bold(text(`En attente (${plan.waiting.length}) : clients en recouvrement sans action sur la période`)));
    out.push(fitTable(WAITING_COLUMNS, shown.map(waitingRow), fit));
    if (shown.length < plan.waiting.length) out.push(leftOutLine(plan.waiting.length - shown.length, 'autre client en attente', 'autres clients en attente'));
  }
  if (plan.litigation.length > 0) {
    out.push('', c.bold(text(`En contentieux (${plan.litigation.length}) : dossiers transmis, plus relancés automatiquement ; à clore par une personne`)));
    out.push(fitTable(LITIGATION_COLUMNS, plan.litigation.map(litigationRow), fit));
  }
  if (plan.skipped.length > 0) {
    out.push('', c.bold(`Écartés (${plan.skipped.length})`));
    out.push(
      fitTable(
        [{ head: 'Client', shorten: 'cut', min: 14 }, { head: 'Motif', shorten: 'cut', min: 10 }, { head: 'Détail', shorten: 'wrap', min: 20 }],
        plan.skipped.map((s) => [`${s.clientCode}\n${s.clientName}`, s.reason, s.detail]),
        fit,
      ),
    );
  }
  out.push(
    '',
    text(`Total : ${plan.totals.actions} action${plan.totals.actions > 1 ? 's' : ''}, ${formatEuros(plan.totals.overdueCents)} échus, ${formatEuros(plan.totals.scoreCents)} à risque ; ${plan.totals.manual} à traiter à la main, ${plan.totals.skipped} écarté${plan.totals.skipped > 1 ? 's' : ''}${plan.totals.waiting > 0 ? `, ${plan.totals.waiting} en attente` : ''}${plan.totals.litigation > 0 ? `, ${plan.totals.litigation} en contentieux` : ''}.`),
  );
  if (!opts.explain && plan.actions.length > 0) out.push(text('« À risque » : perte attendue en euros ; --explain détaille le calcul, --detail liste les factures.'));
  return `${out.join('\n')}\n`;
}

function actionDetail(a: PlanAction, asOf: string, explain: boolean, w: ScoreWeights, bold: (s: string) => string, fit: Fit): string[] {
  const text = (s: string) => fitText(s, fit, '  ');
  const out = [bold(text(`${a.rank}. ${a.clientCode} ${a.clientName} : ${STEP_LABELS[a.step]} (${CHANNEL_LABELS[a.channel]}) le ${formatDateFr(a.dueOn)}`))];
  out.push(text(`   Segment : ${SEGMENT_LABELS[a.segment]} (${a.segmentWhy}) ; scénario « ${a.ladder} » ; solde du compte ${formatEuros(a.balanceCents)}`));
  out.push(text(`   Dossier : ${caseOfAction(a)}`));
  if (a.case.waitReason && a.dueOn > asOf) out.push(text(`   Pas avant le ${formatDateFr(a.dueOn)} : ${a.case.waitReason}`));
  out.push(
    fitTable(
      [
        { head: 'Pièce', shorten: 'cut', min: 11 },
        { head: 'Date', priority: 10 },
        { head: 'Échéance', priority: 50, shorten: 'wrap', min: 10 },
        { head: 'Reste dû', align: 'right' },
        { head: 'Retard', align: 'right', priority: 60 },
        { head: 'Étape', priority: 40, shorten: 'wrap', min: 11 },
        { head: 'À risque', align: 'right' },
      ],
      a.invoices.map((i) => [
        i.ref,
        i.docDate ? formatDateFr(i.docDate) : '—',
        `${formatDateFr(i.dueDate)}${i.dueDateDerived ? ' (calculée)' : ''}`,
        formatEuros(i.openCents),
        days(i.daysOverdue),
        STEP_LABELS[i.step],
        formatEuros(i.atRiskCents),
      ]),
      fit,
    ),
  );
  if (explain) {
    const p = a.scoreParts;
    out.push(text(`   Score = somme sur les factures de : reste dû × min(1, risque × p(retard))`));
    out.push(
      text(`   p(retard) = ${percent(w.baseProbability)} + (${percent(w.maxProbability)} − ${percent(w.baseProbability)}) × (1 − e^(−jours / ${w.ageScaleDays})) ; risque du segment ${SEGMENT_LABELS[a.segment]} = ${String(p.risk).replace('.', ',')}`),
    );
    for (const i of a.invoices) {
      const pAge = i.scoreParts?.ageProbability ?? 0;
      const u = i.barUrgency;
      // Near its bar date (L110-4, L218-2), the probability climbs to 100 % on the last day.
      if (u) {
        const before = percent(u.probabilityBefore, 2);
        out.push(text(`   ${i.ref} : ${formatEuros(i.openCents)} × (${before} + (1 − ${before}) × (1 − ${u.daysLeft} / ${u.windowDays})) = ${formatEuros(i.atRiskCents)} (prescrite le ${formatDateFr(u.barOn)}, dans ${u.daysLeft} jours, art. ${u.article})`));
      } else {
        out.push(text(`   ${i.ref} : ${formatEuros(i.openCents)} × min(1, ${String(p.risk).replace('.', ',')} × ${percent(pAge, 2)}) = ${formatEuros(i.atRiskCents)}`));
      }
    }
    if (a.invoices.some((i) => i.barUrgency)) {
      out.push(text(`   Près de la prescription : dans les 6 mois qui précèdent, p devient p + (1 − p) × (1 − jours restants / jours de la fenêtre), 100 % le dernier jour`));
    }
    out.push(text(`   Total : ${formatEuros(p.amountCents)} en jeu, ${percent(p.probability, 2)} de perte attendue = ${formatEuros(p.atRiskCents)} à risque`));
  }
  return out;
}

const d = formatDateFr;
const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

/** Where a case stands, before an action or while it waits: « ouvert le 30/09/2026, à l'étape 2e relance depuis le 07/10/2026 (2 relances envoyées) ». */
export function caseSummary(c: CaseView): string {
  if (c.openedOn === null || c.step === null) return 'pas encore ouvert (aucune relance envoyée)';
  const since = c.stepOn ?? c.openedOn;
  return `ouvert le ${d(c.openedOn)}, à l'étape ${STEP_LABELS[c.step]} depuis le ${d(since)} (${plural(c.remindersSent, 'relance envoyée', 'relances envoyées')})`;
}

/** What comes after: « ensuite escalade au plus tôt le 27/11/2026 ». */
function nextText(c: CaseView, word: string): string {
  if (c.nextStep === null) return '';
  return ` ; ${word} ${STEP_LABELS[c.nextStep]}${c.nextOn ? ` au plus tôt le ${d(c.nextOn)}` : ''}`;
}

/** The case line of an action (plan --detail, client). */
export function caseOfAction(a: { step: Step; case: CaseView }): string {
  const c = a.case;
  const head = a.step === 'preventive' ? 'aucun, rien n\'est échu' : c.step === null ? 'ouvert par cette relance' : caseSummary(c);
  return `${head}${nextText(c, 'ensuite')}`;
}

/** The case line of a waiting client (client): its step, what comes next and when, why not sooner. */
export function caseOfWaiting(w: WaitingCase): string {
  const c = w.case;
  return `${caseSummary(c)}${nextText(c, 'prochaine étape :')}${c.waitReason ? ` ; pas avant : ${c.waitReason}` : ''}`;
}

/** The litigation line of a client (client). */
export function litigationText(l: LitigationCase): string {
  return `transmis au contentieux le ${d(l.handedOverOn)} (dossier ouvert le ${d(l.openedOn)}, ${plural(l.remindersSent, 'relance', 'relances')} avant) : ${formatEuros(l.amountCents)} encore dus${l.invoices.length ? ` (${l.invoices.join(', ')})` : ''}${l.newInvoices.length ? ` ; nouvelles factures non relancées : ${l.newInvoices.join(', ')} (${formatEuros(l.newInvoicesCents)})` : ''} ; plus de relance automatique jusqu'à sa clôture par une personne`;
}

const WAITING_COLUMNS: Column[] = [
  { head: 'Client', shorten: 'cut', min: 14 },
  { head: 'Étape', priority: 40, shorten: 'wrap', min: 11 },
  { head: 'Depuis', priority: 20 },
  { head: 'Montant échu', align: 'right', priority: 30 },
  { head: 'Prochaine étape', shorten: 'wrap', min: 11 },
  { head: 'Le', priority: 50 },
  { head: 'Pourquoi pas avant', shorten: 'wrap', min: 20 },
];

function waitingRow(w: WaitingCase): (string | number)[] {
  const c = w.case;
  return [
    `${w.clientCode}\n${w.clientName}`,
    c.step ? STEP_LABELS[c.step] : '—',
    c.step ? d(c.stepOn ?? c.openedOn!) : '—',
    formatEuros(w.overdueCents),
    c.nextStep ? STEP_LABELS[c.nextStep] : '—',
    c.nextOn ? d(c.nextOn) : '—',
    c.waitReason ?? '',
  ];
}

const LITIGATION_COLUMNS: Column[] = [
  { head: 'Client', shorten: 'cut', min: 14 },
  { head: 'Transmis le' },
  { head: 'Montant', align: 'right' },
  { head: 'Factures transmises', priority: 30, shorten: 'wrap', min: 11 },
  { head: 'Nouvelles factures (non relancées)', shorten: 'wrap', min: 11 },
];

function litigationRow(l: LitigationCase): (string | number)[] {
  return [
    `${l.clientCode}\n${l.clientName}`,
    d(l.handedOverOn),
    formatEuros(l.amountCents),
    l.invoices.join(', ') || '—',
    l.newInvoices.length ? `${l.newInvoices.join(', ')} (${formatEuros(l.newInvoicesCents)})` : '—',
  ];
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
    unappliedCents: a.unappliedCents,
    oldestDaysLate: a.oldestDaysLate,
    notes: a.notes,
    ...(a.why ? { why: a.why } : {}),
    case: a.case,
    invoices: a.invoices.map((i) => ({
      ref: i.ref, docDate: i.docDate, dueDate: i.dueDate, dueDateDerived: i.dueDateDerived, openCents: i.openCents,
      daysOverdue: i.daysOverdue, step: i.step, atRiskCents: i.atRiskCents, ...(i.barOn ? { barOn: i.barOn } : {}),
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
  list('manual', plan.manual.map((m) => ({ ...actionAsJson(m), reason: m.reason, ...(m.procedure ? { procedure: m.procedure } : {}), ...(m.barred ? { barred: m.barred } : {}) })));
  list('skipped', plan.skipped);
  list('waiting', plan.waiting);
  list('litigation', plan.litigation);
  write(`  "totals": ${JSON.stringify(plan.totals, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
}

/** Columns of the plan CSV: one row per invoice of each action (manual cases flagged). */
export const PLAN_CSV_COLUMNS = [
  'rank', 'manual', 'clientCode', 'clientName', 'segment', 'step', 'channel', 'dueOn', 'scoreCents', 'overdueCents',
  'ref', 'dueDate', 'openCents', 'daysOverdue', 'invoiceStep', 'reason', 'barOn',
] as const;

const PLAN_CSV = csvSchema(PLAN_CSV_COLUMNS, ['rank', 'scoreCents', 'overdueCents', 'openCents', 'daysOverdue']);

/** The plan as CSV, for a spreadsheet or a BI tool. */
export function planAsCsv(plan: Plan): string {
  const rows: CsvCell[][] = [];
  const add = (a: PlanAction, manual: boolean, reason = '') => {
    for (const i of a.invoices) {
      rows.push([a.rank, manual ? 'oui' : 'non', a.clientCode, a.clientName, a.segment, a.step, a.channel, a.dueOn, a.score,
        a.overdueCents, i.ref, i.dueDate, i.openCents, i.daysOverdue, i.step, reason, i.barOn ?? '']);
    }
  };
  for (const a of plan.actions) add(a, false);
  for (const m of plan.manual) add(m, true, m.reason);
  return csvAsText(PLAN_CSV, rows);
}
