/**
 * relance send : la tâche cron. Recalcule les relances dues aujourd'hui à partir des
 * exports et du journal, envoie les e-mails par SMTP, enregistre chaque action, et
 * laisse courriers, recommandés et appels à une personne. Jamais deux fois le même
 * message, jamais deux messages le même jour à un client.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { daysBetween, formatDateFr, type CalendarDate } from '../core/dates.js';
import { formatEuros } from '../core/money.js';
import { identityGaps, warningsBeforeActing } from '../core/audit.js';
import { buildPlan, type CaseView, type Plan, type PlanAction, type PlanSettings, type WaitingCase } from '../core/plan.js';
import type { Client, OpenItem } from '../core/records.js';
import { withLatePayments } from '../core/crossfile.js';
import { CHANNEL_LABELS, STEP_LABELS, STEPS, type Channel, type Step } from '../core/scenario.js';
import { loadConfig, planSettings, type Config } from '../config.js';
import { requireInputs, todayInParis, type Context, type Format } from '../context.js';
import { SEND_OPTIONS } from './send-options.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';
import { ConfigError, DataError, RelanceError, UsageError, type Finding } from '../errors.js';
import { Journal, journalPathOf, openJournalToRead, type JournalAction, type JournalLocation } from '../journal/journal.js';
import { reconcile } from '../journal/cases.js';
import { planJournalContext } from '../journal/case-context.js';
import { RunLock, takeoverLine } from '../journal/lock.js';
import { composeAction, envelopeAddress, historyOf, missingRateRefusal, statesMissingRate } from '../mail/compose.js';
import { describeSmtpError, mayHaveBeenAccepted, smtpMailer, type Mailer } from '../mail/smtp.js';
import { isBusy } from '../journal/journal.js';
import { uncertainAsText, uncertainDetail, uncertainHeader, uncertainReasonOf } from '../render/uncertain.js';
import { lineAsText, sendAsJson, summaryAsText } from '../render/send.js';
import { loadInputs, type InputFlags, type Inputs } from '../read/inputs.js';
import { withInputProgress } from '../progress.js';
import { penaltyTablesFrom } from '../core/rates.js';
import { missingRateLines } from '../core/penalties.js';
import { printOrder, TASK_LABELS, taskKindsOf, type TaskKind } from '../core/tasks.js';
import { loadTasks, postedActions, recordTask } from '../journal/tasks.js';
import { overdueTasksAsText, type ListedTask } from '../render/taches.js';
import { lettersDirOf, letterHtmlOf, pdfOptionsOf, renderLetters, writeBundle, writeLetterFiles, type LetterDoc } from './letter-files.js';
import { listTasks } from './taches.js';
import type { ComposedAction } from '../mail/compose.js';
import { sendSalesAlerts } from '../mail/sales-alerts.js';

export type SendOptions = OptionsOf<typeof SEND_OPTIONS>;

/** One line of the run's report. */
export interface SendLine {
  outcome: 'envoye' | 'echec' | 'simulation' | 'a_faire' | 'ignore' | 'incertain';
  clientCode: string;
  clientName: string;
  step: string;
  channel: string;
  recipients: string[];
  invoices: string[];
  amountCents: number;
  messageId: string | null;
  detail: string;
  /** The client's case for an action (before it), null for other lines. */
  case: CaseView | null;
  /** The journal's action number of an uncertain line, for `relance resolve`. */
  actionId?: number;
}

/** What a run did, returned for tests and printed for cron. */
export interface SendResult {
  asOf: CalendarDate;
  dryRun: boolean;
  lines: SendLine[];
  counts: Record<SendLine['outcome'], number>;
  /** Uncertain actions no person has settled yet, at the end of the run (ids): exit 4 while any. */
  unresolved: number[];
  exitCode: number;
  /** Open tasks past taskOverdueDays at the start of the run (ids). */
  overdueTasks: number[];
  /** The letters written for the actions taken, each with its SHA-256 (recorded in the journal). */
  letters: { clientCode: string; kind: TaskKind; path: string; sha256: string }[];
  /** a-imprimer.pdf and lrar.csv, when written. */
  printFile: string | null;
  lrarFile: string | null;
}

/** Exit code of `send` while uncertain messages wait for `relance resolve` (2: some failed). */
export const EXIT_UNCERTAIN = 4;

const EMAIL_CHANNELS = new Set<Channel>(['email', 'email+appel', 'lrar+email']);

/**
 * Runs the day's sending; `mailer` is for tests that bring their own transport. A run
 * refused (cap, lock, stale export…) still lists the uncertain messages on stdout.
 */
