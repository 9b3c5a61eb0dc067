/**
 * The acceptance test of the collection case (issue 11, DESIGN §3.3 and §4): 60 calendar
 * days of daily `relance send` runs (working days, explicit --as-of) over a generated
 * company whose invoices are issued and paid along the way, with fresh Sage 100 exports
 * each morning, a real SMTP server and a real SQLite journal. Then, per client, against
 * the generator's own truth of each day (unapplied credits allocated oldest due first):
 *   1. never two messages within 7 days;
 *   2. no preventive reminder while something is overdue;
 *   3. strict sequence within a case, never down, never skipped, nothing after contentieux;
 *   4. no message once everything is paid, no reminder when nothing is overdue;
 *   5. from relance2 on, every overdue invoice listed;
 *   6. never more asked than the balance.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { salesAlertRows } from '../../src/journal/sales-alerts.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp, type Received as Mail } from '../smtp.js';
import { addDays, BEHAVIOUR_LABELS, daysBetween, isWorkingDay, SimCompany, type Day, type Position } from '../sim/company.js';

const SEED = 20_260_901;
const START: Day = '2026-09-01';
const CALENDAR_DAYS = 60;
const MINIMUM_GAP_DAYS = 7;
/** Statuses of a message that went, may have gone, or is for a person to send. */
const COUNTED = new Set(['envoye', 'envoi', 'incertain', 'a_faire']);
const LADDER = ['relance1', 'relance2', 'escalade', 'mise_en_demeure', 'contentieux'] as const;

/** An action as `relance journal --format json` lists it (its documented schema). */
interface Action {
  id: number;
  clientCode: string;
  step: string;
  channel: string;
  actionDate: Day;
  status: string;
  amountCents: number;
  messageId: string | null;
  invoices: { ref: string; step: string; openCents: number; dueDate: Day | null }[];
}

interface Simulation {
  company: SimCompany;
  calendar: Day[];
  runs: { day: Day; code: number; stderr: string }[];
  actions: Action[];
  mails: Mail[];
  /** Message-IDs of the internal alerts to sales reps (journal table sales_alerts, issue 14). */
  alertIds: string[];
  ms: number;
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (closers.length) await closers.pop()!();
});

