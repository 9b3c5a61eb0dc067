/**
 * relance commerciaux : par commercial, ses clients en recouvrement (actions, dossiers
 * laissés à une personne, dossiers en attente, contentieux), les montants échus et la
 * prochaine étape avec sa date. `--send` envoie à chaque commercial son récapitulatif
 * par e-mail, enregistré au journal : jamais deux fois le même jour.
 */
import { createHash } from 'node:crypto';
import { loadConfig, planSettings, type Config } from '../config.js';
import { requireInputs, todayInParis, type Context } from '../context.js';
import { withLatePayments } from '../core/crossfile.js';
import { formatDateFr, type CalendarDate } from '../core/dates.js';
import { buildPlan } from '../core/plan.js';
import { salesRepDigests, type RepDigest } from '../core/sales-alerts.js';
import { ConfigError, DataError } from '../errors.js';
import { planJournalContext } from '../journal/case-context.js';
import { journalPathOf, openJournalToRead, openJournalToWrite, type Journal } from '../journal/journal.js';
import { claimSalesAlert, digestCode, DIGEST_STEP, settleSalesAlert } from '../journal/sales-alerts.js';
import { envelopeAddress, safeName } from '../mail/compose.js';
import { domainOf } from '../mail/sales-alerts.js';
import { describeSmtpError, mayHaveBeenAccepted, smtpMailer, type Mailer } from '../mail/smtp.js';
import { withInputProgress } from '../progress.js';
import { loadInputs } from '../read/inputs.js';
import { digestAsJson, digestAsText, repDigestMail, repLabel } from '../render/commerciaux.js';
import { emlOf } from '../render/letters.js';
import type { COMMERCIAUX_OPTIONS } from './commerciaux-options.js';
import { inputFlagsOf } from './input-options.js';
import type { OptionsOf } from './options.js';


/** What became of one rep's digest with `--send`. */
export interface DigestSent {
  outcome: 'envoye' | 'echec' | 'incertain' | 'ignore';
  repKey: string;
  recipient: string | null;
  clients: number;
  messageId: string | null;
  detail: string;
}

/** What the command did: the digests, and with `--send` what became of each e-mail. */
export interface CommerciauxResult {
  asOf: CalendarDate;
  reps: RepDigest[];
  sent: DigestSent[];
  /** 2 when a digest failed or may have gone without confirmation, else 0. */
  exitCode: number;
}

/** Builds the plan, groups its clients in collection by sales rep, prints the digests and, with `--send`, mails them. */
export async function runCommerciaux(opts: OptionsOf<typeof COMMERCIAUX_OPTIONS>, ctx: Context, mailer?: Mailer): Promise<CommerciauxResult> {
  const { format } = opts;
  const flags = inputFlagsOf(opts, () => todayInParis(ctx.now()));
  requireInputs(flags);
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const sending = opts.send && config.salesAlerts.enabled;
  if (opts.send && !config.salesAlerts.enabled) ctx.stderr.write(`salesAlerts.enabled: false dans la configuration : aucun récapitulatif n'est envoyé, il est seulement affiché.\n`);
  const smtpUrl = ctx.env.RELANCE_SMTP_URL;
  if (sending && !mailer && !smtpUrl) {
    throw new ConfigError(
      `la variable d'environnement RELANCE_SMTP_URL n'est pas définie : aucun récapitulatif n'a été envoyé.`,
      `définissez-la, par exemple RELANCE_SMTP_URL=smtps://utilisateur:motdepasse@smtp.example.fr:465, ou retirez --send pour seulement afficher les récapitulatifs.`,
    );
  }
  if (sending && !config.mail.from) {
    throw new ConfigError(`l'expéditeur des e-mails n'est pas configuré : aucun récapitulatif n'a été envoyé.`, `ajoutez mail.from à la configuration, par exemple from: "Comptabilité <compta@example.fr>".`);
  }
  const settings = planSettings(config);
  const inputs = await withInputProgress(ctx, flags, opts.quiet, (onProgress) =>
    loadInputs(flags, config, true, ctx.cwd, { graceDays: settings.thresholds.graceDays }, onProgress),
  );
  const { openItems } = withLatePayments({ asOf: flags.asOf, openItems: inputs.openItems, files: inputs.reports, late: inputs.latePayments ?? [] });
  const location = journalPathOf(opts.journal, ctx.env, config, ctx.cwd);
  // Only --send writes (its digests); without it the journal is read-only, as for plan.
  const journal = sending ? openJournalToWrite(location) : openJournalToRead(location);
  const transport = sending ? (mailer ?? smtpMailer(smtpUrl!)) : null;
  try {
    const plan = buildPlan({
      asOf: flags.asOf,
      horizonDays: config.planDays,
      openItems,
      clients: inputs.clients,
      histories: inputs.histories,
      ...planJournalContext(journal, inputs, openItems, flags.asOf, config.promiseGraceDays),
      settings,
    });
    const reps = salesRepDigests(plan, inputs.clients);
    const report = { asOf: flags.asOf, reps };
    if (format === 'text') ctx.stdout.write(digestAsText(report));
    const sent: DigestSent[] = [];
    if (sending) {
      const say = (s: DigestSent): void => {
        sent.push(s);
        if (format === 'text') ctx.stdout.write(`${SENT_LABELS[s.outcome]} ${s.recipient ?? repLabel(reps.find((r) => r.key === s.repKey)!)} : ${s.detail}\n`);
      };
      if (format === 'text' && reps.length > 0) ctx.stdout.write('\n');
      for (const rep of reps) await sendDigest(rep, flags.asOf, config, journal!, transport!, ctx.now(), say);
    }
    const exitCode = sent.some((s) => s.outcome === 'echec' || s.outcome === 'incertain') ? 2 : 0;
    if (format === 'json') ctx.stdout.write(digestAsJson(report, opts.send ? sent : undefined));
    return { asOf: flags.asOf, reps, sent, exitCode };
  } finally {
    transport?.close();
    journal?.close();
  }
}