export async function runSend(opts: SendOptions, ctx: Context, mailer?: Mailer): Promise<SendResult> {
  const seen: RunState = { journalPath: null, reported: false };
  try {
    return await sendDay(opts, ctx, mailer, seen);
  } catch (err) {
    if (err instanceof RelanceError && !seen.reported && seen.journalPath) ctx.stdout.write(uncertainAsText(readUncertain(seen.journalPath)));
    throw err;
  }
}

/** What the wrapper needs to know of a run that stopped: where its journal is, whether it already listed the uncertain. */
interface RunState {
  journalPath: string | null;
  reported: boolean;
}

/** What send knows before reading anything: its options and configuration, checked. */
interface SendSetup {
  format: Format;
  flags: InputFlags;
  config: Config;
  dryRun: boolean;
  /** The cap on e-mails per run (--max, else mail.maxPerRun). */
  max: number;
  journalLocation: JournalLocation;
  smtpUrl: string | undefined;
}

/** One run as its stages share it: the setup, the journal and transport once open, and the report's lines as they come. */
interface Run extends SendSetup {
  ctx: Context;
  now: Date;
  journal: Journal | null;
  transport: Mailer | null;
  lines: SendLine[];
  /** Each line is written as soon as it is known: a run killed midway leaves its trace. */
  emit: (l: SendLine) => void;
}

/** The stages of a run: setup, read, journal, plan, compose, then the effects (send, record, print), then the report. */
async function sendDay(opts: SendOptions, ctx: Context, mailer: Mailer | undefined, seen: RunState): Promise<SendResult> {
  const setup = setupOf(opts, ctx, mailer);
  const journalPath = setup.journalLocation.path;
  seen.journalPath = journalPath;
  // Before the lock: a malformed RELANCE_SMTP_URL is refused without leaving a lock behind.
  const transport = mailer ?? (setup.dryRun ? null : smtpMailer(setup.smtpUrl!));
  let lock: RunLock | null = null;
  let journal: Journal | null = null;
  try {
    const { config, flags, dryRun } = setup;
    const settings = planSettings(config);
    const day = await readDay(setup, settings, opts, ctx);

    // The lock is a row of the journal itself (journal/lock.ts), taken once the exports are
    // read and checked, so that a refused run leaves no journal; only send creates one, and says so.
    if (!dryRun) {
      const journalIsNew = !existsSync(journalPath);
      lock = RunLock.acquire(journalPath, ctx.now());
      if (journalIsNew) ctx.stderr.write(`journal créé : ${journalPath}\n`);
      if (lock.takenOver) ctx.stderr.write(`${takeoverLine(lock.takenOver)}\n`);
    }
    journal = openDayJournal(setup, ctx);
    // Reconciliation, an explicit step of the real run: the invoices gone from this export are settled.
    if (!dryRun) reconcile(journal!, day.openItems, day.inputs.payments, flags.asOf);
    const lines: SendLine[] = [];
    const run: Run = {
      ...setup, ctx, now: ctx.now(), journal, transport, lines,
      emit: (l) => {
        lines.push(l);
        if (setup.format !== 'json') ctx.stdout.write(lineAsText(l));
      },
    };
    if (journal && !dryRun) journal.resolveInterrupted();
    const overdue = reportPending(run, seen);
    const planned = planDay(run, day, settings);
    const composed = await composeDay(run, planned);

    // The effects, in this order: the sales reps' alerts, the e-mails, the letters' tasks,
    // the declarations of claim, the print bundle, the day's snapshot.
    const taken: LetterDoc[] = [];
    // The sales reps' alerts (issue 14) go first: a rep hears of an escalade or a formal
    // notice before the client does, even when the step falls due this very run.
    await sendSalesAlerts({ asOf: flags.asOf, plan: planned.plan, clients: day.inputs.clients, openItems: day.openItems, config, journal, transport, dryRun, now: run.now, cwd: ctx.cwd }, run.emit);
    await sendEmails(run, composed, taken);
    recordLetterTasks(run, composed, taken);
    if (!dryRun) recordDeclarations(run, planned.plan);
    const bundle = await printBundle(run, composed, taken);
    if (!dryRun) journal!.recordSnapshot(flags.asOf, day.inputs.reports.map((r) => r.file).join(' + '), day.inputs.openItems, run.now.toISOString());
    // The reminders the exports say were sent (Sage 100) join the journal's history, once.
    if (!dryRun && day.inputs.reminders.length > 0) journal!.importReminders(day.inputs.reminders, run.now.toISOString());

    const result = resultOf(run, overdue, taken, composed.paths, bundle);
    ctx.stdout.write(setup.format === 'json' ? sendAsJson(result) : summaryAsText(result));
    return result;
  } finally {
    transport?.close();
    journal?.close();
    lock?.release();
  }
}