/** Runs the 60 days: each working day, that day's exports, then send, then the clients react. */
async function simulate(): Promise<Simulation> {
  const started = performance.now();
  const calendar = Array.from({ length: CALENDAR_DAYS }, (_, i) => addDays(START, i));
  const company = new SimCompany(SEED, calendar.at(-1)!);
  const server = await startSmtp();
  closers.push(server.close);
  const dir = mkdtempSync(join(tmpdir(), 'relance-simulation-'));
  const journal = join(dir, 'journal.sqlite');
  writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
  const env = { RELANCE_SMTP_URL: server.url };
  const runs: Simulation['runs'] = [];
  let actions: Action[] = [];
  for (const day of calendar.filter(isWorkingDay)) {
    for (const [file, bytes] of Object.entries(company.exportsOn(day))) writeFileSync(join(dir, file), bytes);
    const now = new Date(`${day}T06:00:00Z`);
    const r = await runCli(
      ['send', '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', day],
      { cwd: dir, env, now },
    );
    runs.push({ day, code: r.code, stderr: r.stderr });
    const j = await runCli(['journal', '--journal', journal, '--format', 'json'], { cwd: dir, now });
    if (j.code === 0) actions = (JSON.parse(j.stdout) as { actions: Action[] }).actions;
    company.react(actions.filter((a) => COUNTED.has(a.status)));
  }
  const jr = Journal.openReadOnly(journal);
  const alertIds = salesAlertRows(jr).map((a) => a.messageId ?? '');
  jr.close();
  return { company, calendar, runs, actions, mails: server.received, alertIds, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------
// The checks: each returns one sentence per violation, naming the client and the dates.

type Check = 'runs' | 'chases' | 'gap' | 'preventive' | 'sequence' | 'paid' | 'listed' | 'amount' | 'mail';

const euros = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} €`;
const overdueList = (p: Position) => p.overdue.map((i) => `${i.ref} (J+${i.daysLate}, ${euros(i.openCents)})`).join(', ');
const stripId = (id: string | null | undefined) => (id ?? '').replace(/^<|>$/g, '');

function checkAll(sim: Simulation): Record<Check, string[]> {
  const { company } = sim;
  const v: Record<Check, string[]> = { runs: [], chases: [], gap: [], preventive: [], sequence: [], paid: [], listed: [], amount: [], mail: [] };
  const truth = new Map<string, Position>();
  const positionOn = (code: string, day: Day): Position => {
    const key = `${code} ${day}`;
    let p = truth.get(key);
    if (!p) truth.set(key, (p = company.positionOn(code, day)));
    return p;
  };
  const mailById = new Map(sim.mails.map((m) => [stripId(m.mail.messageId), m]));

  for (const r of sim.runs) {
    if (r.code !== 0) v.runs.push(`send on ${r.day} exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
  }
  const journalIds = new Set([...sim.actions.map((a) => stripId(a.messageId)), ...sim.alertIds.map(stripId)]);
  for (const m of sim.mails) {
    if (!journalIds.has(stripId(m.mail.messageId))) v.mail.push(`e-mail « ${m.mail.subject} » to ${m.to.join(', ')} received but absent from the journal`);
  }

  for (const c of company.clients) {
    const who = `${c.code} (${BEHAVIOUR_LABELS[c.behaviour]})`;
    const mine = sim.actions
      .filter((a) => a.clientCode === c.code && COUNTED.has(a.status))
      .sort((a, b) => (a.actionDate < b.actionDate ? -1 : a.actionDate > b.actionDate ? 1 : a.id - b.id));

    // 0. The engine chases at all: a client that stopped paying gets a first reminder.
    if (c.behaviour === 'jamais' && !mine.some((a) => a.step === 'relance1')) v.chases.push(`${who}: no relance1 in ${CALENDAR_DAYS} days although ${overdueList(positionOn(c.code, START))} were overdue on ${START}`);

    // 1. The minimum gap, whatever the kind of message.
    for (let i = 1; i < mine.length; i++) {
      const [a, b] = [mine[i - 1]!, mine[i]!];
      const gap = daysBetween(a.actionDate, b.actionDate);
      if (gap < MINIMUM_GAP_DAYS) v.gap.push(`${who}: ${a.step} on ${a.actionDate} (${a.status}) then ${b.step} on ${b.actionDate} (${b.status}), ${gap} day${gap === 1 ? '' : 's'} apart`);
    }

    let caseStep = -1;
    let lastOn: Day | null = null;
    for (const a of mine) {
      const p = positionOn(c.code, a.actionDate);
      const at = ` on ${a.actionDate}`;

      // 2. Preventive only when nothing is overdue.
      if (a.step === 'preventive' && p.overdue.length > 0) v.preventive.push(`${who}: preventive${at} while ${overdueList(p)} were overdue`);

      // 4. Nothing once everything is paid; no overdue reminder when nothing is overdue.
      if (p.balanceCents <= 0) v.paid.push(`${who}: ${a.step}${at} while the balance was ${euros(p.balanceCents)}`);
      else if (a.step !== 'preventive' && p.overdue.length === 0) v.paid.push(`${who}: ${a.step}${at} while nothing was overdue (balance ${euros(p.balanceCents)}, not yet due)`);

      // 6. Never more than the balance.
      const asked = Math.max(a.amountCents, a.invoices.reduce((s, i) => s + i.openCents, 0));
      if (asked > p.balanceCents) v.amount.push(`${who}: ${a.step}${at} asks ${euros(asked)} but the balance was ${euros(p.balanceCents)}`);

      if (a.step === 'preventive') continue;
      const index = LADDER.indexOf(a.step as (typeof LADDER)[number]);

      // 3. The case: it restarts only after a day with nothing overdue.
      if (lastOn !== null) {
        for (let d = addDays(lastOn, 1); d <= a.actionDate; d = addDays(d, 1)) {
          if (positionOn(c.code, d).overdue.length === 0) {
            caseStep = -1;
            break;
          }
        }
      }
      const previous = caseStep >= 0 ? `${LADDER[caseStep]} on ${lastOn}` : null;
      if (caseStep === LADDER.length - 1) v.sequence.push(`${who}: ${a.step}${at} after the contentieux hand-over (${previous}) in the same case`);
      else if (index !== caseStep + 1) {
        const kind = caseStep < 0 ? `opens a case (expected relance1)` : index > caseStep + 1 ? `skips ${LADDER.slice(caseStep + 1, index).join(', ')}` : index === caseStep ? 'repeats the step' : 'goes down';
        v.sequence.push(`${who}: ${a.step}${at} ${kind}${previous ? ` after ${previous}` : ''}`);
      }
      caseStep = Math.max(caseStep, index);
      lastOn = a.actionDate;

      // 5. From relance2 on, every overdue invoice of the client.
      if (index >= 1) {
        const listed = new Set(a.invoices.map((i) => i.ref));
        const missing = p.overdue.filter((i) => !listed.has(i.ref));
        const mail = a.messageId ? mailById.get(stripId(a.messageId)) : undefined;
        const notInText = mail ? p.overdue.filter((i) => !(mail.mail.text ?? '').includes(i.ref)) : [];
        if (missing.length || notInText.length) {
          v.listed.push(
            `${who}: ${a.step}${at} lists ${[...listed].join(', ') || 'nothing'}` +
              (missing.length ? `, leaves out overdue ${missing.map((i) => `${i.ref} (J+${i.daysLate})`).join(', ')}` : '') +
              (notInText.length ? `; its e-mail text does not mention ${notInText.map((i) => i.ref).join(', ')}` : ''),
          );
        }
      }
    }
  }
  return v;
}

