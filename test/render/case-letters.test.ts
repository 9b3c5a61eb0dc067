import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { daysBetween } from '../../src/core/dates.js';
import type { CaseView, PlanAction, PlanInvoice } from '../../src/core/plan.js';
import { penaltyTablesFrom, type PenaltyTables } from '../../src/core/rates.js';
import type { Client, Segment } from '../../src/core/records.js';
import { CHANNEL_LABELS, DEFAULT_LADDERS, SEGMENT_LADDERS, STEPS, type Step } from '../../src/core/scenario.js';
import { LONG_OVERDUE_DAYS, letterData, renderAction, TemplateError, type LetterContext, type RenderedMessage } from '../../src/render/letters.js';
import { expectGolden } from '../golden.js';
import { fixture, fixtureCompany, ROOT } from '../helpers.js';
import { asGolden } from './letter-golden.js';

// Issue 11, « Words fit the facts »: the letters of a client's collection case, built
// from actions whose case facts (reminders already sent, first reminder, oldest invoice)
// are set by hand, as the case engine fills them.

const AS_OF = '2026-11-16';
let config: Config;
let clients: Client[];
let tables: PenaltyTables;

beforeAll(async () => {
  const company = await fixtureCompany(AS_OF);
  config = company.config;
  const { inputs } = company;
  clients = inputs.clients;
  tables = penaltyTablesFrom(config.penalties);
});

/** An invoice of the fixture company, its days late counted at AS_OF. */
function invoice(ref: string, docDate: string, dueDate: string, originalCents: number, statementCents = originalCents, openCents = statementCents): PlanInvoice {
  return { ref, docDate, dueDate, dueDateDerived: false, originalCents, statementCents, openCents, daysOverdue: daysBetween(dueDate, AS_OF), step: 'relance1', atRiskCents: 0 };
}

/** Résidence Les Tilleuls: FA2025-0017 J+307, and FA2026-0027 J+64, partly paid (3 500 € left of 6 000 €). */
const TILLEULS = (): PlanInvoice[] => [
  invoice('FA2025-0017', '2025-11-14', '2026-01-13', 528_000),
  invoice('FA2026-0027', '2026-07-15', '2026-09-13', 600_000, 350_000),
];
/** Brasserie Les Traboules: three invoices at J+50, J+35 and J+16. */
const TRABOULES = (): PlanInvoice[] => [
  invoice('FA2026-0030', '2026-08-28', '2026-09-27', 165_600),
  invoice('FA2026-0033', '2026-09-12', '2026-10-12', 247_200),
  invoice('FA2026-0036', '2026-10-01', '2026-10-31', 193_200),
];
/** An invoice of the Traboules falling due in four days: « à échoir ». */
const SOON = (): PlanInvoice => invoice('FA2026-0045', '2026-10-21', '2026-11-20', 90_000);

const NO_CASE: CaseView = { openedOn: null, step: null, remindersSent: 0, firstReminderOn: null, lastMessageOn: null, nextStep: null, nextOn: null, waitReason: null };

/** A case after `sent` reminders, the first on 30/09/2026. */
function caseAfter(sent: number, last: Step | null = null): CaseView {
  if (sent === 0) return NO_CASE;
  return { ...NO_CASE, openedOn: '2026-09-30', step: last, remindersSent: sent, firstReminderOn: '2026-09-30', lastMessageOn: '2026-10-27' };
}

interface Case {
  code: string;
  segment: Segment;
  step: Step;
  invoices: PlanInvoice[];
  case?: CaseView;
}

/** The action the plan gives a client's case, as the case engine fills it. */
function actionOf(c: Case): PlanAction {
  const ladder = SEGMENT_LADDERS[c.segment] as keyof typeof DEFAULT_LADDERS;
  const rung = DEFAULT_LADDERS[ladder].find((r) => r.step === c.step)!;
  const overdue = c.invoices.filter((i) => i.daysOverdue > 0);
  const name = clients.find((x) => x.clientCode === c.code)?.clientName ?? c.code;
  const balance = c.invoices.reduce((s, i) => s + i.openCents, 0);
  return {
    rank: 1, clientCode: c.code, clientName: name, segment: c.segment, segmentWhy: '', ladder, step: c.step, channel: rung.channel, channelNote: null,
    dueOn: AS_OF, score: 0, scoreParts: { amountCents: balance, daysOverdue: 0, risk: 0, probability: 0, atRiskCents: 0 },
    overdueCents: overdue.reduce((s, i) => s + i.openCents, 0), balanceCents: balance, unappliedCents: 0,
    creditsAppliedCents: c.invoices.reduce((s, i) => s + i.statementCents - i.openCents, 0),
    oldestDaysLate: Math.max(0, ...c.invoices.map((i) => i.daysOverdue)),
    email: [], invoices: c.invoices, notes: [], case: c.case ?? NO_CASE,
  };
}