/** Reads and checks the options and the configuration: a run refused here has read nothing and written nothing. */
function setupOf(opts: SendOptions, ctx: Context, mailer: Mailer | undefined): SendSetup {
  const { format } = opts;
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const dryRun = opts.dryRun ?? false;
  const max = parseMax(opts.max, config.mail.maxPerRun);
  const journalLocation = journalPathOf(opts.journal, ctx.env, config, ctx.cwd);
  const smtpUrl = ctx.env.RELANCE_SMTP_URL;
  if (!dryRun && !mailer && !smtpUrl) {
    throw new ConfigError(
      `la variable d'environnement RELANCE_SMTP_URL n'est pas définie : rien n'a été envoyé.`,
      `définissez-la dans l'environnement de la tâche cron, par exemple RELANCE_SMTP_URL=smtps://utilisateur:motdepasse@smtp.example.fr:465 (jamais dans un fichier du dépôt).`,
    );
  }
  if (!dryRun && !config.mail.from) {
    throw new ConfigError(`l'expéditeur des e-mails n'est pas configuré : rien n'a été envoyé.`, `ajoutez mail.from à la configuration, par exemple from: "Comptabilité <compta@example.fr>".`);
  }
  if (!dryRun) refuseIncompleteIdentity(config, []);
  return { format, flags, config, dryRun, max, journalLocation, smtpUrl };
}

/** The day's exports, read and checked; the open items less the money received since the balance was exported. */
interface Day {
  inputs: Inputs;
  openItems: OpenItem[];
}

/** Reads the exports, refuses stale or foreign ones, and says on stderr what should be known before acting. */
async function readDay(setup: SendSetup, settings: PlanSettings, opts: SendOptions, ctx: Context): Promise<Day> {
  const { flags, config } = setup;
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) =>
    loadInputs(flags, config, true, ctx.cwd, { graceDays: settings.thresholds.graceDays }, onProgress),
  );
  refuseStaleExports(inputs.reports, flags.asOf, config.maxExportAgeDays, ctx.cwd);
  refuseForeignPayments(inputs.findings);
  // Money received since the balance was exported is not asked for again.
  const { openItems } = withLatePayments({ asOf: flags.asOf, openItems: inputs.openItems, files: inputs.reports, late: inputs.latePayments ?? [] });
  for (const w of warningsBeforeActing({ ...inputs, openItems, asOf: flags.asOf, maxExportAgeDays: config.maxExportAgeDays })) ctx.stderr.write(`${w}\n`);
  return { inputs, openItems };
}

/** The journal: opened to write by a real run (migrated), read-only by --dry-run, which says what it would create or migrate. */
function openDayJournal(setup: SendSetup, ctx: Context): Journal | null {
  const { dryRun, journalLocation } = setup;
  const journalPath = journalLocation.path;
  const journal = dryRun ? openJournalToRead({ ...journalLocation, namedBy: null }) : Journal.open(journalPath);
  if (dryRun && !journal) ctx.stderr.write(`aucun journal à ${journalPath} : le premier relance send le créera.\n`);
  if (dryRun && journal && journal.pending.length > 0) {
    ctx.stderr.write(`le journal ${journalPath} doit être mis à jour (migration${journal.pending.length > 1 ? 's' : ''} ${journal.pending.join(', ')}) : le prochain relance send l'appliquera ; --dry-run n'écrit rien.\n`);
  }
  return journal;
}

/** First thing said: the messages that may have gone and wait for a person's verdict, then the tasks left undone past taskOverdueDays. */
function reportPending(run: Run, seen: RunState): ListedTask[] {
  const { journal, format, ctx, config } = run;
  const pending = journal?.uncertain() ?? [];
  seen.reported = true;
  if (pending.length > 0 && format !== 'json') ctx.stdout.write(uncertainHeader(pending.length));
  for (const a of pending) run.emit(uncertainLine(a));
  const overdue: ListedTask[] = journal ? listTasks(loadTasks(journal, { open: true }), run.flags.asOf, config.taskOverdueDays).filter((l) => l.overdue) : [];
  if (format !== 'json') ctx.stdout.write(overdueTasksAsText(overdue, config.taskOverdueDays));
  return overdue;
}

/** The day's plan, and its actions due today split by what they need: an e-mail sent now, or a person. */
interface PlannedDay extends Day {
  plan: Plan;
  clients: Map<string, Client>;
  emails: PlanAction[];
  tasks: PlanAction[];
}

