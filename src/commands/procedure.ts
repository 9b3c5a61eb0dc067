/**
 * relance procedure CLIENT --type sauvegarde|redressement|liquidation --jugement AAAA-MM-JJ
 * [--bodacc AAAA-MM-JJ] [--mandataire "nom, adresse"] [--out FICHIER] : un client en
 * procédure collective. Ses relances s'arrêtent (il passe dans « à traiter à la main »,
 * motif procedure-collective, L622-21) ; le délai de déclaration de créance est de deux
 * mois après la publication au BODACC (R622-24) ; la déclaration de créance au mandataire
 * est écrite (principal, intérêts arrêtés au jugement L622-28, indemnités D441-5, total).
 * Une seule procédure en cours par client. relance procedure CLIENT --close --reason "…"
 * y met fin à la date --as-of : les relances reprennent.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDateFr } from '../core/dates.js';
import { deadlineSentence, declarationOf, PROCEDURE_LABELS, type Declaration, type ProcedureRecord } from '../core/procedure.js';
import { evaluateCases } from '../core/cases.js';
import { penaltyExclusionsOf } from '../core/penalty-exclusions.js';
import { penaltyTablesFrom } from '../core/rates.js';
import { planSettings } from '../config.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { findClient } from '../journal/case-context.js';
import { loadCaseFile } from '../journal/cases.js';
import { closeProcedure, loadProcedures, recordProcedure } from '../journal/procedures.js';
import { renderDeclaration } from '../render/letters.js';
import { procedureAsJson, procedureAsText } from '../render/procedure.js';
import { readCaseInput } from './case-input.js';
import type { OptionsOf } from './options.js';
import { paidLateOf } from './penalites.js';
import { PROCEDURE_OPTIONS } from './procedure-options.js';


/** What the command did: the proceeding recorded (or those closed), its declaration and the letter written. */
export interface ProcedureResult {
  clientCode: string;
  clientName: string;
  recorded: ProcedureRecord | null;
  /** What the plan says of the declaration's deadline at the as-of date (R622-24, L622-26); null on --close. */
  deadline: string | null;
  closed: ProcedureRecord[];
  declaration: Declaration | null;
  /** The declaration of claim written, or null (on --close, or nothing to declare). */
  letter: string | null;
  /** French notes for the person who signs. */
  notes: string[];
}