function contextOf(c: Case): LetterContext {
  return {
    asOf: AS_OF, company: config.company, client: clients.find((x) => x.clientCode === c.code) ?? null, action: actionOf(c),
    penaltyTables: tables, contractualRatePercent: config.penalties.contractualRatePercent ?? null, templatesDir: null, cwd: ROOT,
  };
}

const render = (c: Case): RenderedMessage => renderAction(contextOf(c));
/** The text, the HTML e-mail and the printable letter. */
const docs = (m: RenderedMessage): string[] => [m.text, m.html, m.letterHtml!];
/** The first paragraph after « Madame, Monsieur, » (the first line when there is none). */
function firstSentence(text: string): string {
  const at = text.indexOf('Madame, Monsieur,\n\n');
  return at < 0 ? text.split('\n')[0]! : text.slice(at + 'Madame, Monsieur,\n\n'.length).split('\n')[0]!;
}
const E = (s: string): string => s.replace(/ /g, '\u202f').replace(/€/g, '\u00a0€').replace(/\u202f\u00a0€/g, '\u00a0€');
const OVERDUE_STEPS: Step[] = STEPS.filter((s) => s !== 'preventive');

describe('the case facts given to the templates', () => {
  it('daysLateMax, longOverdue, oldestInvoice, remindersSent, firstReminderDate, caseOpenedOn: computed once, from the action', () => {
    const data = letterData(contextOf({ code: 'CTRABOU', segment: 'chronique', step: 'relance2', invoices: [...TRABOULES(), SOON()], case: caseAfter(1, 'relance1') }));
    expect({
      daysLateMax: data.daysLateMax, longOverdue: data.longOverdue, longOverdueDays: data.longOverdueDays, oldest: data.oldestInvoice?.ref,
      remindersSent: data.remindersSent, firstReminderDate: data.firstReminderDate, caseOpenedOn: data.caseOpenedOn,
      overdue: data.overdueInvoices.map((i) => [i.ref, i.daysOverdue]), upcoming: data.upcomingInvoices.map((i) => [i.ref, i.daysOverdue]),
    }).toEqual({
      daysLateMax: 50, longOverdue: true, longOverdueDays: 30, oldest: 'FA2026-0030',
      remindersSent: 1, firstReminderDate: '2026-09-30', caseOpenedOn: '2026-09-30',
      overdue: [['FA2026-0030', 50], ['FA2026-0033', 35], ['FA2026-0036', 16]], upcoming: [['FA2026-0045', -4]],
    });
    // What a formal notice claims: the overdue invoices and their penalties, not the 900 € not yet due.
    expect(data.totals.overdueTotalCents).toBe(606_000 + data.totals.interestCents + data.totals.indemnityCents);
    expect(data.totals.totalCents - data.totals.overdueTotalCents).toBe(90_000);
  });

  it.each([
    [29, false],
    [LONG_OVERDUE_DAYS, false],
    [LONG_OVERDUE_DAYS + 1, true],
    [307, true],
  ])('an oldest invoice %i days late is long overdue: %s', (days, long) => {
    const due = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    const data = letterData(contextOf({ code: 'CBELLEC', segment: 'nouveau', step: 'relance1', invoices: [invoice('FA2026-0040', '2026-09-01', due, 100_000)] }));
    expect([data.daysLateMax, data.longOverdue]).toEqual([days, long]);
  });

  it('without a case in the journal: no reminder, no dates', () => {
    const data = letterData(contextOf({ code: 'CTILLEU', segment: 'nouveau', step: 'relance1', invoices: TILLEULS() }));
    expect([data.remindersSent, data.firstReminderDate, data.caseOpenedOn]).toEqual([0, null, null]);
  });
});