/**
 * Plans today (horizon 1) from the exports and the journal: a client already contacted
 * today is left for another day (one message a day), manual cases and steps held by the
 * minimum gap are said; more e-mails than the cap stop the run whole.
 */
function planDay(run: Run, day: Day, settings: PlanSettings): PlannedDay {
  const { journal, flags, config, dryRun, emit } = run;
  const { inputs, openItems } = day;
  const plan = buildPlan({
    asOf: flags.asOf,
    horizonDays: 1,
    openItems,
    clients: inputs.clients,
    histories: inputs.histories,
    ...planJournalContext(journal, inputs, openItems, flags.asOf, config.promiseGraceDays),
    settings,
  });
  const contacted = journal?.clientsContactedOn(flags.asOf) ?? new Set<string>();
  const due = plan.actions.filter((a) => {
    if (!contacted.has(a.clientCode)) return true;
    emit(line('ignore', a, [], null, `déjà contacté le ${formatDateFr(flags.asOf)} : un seul message par jour et par client`));
    return false;
  });
  if (!dryRun) refuseIncompleteIdentity(config, due.map((a) => a.step));
  for (const m of plan.manual) emit(line('ignore', m, [], null, `exclu des relances automatiques : ${m.reason}`));
  // A step held back by the minimum gap only: said, so that the log explains the silence.
  for (const w of plan.waiting) if (w.case.waitCode === 'ecart') emit(heldLine(w, config.minimumGapDays));

  const emails = due.filter((a) => EMAIL_CHANNELS.has(a.channel));
  const tasks = due.filter((a) => !EMAIL_CHANNELS.has(a.channel));
  if (emails.length > run.max) {
    throw new UsageError(
      `${emails.length} e-mails sont à envoyer, plus que le plafond de ${run.max} par envoi : rien n'a été envoyé.`,
      `vérifiez le plan (relance plan --days 1), puis confirmez avec --max ${emails.length}.`,
    );
  }
  return { ...day, plan, clients: new Map(inputs.clients.map((c) => [c.clientCode, c])), emails, tasks };
}

/** Everything composed before anything is sent: the e-mails, the letters, their PDFs and files. */
interface ComposedDay {
  clients: Map<string, Client>;
  prepared: ComposedAction[];
  letterOnly: ComposedAction[];
  /** A message stating penalties without the half-year's rate, under `whenRateMissing: refuse`: never sent nor written. */
  refused: (p: ComposedAction) => boolean;
  lettersDir: string;
  pdfOptions: ReturnType<typeof pdfOptionsOf>;
  docs: LetterDoc[];
  docOf: Map<string, LetterDoc>;
  /** Where each client's letter was written (a real run only). */
  paths: Map<string, string>;
}

/**
 * Renders everything before sending anything, so that a template error or a folder that
 * cannot be written stops the run whole: the e-mails and letters, the rates they lack
 * (said on stderr, which the cron mail shows), the day's letters as PDFs (written by a
 * real run; --dry-run only names them).
 */
async function composeDay(run: Run, planned: PlannedDay): Promise<ComposedDay> {
  const { journal, config, flags, ctx, dryRun, now } = run;
  const { clients } = planned;
  const tables = penaltyTablesFrom(config.penalties);
  // The history the letters read: a registered letter dates from its posting (journal/tasks.ts).
  const historyFor = (code: string) => (journal ? historyOf(postedActions(journal, journal.actions({ client: code }))) : undefined);
  const compose = (a: PlanAction) => composeAction(a, clients.get(a.clientCode) ?? null, config, tables, flags.asOf, now, ctx.cwd, historyFor(a.clientCode));
  const prepared = await Promise.all(planned.emails.map(compose));
  const letterOnly = await Promise.all(planned.tasks.map(compose));

  const policy = config.penalties.whenRateMissing;
  const stating = [...prepared, ...letterOnly].filter((p) => statesMissingRate(p.message));
  for (const l of missingRateLines(stating.flatMap((p) => p.message.missingRates ?? []), policy)) ctx.stderr.write(`${l}\n`);
  const refused = (p: ComposedAction) => policy === 'refuse' && statesMissingRate(p.message);

  // The day's letters as PDFs (one per letter, in print order).
  const lettersDir = lettersDirOf(config, flags.asOf, ctx.cwd);
  const pdfOptions = pdfOptionsOf(config, flags.asOf);
  const needing = [...prepared, ...letterOnly].flatMap((p) => {
    const kind = taskKindsOf(p.action.channel).find((k) => k !== 'appel');
    return kind && !refused(p) && letterHtmlOf(p) !== null ? [{ composed: p, kind }] : [];
  });
  const docs = await renderLetters(needing, pdfOptions, !dryRun);
  const paths = new Map<string, string>();
  if (!dryRun && docs.length > 0) {
    try {
      writeLetterFiles(lettersDir, docs).forEach((path, i) => paths.set(docs[i]!.clientCode, path));
    } catch (err) {
      throw new DataError(
        `impossible d'écrire les courriers du jour dans ${lettersDir} (${(err as Error).message}) : rien n'a été envoyé.`,
        `vérifiez le dossier (droits, place sur le disque) ou changez la clé lettersDir de la configuration.`,
      );
    }
  }
  return { clients, prepared, letterOnly, refused, lettersDir, pdfOptions, docs, docOf: new Map(docs.map((d) => [d.clientCode, d])), paths };
}