const SENT_LABELS: Record<DigestSent['outcome'], string> = { envoye: 'envoyé', echec: 'ÉCHEC', incertain: 'INCERTAIN', ignore: 'ignoré' };

/** Sends one rep's digest, recorded `envoi` before the SMTP transaction and settled after it; never twice the same day. */
async function sendDigest(rep: RepDigest, asOf: CalendarDate, config: Config, journal: Journal, transport: Mailer, now: Date, say: (s: DigestSent) => void): Promise<void> {
  const base = { repKey: rep.key, clients: rep.clients.length };
  if (!rep.email) {
    say({ ...base, outcome: 'ignore', recipient: null, messageId: null, detail: rep.key === '' ? 'pas de commercial dans le fichier clients : récapitulatif non envoyé' : `pas d'adresse e-mail du commercial dans le fichier clients (colonne e-mail représentant) : récapitulatif non envoyé` });
    return;
  }
  const from = config.mail.from!;
  const mail = repDigestMail(rep, asOf, config.company);
  const messageId = `<relance.recapitulatif.${asOf}.${safeName(rep.email)}@${domainOf(from)}>`;
  const raw = (await emlOf(mail, { from, to: [rep.email], replyTo: config.mail.replyTo ?? null, date: now, messageId })).replace(/\r?\n/g, '\r\n');
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const id = claimSalesAlert(journal, { clientCode: digestCode(rep.key), step: DIGEST_STEP, plannedOn: asOf, recipient: rep.email, messageId, sha256, createdAt: now.toISOString() });
  if (id === null) {
    say({ ...base, outcome: 'ignore', recipient: rep.email, messageId, detail: `récapitulatif déjà envoyé le ${formatDateFr(asOf)} (journal) : un seul par jour` });
    return;
  }
  let status: 'envoye' | 'echec' | 'incertain';
  let why: string | null = null;
  try {
    await transport.send({ from: envelopeAddress(from), to: [rep.email] }, raw);
    status = 'envoye';
  } catch (err) {
    status = mayHaveBeenAccepted(err) ? 'incertain' : 'echec';
    why = describeSmtpError(err);
  }
  try {
    settleSalesAlert(journal, id, status, why);
  } catch (err) {
    throw new DataError(
      `le journal n'a pas pu enregistrer le résultat de l'envoi du récapitulatif à ${rep.email} (${(err as Error).message}) : l'envoi s'arrête, il ne sera pas renvoyé aujourd'hui.`,
      `vérifiez le fichier ${journal.path} (droits, place sur le disque), puis relancez relance commerciaux --send.`,
    );
  }
  const what = `récapitulatif de ${rep.clients.length} client${rep.clients.length > 1 ? 's' : ''}`;
  if (status === 'envoye') say({ ...base, outcome: 'envoye', recipient: rep.email, messageId, detail: `${what} « ${mail.subject} »` });
  else if (status === 'echec') say({ ...base, outcome: 'echec', recipient: rep.email, messageId, detail: `${what} non envoyé : ${why} ; relancez relance commerciaux --send` });
  else say({ ...base, outcome: 'incertain', recipient: rep.email, messageId, detail: `${what} peut-être parti, sans confirmation du serveur (${why}) : jamais renvoyé aujourd'hui` });
}