function figures(sim: Simulation): string {
  const counted = sim.actions.filter((a) => COUNTED.has(a.status));
  const perClient = new Map<string, number>();
  const perStep = new Map<string, number>();
  const perStatus = new Map<string, number>();
  for (const a of counted) {
    perClient.set(a.clientCode, (perClient.get(a.clientCode) ?? 0) + 1);
    perStep.set(a.step, (perStep.get(a.step) ?? 0) + 1);
  }
  for (const a of sim.actions) perStatus.set(a.status, (perStatus.get(a.status) ?? 0) + 1);
  const max = Math.max(0, ...perClient.values());
  const top = [...perClient].filter(([, n]) => n === max).map(([c]) => c);
  const steps = ['preventive', ...LADDER].map((s) => `${s} ${perStep.get(s) ?? 0}`).join(', ');
  return [
    `simulation: ${sim.company.clients.length} clients, ${sim.company.invoices.length} invoices, ${sim.runs.length} send runs from ${START} to ${sim.calendar.at(-1)}, ${(sim.ms / 1000).toFixed(1)} s`,
    `actions: ${counted.length} counted as messages (${[...perStatus].map(([s, n]) => `${s} ${n}`).join(', ')}), ${sim.mails.length} e-mails received, ${sim.company.payments.filter((p) => p.ref >= 'RG2026-9').length} payments made after a 2nd reminder`,
    `maximum per client: ${max} (${top.join(', ')})`,
    `per step: ${steps}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------

const LIMIT = 30;
function report(title: string, lines: string[]): string {
  const shown = lines.slice(0, LIMIT).map((l) => `  - ${l}`);
  if (lines.length > LIMIT) shown.push(`  … and ${lines.length - LIMIT} more`);
  return `${lines.length} × ${title}:\n${shown.join('\n')}`;
}

describe(`relance send, ${CALENDAR_DAYS} days over a generated company (seed ${SEED})`, () => {
  let sim: Simulation;
  let v: Record<Check, string[]>;
  beforeAll(async () => {
    sim = await simulate();
    v = checkAll(sim);
    console.log(`${figures(sim)}\nviolations: ${Object.entries(v).map(([k, l]) => `${k} ${l.length}`).join(', ')}`);
  }, 180_000);

  it('runs send every working day without an error, and journals every e-mail it sends', () => {
    expect(v.runs.length, report('failed runs', v.runs)).toBe(0);
    expect(v.mail.length, report('e-mails outside the journal', v.mail)).toBe(0);
    expect(v.chases.length, report('clients never chased', v.chases)).toBe(0);
  });
  it(`1. never sends two messages to one client within ${MINIMUM_GAP_DAYS} days`, () => {
    expect(v.gap.length, report(`pairs of messages less than ${MINIMUM_GAP_DAYS} days apart`, v.gap)).toBe(0);
  });
  it('2. sends no preventive reminder to a client with something overdue', () => {
    expect(v.preventive.length, report('preventive reminders while overdue', v.preventive)).toBe(0);
  });
  it('3. moves each case one step at a time, never down, never skipping, nothing after contentieux', () => {
    expect(v.sequence.length, report('steps out of sequence', v.sequence)).toBe(0);
  });
  it('4. sends nothing once everything is paid, and no reminder when nothing is overdue', () => {
    expect(v.paid.length, report('messages to clients with nothing overdue', v.paid)).toBe(0);
  });
  it('5. lists every overdue invoice in each message from relance2 on', () => {
    expect(v.listed.length, report('messages leaving out overdue invoices', v.listed)).toBe(0);
  });
  it("6. never asks for more than the client's balance", () => {
    expect(v.amount.length, report('messages asking for more than the balance', v.amount)).toBe(0);
  });
});