/**
 * Records what an action taken leaves to a person (the registered letter, the letter,
 * the call) as tasks, with the letter's file as their document; `taken` collects the
 * letters to print. Returns what the log says of them.
 */
function recordTasksOf(run: Run, composed: ComposedDay, taken: LetterDoc[], a: PlanAction, actionId: number): string {
  const { ctx, flags, now } = run;
  const doc = composed.docOf.get(a.clientCode);
  const client = composed.clients.get(a.clientCode) ?? null;
  const said: string[] = [];
  for (const kind of taskKindsOf(a.channel)) {
    const path = kind !== 'appel' && doc ? composed.paths.get(a.clientCode)! : null;
    const id = recordTask(run.journal!, {
      actionId, clientCode: a.clientCode, kind, dueOn: flags.asOf,
      documents: path && doc ? [{ path: relative(ctx.cwd, path) || path, sha256: doc.sha256 }] : [],
      contact: kind === 'appel' ? client?.phone ?? null : client && client.address.length > 0 ? client.address.join(', ') : null,
      summary: `${STEP_LABELS[a.step]}, ${a.invoices.length} facture${a.invoices.length > 1 ? 's' : ''}, ${formatEuros(chasedCents(a))}${caseNote(a)}`,
    }, now);
    if (path && doc && !taken.includes(doc)) taken.push(doc);
    said.push(`${TASK_LABELS[kind]}${path ? ` : ${relative(ctx.cwd, path) || path}` : ''} (tâche n° ${id})`);
  }
  return said.join(' ; ');
}

/**
 * Sends the e-mails, each recorded « envoi » before it leaves and settled after: sent,
 * failed (sent again later) or uncertain (the server may have taken it: never resent).
 * A result the journal cannot record stops the run.
 */
async function sendEmails(run: Run, composed: ComposedDay, taken: LetterDoc[]): Promise<void> {
  const { journal, config, flags, ctx, dryRun, now, emit } = run;
  const journalPath = run.journalLocation.path;
  for (const p of composed.prepared) {
    const { action: a } = p;
    // A letter stating penalties computed without the half-year's rate is not sent, nor
    // journaled: listed as a failure (exit 2) with the fix, sent on a later run once fixed.
    if (composed.refused(p)) {
      emit(line('echec', a, p.to, null, `non envoyé : ${missingRateRefusal(p.message)}, puis relancez relance send`));
      continue;
    }
    if (dryRun) {
      emit(line('simulation', a, p.to, p.messageId, `« ${p.message.subject} »${p.cc.length ? `, copie ${p.cc.join(', ')}` : ''}${plannedTasks(a, composed.docOf.get(a.clientCode), composed.lettersDir, ctx.cwd)}`));
      continue;
    }
    const id = journal!.record({
      clientCode: a.clientCode, clientName: a.clientName, step: a.step, channel: a.channel, actionDate: flags.asOf,
      createdAt: now.toISOString(), status: 'envoi', recipients: p.to.join(', '), cc: p.cc.join(', '), subject: p.message.subject,
      amountCents: chasedCents(a), costCents: costOf(a.channel, config), messageId: p.messageId, sha256: p.sha256,
      invoices: a.invoices.map((i) => ({ ref: i.ref, step: i.step, openCents: i.openCents, dueDate: i.dueDate })),
    });
    let sent: SendLine;
    let status: 'envoye' | 'echec' | 'incertain';
    let why: string | null = null;
    try {
      await run.transport!.send({ from: envelopeAddress(config.mail.from!), to: [...p.to, ...p.cc, ...p.bcc] }, p.raw);
      status = 'envoye';
      sent = line('envoye', a, p.to, p.messageId, `« ${p.message.subject} »`);
    } catch (err) {
      // Only a refusal before the server took the message is a failure (sent again later).
      status = mayHaveBeenAccepted(err) ? 'incertain' : 'echec';
      why = status === 'incertain' ? uncertainSendReason(err) : describeSmtpError(err);
      sent = status === 'incertain' ? { ...line('incertain', a, p.to, p.messageId, ''), actionId: id, detail: uncertainDetail(id, why) } : line('echec', a, p.to, p.messageId, why);
    }
    try {
      journal!.transaction(() => {
        journal!.settle(id, status, why);
        // The e-mail taken (sent or perhaps), what it leaves to a person is a task: the
        // registered letter, the call. A failed one is sent again later, its tasks with it.
        if (status !== 'echec') {
          const todo = recordTasksOf(run, composed, taken, a, id);
          if (todo) sent = { ...sent, detail: `${sent.detail} ; ${todo}` };
        }
      });
    } catch (err) {
      // The message's fate is known but not recorded: it stays « en cours », which the
      // next run turns into an uncertain one (never sent again); this run stops here.
      const reason = `le journal n'a pas pu enregistrer le résultat de l'envoi (${(err as Error).message})`;
      emit({ ...sent, outcome: 'incertain', detail: uncertainDetail(id, `${status === 'envoye' ? 'message envoyé' : why} ; ${reason}`) });
      throw new DataError(
        `${reason} : l'envoi s'arrête, le message n° ${id} sera compté incertain au prochain lancement.`,
        isBusy(err)
          ? `un autre programme garde le journal ${journalPath} occupé en écriture : fermez-le, puis relancez relance send.`
          : `vérifiez le fichier ${journalPath} (droits, place sur le disque), puis relancez relance send.`,
      );
    }
    emit(sent);
  }
}

