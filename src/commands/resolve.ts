/**
 * relance resolve N° --envoye|--non-envoye [--reason TEXTE] : tranche un message
 * incertain (peut-être parti, jamais renvoyé automatiquement). --envoye le compte comme
 * envoyé ; --non-envoye rend son étape de nouveau due au prochain relance send. Rien
 * n'est effacé : l'action garde sa raison d'origine, et une note du dossier client dit
 * ce qui a été décidé et pourquoi.
 */
import { formatDateFr } from '../core/dates.js';
import { STEP_LABELS } from '../core/scenario.js';
import { loadConfig } from '../config.js';
import { todayInParis, type Context } from '../context.js';
import { DataError } from '../errors.js';
import { journalPathOf, openJournalToWrite, STATUS_LABELS } from '../journal/journal.js';
import type { OptionsOf } from './options.js';
import { actionIdOf, type RESOLVE_OPTIONS } from './resolve-options.js';

type ResolveOptions = OptionsOf<typeof RESOLVE_OPTIONS>;

/** What a verdict did, returned for tests. */
export interface ResolveResult {
  id: number;
  clientCode: string;
  sent: boolean;
}

/** Records a person's verdict on an uncertain message. */
export function runResolve(idText: string, opts: ResolveOptions, ctx: Context): ResolveResult {
  const id = actionIdOf(idText); // checked with the options: --envoye or --non-envoye, one of them
  const sent = opts.envoye;
  const config = loadConfig(opts.config ?? null, ctx.cwd);
  const journal = openJournalToWrite(journalPathOf(opts.journal, ctx.env, config, ctx.cwd));
  try {
    const [action] = journal.actions({}, [id]);
    if (!action) throw new DataError(`aucune action n° ${id} dans le journal ${journal.path}.`, `relance journal liste les actions ; relance send affiche le numéro de chaque message incertain.`);
    if (action.status !== 'incertain') {
      throw new DataError(
        `l'action n° ${id} (${action.clientCode}, ${STEP_LABELS[action.step] ?? action.step} du ${formatDateFr(action.actionDate)}) n'est pas incertaine : son statut est « ${STATUS_LABELS[action.status]} ».`,
        action.status === 'envoi'
          ? `un relance send est peut-être en cours ; sinon le prochain relance send la marquera incertaine, et vous pourrez la trancher.`
          : `seul un message incertain se tranche ; relance journal --client ${action.clientCode} montre ses actions.`,
      );
    }
    const now = ctx.now();
    journal.resolveUncertain(id, sent, opts.reason?.trim() ?? '', todayInParis(now), now.toISOString());
    const what = `${action.clientCode} ${action.clientName}, ${STEP_LABELS[action.step] ?? action.step} du ${formatDateFr(action.actionDate)}`;
    ctx.stdout.write(
      sent
        ? `Message n° ${id} (${what}) tranché envoyé : il compte comme envoyé, l'étape ne repartira pas.\n`
        : `Message n° ${id} (${what}) tranché non envoyé : l'étape est de nouveau due et repartira au prochain relance send.\n`,
    );
    return { id, clientCode: action.clientCode, sent };
  } finally {
    journal.close();
  }
}