/** Records a collective proceeding against a client and writes its declaration of claim, or closes it. */
export async function runProcedure(client: string, o: OptionsOf<typeof PROCEDURE_OPTIONS>, ctx: Context): Promise<ProcedureResult> {
  // The rules between options (--close against the rest, --type and --jugement required otherwise) are the declaration's check.
  const { format } = o;
  const cmd = `relance procedure ${client}`;
  const { flags, inputs, journal, config } = await readCaseInput(o, ctx);
  try {
    const name = findClient(inputs, client);
    const asOf = flags.asOf;
    const open = loadProcedures(journal).filter((p) => p.clientCode === client && (p.closedOn === null || p.closedOn > asOf));
    const describe = (p: ProcedureRecord) => `${PROCEDURE_LABELS[p.type]}, jugement du ${formatDateFr(p.judgmentOn)}`;

    if (o.close) {
      if (open.length === 0) throw new UsageError(`aucune procédure collective en cours pour ${client} au ${formatDateFr(asOf)}.`, `relance client ${client} liste ses procédures et leur état.`);
      const reason = o.reason!;
      journal.transaction(() => {
        for (const p of open) closeProcedure(journal, p.id, asOf, reason);
      });
      const result: ProcedureResult = {
        clientCode: client, clientName: name, recorded: null, deadline: null, closed: open.map((p) => ({ ...p, closedOn: asOf, closeReason: reason })), declaration: null, letter: null, notes: [],
      };
      writeResult(result, format, asOf, ctx);
      return result;
    }

    const type = o.type!;
    const judgmentOn = o.jugement!;
    const clientRecord = inputs.clients.find((c) => c.clientCode === client) ?? null;
    const consumer = clientRecord?.consumer ?? false;
    if (consumer) {
      throw new UsageError(
        `${client} (${name}) est un particulier : les procédures collectives du livre VI du Code de commerce (sauvegarde, redressement, liquidation judiciaire) ne s'appliquent pas à un consommateur (L620-2, L631-2, L640-2).`,
        `pour un particulier, c'est la procédure de surendettement devant la commission de la Banque de France (Code de la consommation, articles L711-1 et suivants) ; suspendez ses relances pendant ce temps : relance pause ${client} --until AAAA-MM-JJ --reason "dossier de surendettement".`,
      );
    }
    if (open.length > 0) {
      throw new UsageError(
        `une procédure collective de ${client} est déjà enregistrée (${open.map(describe).join(' ; ')}), en cours.`,
        `${cmd} --close --reason "…" y met fin (par exemple « conversion en liquidation ») ; enregistrez ensuite la nouvelle.`,
      );
    }
    if (judgmentOn > asOf) throw new UsageError(`le jugement du ${formatDateFr(judgmentOn)} est postérieur à la date d'arrêté (${formatDateFr(asOf)}).`, `vérifiez --jugement, ou donnez --as-of au jour du jugement ou après.`);
    const record: ProcedureRecord = {
      id: 0, clientCode: client, type, judgmentOn, bodaccOn: o.bodacc ?? null, administrator: o.mandataire ?? null, openedOn: asOf, closedOn: null, closeReason: null,
    };
    const contractual = config.penalties.contractualRatePercent ?? null;
    // Penalties on invoices paid late before the judgment are declared too, save those a payment plan waived or a dispute holds.
    const file = loadCaseFile(journal);
    const exclusions = penaltyExclusionsOf({
      asOf, file, status: evaluateCases(file, inputs.openItems, asOf, planSettings(config).thresholds.graceDays), procedures: [],
      sentSteps: journal.sentSteps(), policy: config.echeancier.penalties, noticeDays: config.echeancier.noticeDays,
    });
    const late = paidLateOf(inputs, config);
    const declaration = declarationOf(record, inputs.openItems, { consumer, contractualRatePercent: contractual }, penaltyTablesFrom(config.penalties), config.penalties.whenRateMissing, { ...late, excluded: exclusions.invoices });
    const notes = [...declaration.notes];
    let letter: string | null = null;
    let html: string | null = null;
    if (declaration.invoices.length > 0 || declaration.paidLate.length > 0) {
      const rendered = renderDeclaration({
        asOf, company: config.company, client: clientRecord, clientCode: client, clientName: name, declaration,
        basis: consumer ? 'taux-legal' : contractual !== null ? 'taux-contractuel' : 'taux-bce', templatesDir: config.templatesDir ?? null, cwd: ctx.cwd,
      });
      html = rendered.letterHtml ?? rendered.html;
      letter = o.out ?? `declaration-creance-${client}-${judgmentOn}.html`;
      if (record.administrator === null) notes.push(`destinataire à compléter sur la lettre : le nom et l'adresse du ${type === 'liquidation' ? 'liquidateur' : 'mandataire judiciaire'} figurent dans l'annonce du jugement au BODACC (--mandataire "nom, adresse" les écrit)`);
      if (!config.company.contactName) notes.push(`signataire à compléter sur la lettre (clé company.contactName de la configuration)`);
    } else {
      notes.push(`rien à déclarer : aucune facture de ${client} antérieure au jugement n'est ouverte dans les exports, ni ne reste redevable de pénalités de retard`);
    }
    notes.push(`si vos conditions de vente prévoient une réserve de propriété, revendiquez les marchandises dans les trois mois de la publication du jugement (L624-9) : c'est une démarche à part`);
    // Effects, at the end: the letter, then the journal (a failed write leaves the journal as it was).
    if (letter !== null) writeFileSync(resolve(ctx.cwd, letter), html!);
    record.id = recordProcedure(journal, record, ctx.now());
    const result: ProcedureResult = { clientCode: client, clientName: name, recorded: record, deadline: deadlineSentence(record, asOf), closed: [], declaration, letter, notes };
    writeResult(result, format, asOf, ctx);
    return result;
  } finally {
    journal.close();
  }
}

function writeResult(result: ProcedureResult, format: string, asOf: string, ctx: Context): void {
  ctx.stdout.write(format === 'json' ? procedureAsJson(result) : procedureAsText(result, asOf));
}