/** Records each action left to a person (a letter, a registered letter, a call) « à faire », with its tasks. */
function recordLetterTasks(run: Run, composed: ComposedDay, taken: LetterDoc[]): void {
  const { journal, config, flags, ctx, dryRun, now, emit } = run;
  for (const p of composed.letterOnly) {
    const { action: a } = p;
    if (composed.refused(p)) {
      emit(line('echec', a, [], null, `courrier non écrit : ${missingRateRefusal(p.message)}, puis relancez relance send`));
      continue;
    }
    if (dryRun) {
      emit(line('simulation', a, [], null, `${CHANNEL_LABELS[a.channel]} à faire par une personne${a.channelNote ? ` (${a.channelNote})` : ''}${plannedTasks(a, composed.docOf.get(a.clientCode), composed.lettersDir, ctx.cwd)}`));
      continue;
    }
    const doc = composed.docOf.get(a.clientCode);
    let todo = '';
    journal!.transaction(() => {
      const id = journal!.record({
        clientCode: a.clientCode, clientName: a.clientName, step: a.step, channel: a.channel, actionDate: flags.asOf,
        createdAt: now.toISOString(), status: 'a_faire', recipients: '', cc: '', subject: '', amountCents: chasedCents(a),
        // The letter's PDF is the evidence of what was sent, as the e-mail's bytes are.
        costCents: costOf(a.channel, config), messageId: null, sha256: doc?.sha256 ?? null,
        invoices: a.invoices.map((i) => ({ ref: i.ref, step: i.step, openCents: i.openCents, dueDate: i.dueDate })),
      });
      todo = recordTasksOf(run, composed, taken, a, id);
    });
    emit(line('a_faire', a, [], null, `${CHANNEL_LABELS[a.channel]} à faire par une personne${a.channelNote ? ` (${a.channelNote})` : ''}${todo ? ` : ${todo}` : ''}`));
  }
}

/**
 * A client under a collective proceeding: the declaration of claim to the mandataire
 * (Code de commerce L622-24, within two months of the BODACC, R622-24) is a task, once per proceeding.
 */
function recordDeclarations(run: Run, plan: Plan): void {
  const { journal, flags, format, ctx, now } = run;
  for (const m of plan.manual) {
    const p = m.procedure;
    if (!p || loadTasks(journal!, { client: m.clientCode }).some((t) => t.kind === 'declaration' && t.dueOn >= p.judgmentOn)) continue;
    const id = recordTask(journal!, { actionId: null, clientCode: m.clientCode, kind: 'declaration', dueOn: flags.asOf, documents: [], contact: null, summary: `${m.clientName} : ${m.reason}` }, now);
    if (format !== 'json') ctx.stdout.write(`tâche n° ${id} ${m.clientCode} : ${TASK_LABELS.declaration} (relance procedure ${m.clientCode} l'écrit) ; ${m.reason}\n`);
  }
}