describe('relance1 never presumes an oversight it cannot believe', () => {
  it('a case 307 days late: says how long, never « oubli »', () => {
    const m = render({ code: 'CTILLEU', segment: 'nouveau', step: 'relance1', invoices: TILLEULS() });
    expect(m.subject).toBe('Relance : règlement en attente depuis 307 jours – 2 factures – Lumen Éclairage SAS');
    for (const doc of docs(m)) {
      expect(doc).not.toMatch(/oubli/);
      expect(doc).toContain('la plus ancienne, la facture FA2025-0017, est échue depuis 307 jours');
      expect(doc).toContain("Compte tenu de l'ancienneté de ce retard");
    }
    expect(m.text).toContain(`- facture FA2025-0017 du 14/11/2025, échue le 13/01/2026 : ${E('5 280,00 €')} (307 jours de retard)\n`);
    expect(m.text).toContain(`- facture FA2026-0027 du 15/07/2026, échue le 13/09/2026 : ${E('3 500,00 €')} restant dus sur ${E('6 000,00 €')} (64 jours de retard)\n`);
  });

  it.each([
    ['nouveau', 31, 'Sauf erreur de notre part, le règlement de la facture FA2026-0040, échue depuis 31 jours, ne nous est pas parvenu :'],
    ['chronique', 31, "Nous constatons qu'à ce jour la facture FA2026-0040, échue depuis 31 jours, n'a pas été réglée :"],
    ['nouveau', 30, 'Sauf erreur de notre part, le règlement de la facture ci-dessous, arrivée à échéance, semble ne pas nous être parvenu :'],
    ['chronique', 30, "Nous constatons qu'à ce jour la facture ci-dessous, arrivée à échéance, n'a pas été réglée :"],
  ] as [Segment, number, string][])('one invoice, %s payer, %i days late: « %s »', (segment, days, sentence) => {
    const due = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    const m = render({ code: 'CBELLEC', segment, step: 'relance1', invoices: [invoice('FA2026-0040', '2026-09-01', due, 4_500_000)] });
    expect(firstSentence(m.text)).toBe(sentence);
    const oversight = segment === 'nouveau' && days <= LONG_OVERDUE_DAYS;
    for (const doc of docs(m)) expect(/sans doute d'un oubli/.test(doc)).toBe(oversight);
  });

  it('a relance1 after reminders already sent recalls them, and presumes nothing', () => {
    const m = render({ code: 'CBELLEC', segment: 'nouveau', step: 'relance1', invoices: [invoice('FA2026-0040', '2026-10-09', '2026-11-08', 4_500_000)], case: caseAfter(1) });
    expect(firstSentence(m.text)).toBe('Malgré notre relance du 30/09/2026, votre compte présente toujours une facture impayée à ce jour :');
    for (const doc of docs(m)) expect(doc).not.toMatch(/oubli/);
  });
});

describe('later steps say how many reminders were sent, and since when', () => {
  const opening: Record<string, [string, string, string]> = {
    // [no reminder in the journal, one reminder, three reminders]
    relance2: [
      'Malgré notre précédente relance, votre compte présente toujours des factures impayées à ce jour :',
      'Malgré notre relance du 30/09/2026, votre compte présente toujours des factures impayées à ce jour :',
      'Malgré nos 3 relances depuis le 30/09/2026, votre compte présente toujours des factures impayées à ce jour :',
    ],
    escalade: [
      'Malgré nos relances, votre compte présente toujours des factures impayées, la plus ancienne depuis 50 jours :',
      'Malgré notre relance du 30/09/2026, votre compte présente toujours des factures impayées, la plus ancienne depuis 50 jours :',
      'Malgré nos 3 relances depuis le 30/09/2026, votre compte présente toujours des factures impayées, la plus ancienne depuis 50 jours :',
    ],
    mise_en_demeure: [
      'Malgré nos relances, votre compte présente toujours les factures suivantes, émises par Lumen Éclairage SAS à votre ordre, impayées à ce jour :',
      'Malgré notre relance du 30/09/2026, votre compte présente toujours les factures suivantes, émises par Lumen Éclairage SAS à votre ordre, impayées à ce jour :',
      'Malgré nos 3 relances depuis le 30/09/2026, votre compte présente toujours les factures suivantes, émises par Lumen Éclairage SAS à votre ordre, impayées à ce jour :',
    ],
  };
  it.each(Object.keys(opening) as Step[])('%s', (step) => {
    const [none, one, three] = opening[step]!;
    const at = (sent: number): RenderedMessage => render({ code: 'CTRABOU', segment: 'chronique', step, invoices: TRABOULES(), case: caseAfter(sent) });
    expect([0, 1, 3].map((n) => firstSentence(at(n).text))).toEqual([none, one, three]);
    expect(at(3).html).toContain(`<p>${three.replace(/'/g, '&#x27;')}</p>`);
    for (const doc of docs(at(3))) expect(doc).not.toMatch(/oubli|précédente relance/);
  });

  it('the litigation file states when the case opened and how many reminders it had', () => {
    const m = render({ code: 'CTRABOU', segment: 'chronique', step: 'contentieux', invoices: TRABOULES(), case: caseAfter(4, 'mise_en_demeure') });
    const line = 'dossier de relance ouvert le 30/09/2026 ; 4 relances envoyées depuis le 30/09/2026 ; facture la plus ancienne échue depuis 50 jours.';
    expect(m.text).toContain(`Relances enregistrées dans le journal\n- ${line}\n`);
    expect(m.html).toContain(`<li>${line}</li>`);
    // Without a case in the journal, nothing is said about it.
    expect(render({ code: 'CTRABOU', segment: 'chronique', step: 'contentieux', invoices: TRABOULES() }).text).not.toContain('dossier de relance ouvert');
  });
});

describe('every message covers every overdue invoice with its days late, and lists those not yet due apart', () => {
  const traboules = (step: Step): RenderedMessage =>
    render({ code: 'CTRABOU', segment: 'chronique', step, invoices: [...TRABOULES(), SOON()], case: caseAfter(OVERDUE_STEPS.indexOf(step)) });

  it.each(OVERDUE_STEPS)('%s', (step) => {
    const m = traboules(step);
    const lines = m.text.split('\n');
    for (const [ref, days] of [['FA2026-0030', 50], ['FA2026-0033', 35], ['FA2026-0036', 16]] as const) {
      expect(lines.filter((l) => l.includes(ref) && l.includes(`${days} jours de retard`) && l.includes('échue le'))).toHaveLength(1);
      for (const html of [m.html, m.letterHtml!]) expect(html).toMatch(new RegExp(`<td[^>]*>${ref}</td>(<td[^>]*>[^<]*</td>)*?<td[^>]*>${days} j</td>`));
    }
    // The invoice not yet due: on its own line, never « échue », never late.
    const soon = lines.filter((l) => l.includes('FA2026-0045'));
    expect(soon.length).toBeGreaterThanOrEqual(1);
    for (const l of soon) expect(l).not.toMatch(/échue le|de retard|-4/);
    for (const html of [m.html, m.letterHtml!]) expect(html).not.toMatch(/FA2026-0045<\/td>(<td[^>]*>[^<]*<\/td>)*?<td[^>]*>-4 j</);
  });

  it('the formal notice and the litigation file claim only what is due', () => {
    const med = traboules('mise_en_demeure');
    const data = letterData(contextOf({ code: 'CTRABOU', segment: 'chronique', step: 'mise_en_demeure', invoices: [...TRABOULES(), SOON()] }));
    const claimed = data.totals.overdueTotalCents;
    expect(claimed).toBe(624_665);
    expect(med.subject).toBe(`Mise en demeure de payer – 3 factures – ${E('6 246,65 €').replace(/\u202f|\u00a0/g, ' ')} – Lumen Éclairage SAS`);
    for (const doc of docs(med)) {
      expect(doc).toContain(`la somme totale de ${E('6 246,65 €')}`);
      expect(doc).toContain(`Pour mémoire, la facture FA2026-0045 du 21/10/2026, payable le 20/11/2026 (900,00\u00a0€), n'est pas encore échue : elle n'est pas visée par la présente mise en demeure.`);
    }
    const two = render({ code: 'CTRABOU', segment: 'chronique', step: 'mise_en_demeure', invoices: [...TRABOULES(), SOON(), invoice('FA2026-0047', '2026-10-22', '2026-11-21', 60_000)] });
    expect(two.text).toContain(`Pour mémoire, les factures FA2026-0045 (payable le 20/11/2026, 900,00\u00a0€) et FA2026-0047 (payable le 21/11/2026, 600,00\u00a0€) ne sont pas encore échues : elles ne sont pas visées par la présente mise en demeure.`);
    expect(two.text).toContain(`la somme totale de ${E('6 246,65 €')}`);
    const file = traboules('contentieux');
    expect(file.text).toContain(`- total réclamé : ${E('6 246,65 €')}\n`);
    expect(file.text).toContain('Factures à échoir, non exigibles à ce jour (hors dossier)\n- facture FA2026-0045 du 21/10/2026, payable le 20/11/2026 : 900,00\u00a0€\n');
  });

  it('one day late is « 1 jour de retard »', () => {
    const m = render({ code: 'CBELLEC', segment: 'nouveau', step: 'relance2', invoices: [invoice('FA2026-0040', '2026-10-16', '2026-11-15', 4_500_000)], case: caseAfter(1) });
    expect(m.text).toContain(`(1 jour de retard)`);
  });
});

describe('the preventive reminder is only for invoices not yet due', () => {
  it('is refused for a client with an overdue invoice, before anything is written', () => {
    let error: unknown;
    try {
      render({ code: 'CTRABOU', segment: 'chronique', step: 'preventive', invoices: [TRABOULES()[2]!, SOON()] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe(
      'rappel préventif de CTRABOU refusé : la facture FA2026-0036 est échue depuis 16 jours ; un rappel préventif ne porte que sur des factures à échoir.',
    );
  });

  it('lists the invoices not yet due', () => {
    const m = render({ code: 'CTRABOU', segment: 'chronique', step: 'preventive', invoices: [SOON()] });
    expect(m.subject).toBe("Rappel d'échéance : facture FA2026-0045 payable le 20/11/2026 – Lumen Éclairage SAS");
    expect(m.text).toContain('- facture FA2026-0045 du 21/10/2026, à régler au plus tard le 20/11/2026 : 900,00\u00a0€\n');
  });
});

describe('templates/fr/README.md: the ladders and their texts', () => {
  const doc = readFileSync(`${ROOT}templates/fr/README.md`, 'utf8');
  /** The rows of the table that follows a heading. */
  const rowsAfter = (heading: string): string[][] => {
    const at = doc.indexOf(heading);
    expect(at, `section « ${heading} » absente`).toBeGreaterThanOrEqual(0);
    const rows: string[][] = [];
    for (const line of doc.slice(at).split('\n').slice(1)) {
      if (line.startsWith('#')) break;
      if (line.startsWith('|') && !line.startsWith('| ---')) rows.push(line.slice(1, -1).split(' | ').map((c) => c.trim()));
    }
    return rows.slice(1);
  };
  const day = (d: number): string => (d < 0 ? `J${d}` : `J+${d}`);

  it('says which ladder each profile follows', () => {
    const rows = rowsAfter('Quatre profils de payeur, trois scénarios');
    expect(Object.fromEntries(rows.map((r) => [r[0]!.replace(/`/g, ''), r[1]!.replace(/`/g, '')]))).toEqual(SEGMENT_LADDERS);
  });

  it.each(Object.keys(DEFAULT_LADDERS) as (keyof typeof DEFAULT_LADDERS)[])('lists every step of the `%s` ladder with its day and channel', (name) => {
    const rows = rowsAfter(`### Scénario \`${name}\``);
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual(DEFAULT_LADDERS[name].map((r) => [`\`${r.step}\``, day(r.offsetDays), CHANNEL_LABELS[r.channel]]));
  });

  it.each(Object.keys(DEFAULT_LADDERS) as (keyof typeof DEFAULT_LADDERS)[])('gives the first sentence the `%s` ladder writes at each step', (name) => {
    const segment = (Object.keys(SEGMENT_LADDERS) as Segment[]).find((s) => SEGMENT_LADDERS[s] === name)!;
    for (const [stepCell, dayCell, , , sentenceCell] of rowsAfter(`### Scénario \`${name}\``)) {
      const step = stepCell!.replace(/`/g, '') as Step;
      const offset = Number(dayCell!.slice(1));
      const due = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10);
      const sent = Math.max(0, DEFAULT_LADDERS[name].filter((r) => r.step !== 'preventive').findIndex((r) => r.step === step));
      const m = render({ code: 'CBELLEC', segment, step, invoices: [invoice('FA2026-0040', '2026-01-05', due, 4_500_000)], case: caseAfter(sent) });
      const pattern = sentenceCell!.replace(/^« | »$/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/…/g, '.+?').replace(/JJ\/MM\/AAAA/g, '\\d{2}/\\d{2}/\\d{4}').replace(/\bN\b/g, '\\d+');
      expect(firstSentence(m.text), `${name} / ${step}`).toMatch(new RegExp(`^${pattern}$`));
    }
  });
});

describe('golden letters of a case (issue 11)', () => {
  it('relance1 of a case 307 days late: Résidence Les Tilleuls, no reminder yet', () => {
    const m = render({ code: 'CTILLEU', segment: 'nouveau', step: 'relance1', invoices: TILLEULS() });
    expectGolden(asGolden('relance1 – CTILLEU (J+307 et J+64, aucune relance envoyée)', m), fixture('letters/relance1-retard-ancien.golden.txt'));
  });

  it('relance2 of three invoices at J+50, J+35 and J+16: Brasserie Les Traboules, one reminder sent on 30/09/2026', () => {
    const m = render({ code: 'CTRABOU', segment: 'chronique', step: 'relance2', invoices: TRABOULES(), case: caseAfter(1, 'relance1') });
    expectGolden(asGolden('relance2 – CTRABOU (J+50, J+35 et J+16 ; 1 relance envoyée, le 30/09/2026)', m), fixture('letters/relance2-dossier.golden.txt'));
  });
});
