/** The options of `relance resolve`, declared once (commander flags, help, types, README table). */
import { UsageError } from '../errors.js';
import { configOption, journalOption, pathValue } from './input-options.js';
import { flagValue, type CommandSpec, type OptionDefs } from './options.js';

export const RESOLVE_OPTIONS = {
  envoye: { flag: '--envoye', help: 'le message est bien parti : il compte comme envoyé', schema: flagValue },
  nonEnvoye: { flag: '--non-envoye', help: "le message n'est pas parti : l'étape repartira au prochain envoi", schema: flagValue },
  reason: { flag: '--reason <texte>', help: 'ce qui a permis de trancher (gardé au journal)', schema: pathValue, example: '"reçu confirmé par le client"' },
  journal: journalOption(),
  config: configOption(),
} satisfies OptionDefs;

/** The number `relance send` showed for an uncertain message. */
export function actionIdOf(idText: string): number {
  const id = Number(idText);
  if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id) || id < 1) {
    throw new UsageError(`numéro d'action invalide : « ${idText} ».`, `donnez le numéro affiché par relance send (« relance resolve N° … »), par exemple relance resolve 12 --envoye.`);
  }
  return id;
}

export const RESOLVE_COMMAND: CommandSpec<typeof RESOLVE_OPTIONS> = {
  name: 'resolve',
  description: 'tranche un message incertain de relance send : --envoye (compte comme envoyé) ou --non-envoye (repartira)',
  args: [{ syntax: '<numéro>', help: "numéro de l'action, affiché par relance send" }],
  options: RESOLVE_OPTIONS,
  check: (o, [idText]) => {
    const id = actionIdOf(idText ?? '');
    if (o.envoye === o.nonEnvoye) {
      throw new UsageError(
        o.envoye ? `--envoye et --non-envoye s'excluent : choisissez l'un des deux.` : `dites si le message n° ${id} est parti : --envoye ou --non-envoye.`,
        `vérifiez la boîte d'envoi (ou demandez au client), puis relance resolve ${id} --envoye, ou relance resolve ${id} --non-envoye pour qu'il reparte au prochain envoi.`,
      );
    }
  },
};