/** Removes the letters of actions not taken (a failed e-mail), then writes a-imprimer.pdf and lrar.csv for those taken. */
async function printBundle(run: Run, composed: ComposedDay, taken: LetterDoc[]): Promise<{ print: string | null; csv: string | null; skipped: string[] }> {
  const { ctx, dryRun } = run;
  const { paths } = composed;
  for (const d of composed.docs) if (!taken.includes(d) && paths.has(d.clientCode)) rmSync(paths.get(d.clientCode)!, { force: true });
  if (dryRun || taken.length === 0) return { print: null, csv: null, skipped: [] };
  const bundle = await writeBundle(composed.lettersDir, printOrder(taken), composed.pdfOptions);
  const shown = (f: string) => relative(ctx.cwd, f) || f;
  if (bundle.print) ctx.stderr.write(`courriers à imprimer : ${shown(bundle.print)}${bundle.csv ? ` ; recommandés pour un service en ligne : ${shown(bundle.csv)}` : ''}\n`);
  for (const code of bundle.skipped) ctx.stderr.write(`${code} : adresse sans code postal français, absente de ${shown(bundle.csv ?? 'lrar.csv')} ; à saisir à la main.\n`);
  return bundle;
}

/** The run's result: its counts and exit code (4 while an uncertain message waits for a person, 2 when something failed). */
function resultOf(run: Run, overdue: ListedTask[], taken: LetterDoc[], paths: Map<string, string>, bundle: { print: string | null; csv: string | null }): SendResult {
  const { lines, dryRun } = run;
  const counts = { envoye: 0, echec: 0, simulation: 0, a_faire: 0, ignore: 0, incertain: 0 };
  for (const l of lines) counts[l.outcome]++;
  const unresolved = lines.filter((l) => l.outcome === 'incertain' && l.actionId !== undefined).map((l) => l.actionId!);
  // An uncertain sales alert (no action number: never resent, nothing to resolve) counts as a failure.
  const exitCode = unresolved.length > 0 ? EXIT_UNCERTAIN : counts.echec > 0 || lines.some((l) => l.outcome === 'incertain' && l.actionId === undefined) ? 2 : 0;
  return {
    asOf: run.flags.asOf, dryRun, lines, counts, unresolved, exitCode, overdueTasks: overdue.map((l) => l.task.id),
    letters: dryRun ? [] : taken.map((d) => ({ clientCode: d.clientCode, kind: d.kind, path: paths.get(d.clientCode)!, sha256: d.sha256 })),
    printFile: bundle.print, lrarFile: bundle.csv,
  };
}

/** Refuses to send while the sender's identity is incomplete (see `identityGaps`): nothing has left yet. */
function refuseIncompleteIdentity(config: Config, steps: Step[]): void {
  const needsLegal = steps.some((s) => STEPS.indexOf(s) >= STEPS.indexOf('escalade'));
  const gaps = identityGaps({ company: config.company, from: config.mail.from, needsLegal });
  if (gaps.length === 0) return;
  throw new ConfigError(
    `l'identité de l'expéditeur est incomplète : ${gaps.map((g) => `${g.message} (${g.key})`).join(' ; ')} ; rien n'a été envoyé.`,
    `renseignez ${gaps.map((g) => g.key).join(', ')} dans la configuration ; relance check liste ce qui manque.`,
  );
}

function parseMax(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`valeur invalide pour --max : « ${text} ».`, `donnez le nombre d'e-mails autorisés pour cet envoi, par exemple --max 250.`);
  return n;
}

/** Refuses to send from an export older than the configured age (its title date, else the file's date). */
function refuseStaleExports(reports: { file: string; exportDate: CalendarDate | null }[], asOf: CalendarDate, maxAge: number, cwd: string): void {
  for (const r of reports) {
    const date = r.exportDate ?? todayInParis(statSync(resolve(cwd, r.file)).mtime);
    const age = daysBetween(date, asOf);
    if (age > maxAge) {
      throw new DataError(
        `${r.file} date du ${formatDateFr(date)}, ${age} jours avant le ${formatDateFr(asOf)} : envoi refusé, rien n'a été envoyé (au plus ${maxAge} jours).`,
        `ré-exportez les données du jour avant l'envoi ; le délai se règle avec maxExportAgeDays dans la configuration.`,
      );
    }
  }
}

/** Refuses to send with a payments file that seems to come from another company (plan and check only warn). */
function refuseForeignPayments(findings: Finding[]): void {
  const foreign = findings.find((f) => f.code === 'reglements-autre-societe');
  if (foreign) {
    throw new DataError(
      `${foreign.message} : envoi refusé, rien n'a été envoyé.`,
      `vérifiez que ${foreign.file} vient du même dossier comptable que la balance : ré-exportez les règlements depuis la bonne société, ou retirez --payments ${foreign.file}.`,
    );
  }
}

function costOf(channel: Channel, config: Config): number {
  const c = config.costs;
  switch (channel) {
    case 'email':
    case 'email+appel':
      return c.email;
    case 'lrar+email':
      return c.lrar + c.email;
    case 'courrier':
    case 'courrier+appel':
      return c.courrier;
    case 'lrar':
      return c.lrar;
    case 'interne':
      return 0;
  }
}

/** What a simulated action would leave to a person: its tasks, and the letter's file. */
function plannedTasks(a: PlanAction, doc: LetterDoc | undefined, dir: string, cwd: string): string {
  const kinds = taskKindsOf(a.channel);
  if (kinds.length === 0) return '';
  return ` ; ${kinds.map((k) => `${TASK_LABELS[k]}${k !== 'appel' && doc ? ` : ${relative(cwd, join(dir, doc.name)) || doc.name}` : ''}`).join(' ; ')}`;
}



function line(outcome: SendLine['outcome'], a: PlanAction, recipients: string[], messageId: string | null, detail: string): SendLine {
  const acted = outcome === 'envoye' || outcome === 'simulation' || outcome === 'a_faire';
  return {
    outcome, clientCode: a.clientCode, clientName: a.clientName, step: a.step, channel: a.channel, recipients,
    invoices: a.invoices.map((i) => i.ref), amountCents: chasedCents(a), messageId, detail: `${detail}${acted ? caseNote(a) : ''}`,
    case: outcome === 'ignore' ? null : a.case,
  };
}

/** Where the action stands in the client's case, for the log. */
function caseNote(a: PlanAction): string {
  if (a.step === 'preventive') return '';
  const c = a.case;
  if (c.openedOn === null || c.step === null) return ' ; ouvre le dossier';
  return ` ; dossier ouvert le ${formatDateFr(c.openedOn)}, ${c.remindersSent} relance${c.remindersSent > 1 ? 's' : ''} avant, dont ${STEP_LABELS[c.step]} le ${formatDateFr(c.stepOn ?? c.openedOn)}`;
}

/** A client whose next step is due but held back by the minimum gap since its last message. */
function heldLine(w: WaitingCase, gapDays: number): SendLine {
  const c = w.case;
  return {
    outcome: 'ignore', clientCode: w.clientCode, clientName: w.clientName, step: c.nextStep ?? '', channel: '', recipients: [],
    invoices: w.invoices, amountCents: w.overdueCents, messageId: null, case: c,
    detail: `déjà contacté le ${formatDateFr(c.lastMessageOn!)} : au moins ${gapDays} jours entre deux messages à un client, ${c.nextStep ? STEP_LABELS[c.nextStep] : 'étape suivante'} le ${formatDateFr(c.nextOn!)}`,
  };
}

/** What an action asks the client to pay: its invoices' open amounts. */
function chasedCents(a: PlanAction): number {
  return a.invoices.reduce((s, i) => s + i.openCents, 0);
}

function uncertainLine(a: JournalAction): SendLine {
  return {
    outcome: 'incertain', clientCode: a.clientCode, clientName: a.clientName, step: a.step, channel: a.channel,
    recipients: a.recipients ? a.recipients.split(', ') : [], invoices: a.invoices.map((i) => i.ref), amountCents: a.amountCents,
    messageId: a.messageId, case: null, actionId: a.id, detail: uncertainDetail(a.id, uncertainReasonOf(a)),
  };
}

/** Why a send error leaves the message possibly delivered, in French, with the error's code. */
function uncertainSendReason(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  const what = code === 'ETIMEDOUT' ? 'le serveur SMTP n\'a pas répondu à temps' : 'la connexion au serveur SMTP s\'est interrompue';
  return `${what} après la transmission du message, sans confirmer sa réception${code ? ` (${code})` : ''}`;
}

/** The uncertain actions of the journal at `path`, read-only; none when it cannot be read. */
function readUncertain(path: string): JournalAction[] {
  if (!existsSync(path)) return [];
  try {
    const journal = Journal.openReadOnly(path);
    try {
      return journal.uncertain();
    } finally {
      journal.close();
    }
  } catch {
    return []; // an unreadable journal is the run's own error to report
  }
}
