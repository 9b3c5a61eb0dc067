import { Command, CommanderError, Help } from 'commander';
import { RelanceError } from './errors.js';
import { terminalColumns, type Context } from './context.js';
import { addOptions } from './commands/options.js';
import { PENALITES_OPTIONS } from './commands/penalites-options.js';
import { PROCEDURE_OPTIONS } from './commands/procedure-options.js';
import { COMMERCIAUX_OPTIONS } from './commands/commerciaux-options.js';
import { FAIT_OPTIONS, TACHES_OPTIONS } from './commands/taches-options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

// Tables fit the terminal (COLUMNS, else 80 when piped): columns shortened, then the least useful hidden.
const WIDE_HELP = 'tableaux en entier, sans les ajuster à la largeur du terminal';
const limitHelp = (rows: string) => `tableau : seulement les N ${rows} ; JSON et CSV restent complets`;

/** The options every command that reads data accepts: one definition, one help text. */
function withInputOptions(cmd: Command, formats = 'table, json ou csv'): Command {
  return cmd
    .option('--balance <fichier>', 'balance âgée / échéancier clients (créances ouvertes) ; répétable', collect)
    .option('--payments <fichier>', 'liste des règlements clients ; répétable', collect)
    .option('--clients <fichier>', 'fichier clients (e-mails, conditions de règlement…) ; répétable', collect)
    .option('--fec <fichier>', 'FEC ; répétable pour des exercices consécutifs', collect)
    .option('--ledger <fichier>', 'écritures exportées par le logiciel (FEC, Sage 100 #MECG, Quadra ASCII, EBP, Cegid TRA) ; répétable', collect)
    .option('--sheet <nom>', 'feuille à lire dans les classeurs Excel (défaut : la première)')
    .option('--as-of <AAAA-MM-JJ>', "date d'arrêté (défaut : aujourd'hui, heure de Paris)")
    .option('--profile <logiciel>', 'impose le logiciel au lieu de le détecter : sage100, sage50, cegid, ebp, generic')
    .option('--encoding <encodage>', "impose l'encodage : utf-8, windows-1252, iso-8859-15, cp850")
    .option('--config <fichier>', 'fichier de configuration (défaut : ./relance.yaml s\'il existe)')
    .option('--format <format>', `sortie : ${formats}`, 'table')
    .option('--quiet', "n'affiche pas la progression de la lecture (affichée sur un terminal seulement, pour plus de 20 Mo ou 2 s)");
}

/** The command registry: each command's module is loaded only when it runs. */
export function buildProgram(ctx: Context, setExit: (code: number) => void): Command {
  const program = new Command('relance')
    .description('Relance des factures impayées pour les PME : lit les exports Sage, Cegid, EBP et le FEC.')
    .version('0.1.0', '-V, --version', 'affiche la version')
    .helpOption('-h, --help', "affiche l'aide")
    .helpCommand('help [commande]', "affiche l'aide d'une commande")
    .showHelpAfterError(false)
    .configureHelp({ formatHelp: frenchHelp })
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: () => {}, // main() prints commander's errors in French
    })
    .exitOverride();

  withInputOptions(
    program
      .command('inspect')
      .description('montre ce que relance comprend de chaque fichier : format, encodage, colonnes, premiers enregistrements')
      .argument('[fichiers...]', 'fichiers à examiner (nature détectée)'),
  )
    .option('--limit <n>', "nombre d'enregistrements montrés, en table comme en json/csv (défaut : 10 en table, tous en json/csv)")
    .option('--wide', WIDE_HELP)
    .action(async (files: string[], opts) => {
      const { runInspect } = await import('./commands/inspect.js');
      await runInspect(files, opts, ctx);
    });

  withInputOptions(
    program.command('check').description('contrôle les données (doublons, dates, montants, e-mails, totaux) ; sort en 1 s\'il y a une erreur'),
  )
    .option('--limit <n>', limitHelp('premiers constats (erreurs, puis avertissements, puis informations)'))
    .option('--wide', WIDE_HELP)
    .action(async (opts) => {
      const { runCheck } = await import('./commands/check.js');
      setExit((await runCheck(opts, ctx)).exitCode);
    });

  withInputOptions(
    program
      .command('plan')
      .description('les relances de la semaine, les plus importantes d\'abord : segment, étape, canal, factures, euros à risque'),
  )
    .option('--days <n>', 'horizon en jours (défaut : planDays de la configuration, 7)')
    .option('--journal <fichier>', 'journal SQLite des actions déjà faites (défaut : RELANCE_JOURNAL, sinon la clé journal)')
    .option('--detail', 'liste les factures de chaque action')
    .option('--explain', 'détaille le calcul du score de chaque action')
    .option('--letters <dossier>', 'écrit les documents de chaque action : e-mails (.eml) et lettres imprimables (.html)')
    .option('--limit <n>', limitHelp('premières actions par rang (les totaux les comptent toutes)'))
    .option('--wide', WIDE_HELP)
    .action(async (opts) => {
      const { runPlan } = await import('./commands/plan.js');
      await runPlan(opts, ctx);
    });

  withInputOptions(
    program
      .command('send')
      .description("la tâche cron : envoie les relances dues aujourd'hui, les enregistre, jamais deux fois ; sort en 2 si des envois ont échoué, en 4 tant que des messages incertains attendent relance resolve"),
  )
    .option('--dry-run', "n'envoie rien et dit ce qui partirait")
    .option('--max <n>', "plafond d'e-mails pour cet envoi (défaut : mail.maxPerRun, 200)")
    .option('--journal <fichier>', 'journal SQLite (défaut : RELANCE_JOURNAL, sinon la clé journal)')
    .action(async (opts) => {
      const { runSend } = await import('./commands/send.js');
      setExit((await runSend(opts, ctx)).exitCode);
    });

  program
    .command('journal')
    .description('liste les actions enregistrées : envois, échecs, tâches à faire')
    .option('--client <code>', 'un seul client')
    .option('--step <étape>', 'une seule étape (preventive, relance1…)')
    .option('--from <AAAA-MM-JJ>', 'à partir de cette date')
    .option('--to <AAAA-MM-JJ>', "jusqu'à cette date")
    .option('--journal <fichier>', 'journal SQLite (défaut : RELANCE_JOURNAL, sinon la clé journal)')
    .option('--config <fichier>', 'fichier de configuration')
    .option('--format <format>', 'sortie : table, json ou csv', 'table')
    .option('--limit <n>', limitHelp('actions les plus récentes (toujours par date)'))
    .option('--wide', WIDE_HELP)
    .action(async (opts) => {
      const { runJournal } = await import('./commands/journal.js');
      runJournal(opts, ctx);
    });

  program
    .command('resolve')
    .description('tranche un message incertain de relance send : --envoye (compte comme envoyé) ou --non-envoye (repartira)')
    .argument('<numéro>', "numéro de l'action, affiché par relance send")
    .option('--envoye', 'le message est bien parti : il compte comme envoyé')
    .option('--non-envoye', "le message n'est pas parti : l'étape repartira au prochain envoi")
    .option('--reason <texte>', 'ce qui a permis de trancher (gardé au journal)')
    .option('--journal <fichier>', 'journal SQLite (défaut : RELANCE_JOURNAL, sinon la clé journal)')
    .option('--config <fichier>', 'fichier de configuration')
    .action(async (id: string, opts) => {
      const { runResolve } = await import('./commands/resolve.js');
      runResolve(id, opts, ctx);
    });

  const caseCommand = (name: string, description: string) =>
    withInputOptions(program.command(name).description(description)).option('--journal <fichier>', 'journal SQLite (défaut : RELANCE_JOURNAL, sinon la clé journal)');

  caseCommand('promise', 'note une promesse de paiement : relances suspendues jusqu\'à la date (plus le délai de grâce)')
    .argument('<client>', 'code client')
    .option('--date <AAAA-MM-JJ>', 'date promise (obligatoire)')
    .option('--invoices <refs>', 'factures concernées, séparées par des virgules (défaut : toutes)')
    .option('--amount <montant>', 'montant promis en euros')
    .option('--replace', 'remplace la promesse en cours du client (l\'ancienne reste au journal)')
    .option('--cancel', 'annule la promesse en cours : les relances reprennent (avec --reason)')
    .option('--reason <texte>', 'motif de l\'annulation ou du remplacement')
    .action(async (client: string, opts) => {
      const { runPromise } = await import('./commands/promise.js');
      await runPromise(client, opts, ctx);
    });

  caseCommand('dispute', 'ouvre (--reason) ou clôt (--close) un litige sur une facture : elle sort des relances')
    .argument('<facture>', 'numéro de facture')
    .option('--reason <texte>', 'motif du litige')
    .option('--close', 'clôt le litige : la facture revient dans les relances')
    .option('--credit-note', 'avec --close : le litige est réglé par un avoir')
    .option('--replace', 'avec --reason : change le motif du litige ouvert (l\'ancien reste au journal)')
    .action(async (ref: string, opts) => {
      const { runDispute } = await import('./commands/dispute.js');
      await runDispute(ref, opts, ctx);
    });

  caseCommand('echeancier', 'enregistre un échéancier de paiement et écrit la lettre de confirmation')
    .argument('<client>', 'code client')
    .option('--invoices <refs>', 'factures de l\'échéancier, séparées par des virgules (obligatoire)')
    .option('--installments <n>', 'nombre d\'échéances (obligatoire)')
    .option('--first <AAAA-MM-JJ>', 'date de la première échéance (obligatoire)')
    .option('--every <période>', 'périodicité : 1m, 2w, 15j', '1m')
    .option('--down-payment <montant>', 'acompte en euros')
    .option('--mode <mode>', 'mode de règlement', 'virement')
    .option('--out <fichier>', 'lettre de confirmation (défaut : echeancier-CLIENT-DATE.html)')
    .option('--replace', 'remplace l\'échéancier en cours du client (l\'ancien reste au journal)')
    .option('--cancel', 'annule l\'échéancier en cours : ses factures reviennent dans les relances (avec --reason)')
    .option('--reason <texte>', 'motif de l\'annulation ou du remplacement')
    .option('--signe <AAAA-MM-JJ>', 'date de signature par le client (seule : signe l\'échéancier en cours) ; la prescription repart de cette date (art. 2240 du Code civil)')
    .action(async (client: string, opts) => {
      const { runEcheancier } = await import('./commands/echeancier.js');
      await runEcheancier(client, opts, ctx);
    });

  caseCommand('note', 'ajoute une note ou un appel (--call) : un appel fait la tâche d\'appel du plan')
    .argument('<client>', 'code client')
    .argument('<texte>', 'la note')
    .option('--call', 'c\'est un appel (compte comme une action)')
    .option('--minutes <n>', 'durée de l\'appel')
    .action(async (client: string, text: string, opts) => {
      const { runNote } = await import('./commands/note.js');
      await runNote(client, text, opts, ctx);
    });

  caseCommand('pause', 'suspend les relances d\'un client jusqu\'à une date')
    .argument('<client>', 'code client')
    .option('--until <AAAA-MM-JJ>', 'fin de la pause (obligatoire)')
    .option('--reason <texte>', 'motif de la pause, ou de son annulation (obligatoire)')
    .option('--replace', 'remplace la pause en cours du client (l\'ancienne reste au journal)')
    .option('--cancel', 'annule la pause en cours : les relances reprennent (avec --reason)')
    .action(async (client: string, opts) => {
      const { runPause } = await import('./commands/pause.js');
      await runPause(client, opts, ctx);
    });

  caseCommand('resume', 'reprend les relances d\'un client en pause')
    .argument('<client>', 'code client')
    .action(async (client: string, opts) => {
      const { runResume } = await import('./commands/pause.js');
      await runResume(client, opts, ctx);
    });

  caseCommand('writeoff', 'passe une créance en perte : elle sort des relances')
    .argument('<facture>', 'numéro de facture')
    .option('--reason <texte>', 'motif (obligatoire)')
    .action(async (ref: string, opts) => {
      const { runWriteoff } = await import('./commands/writeoff.js');
      await runWriteoff(ref, opts, ctx);
    });

  caseCommand('contentieux', 'clôt la remise au contentieux d\'un client (--close) : payé, abandonné ou passé en perte')
    .argument('<client>', 'code client')
    .option('--close', 'clôt la dernière remise au contentieux, à la date --as-of')
    .option('--outcome <issue>', 'issue : paye, abandon ou perte (perte : ses factures ouvertes passent en perte)')
    .option('--reason <texte>', 'motif (obligatoire)')
    .action(async (client: string, opts) => {
      const { runContentieux } = await import('./commands/contentieux.js');
      await runContentieux(client, opts, ctx);
    });

  addOptions(
    caseCommand('procedure', 'client en procédure collective : arrête ses relances, donne le délai de déclaration de créance (R622-24) et écrit la déclaration au mandataire ; --close y met fin')
      .argument('<client>', 'code client'),
    PROCEDURE_OPTIONS,
  ).action(async (client: string, opts) => {
    const { runProcedure } = await import('./commands/procedure.js');
    await runProcedure(client, opts, ctx);
  });

  caseCommand('client', 'l\'histoire d\'un client sur un écran : factures, actions, promesses, litiges, échéanciers, notes, prochaine étape')
    .argument('<client>', 'code client')
    .option('--wide', WIDE_HELP)
    .action(async (client: string, opts) => {
      const { runClient } = await import('./commands/client.js');
      await runClient(client, opts, ctx);
    });

  withInputOptions(
    program
      .command('kpi')
      .description('le rapport mensuel du DAF : DSO, recouvrement, activation, coût par euro recouvré, balance âgée, tendance'),
    'table, json, csv ou html (avec --out)',
  )
    .option('--sales <fichier>', 'ventes TTC par mois ou par facture, quand il n\'y a pas de FEC')
    .option('--month <AAAA-MM>', 'mois (défaut : le dernier mois complet)')
    .option('--quarter <AAAA-Tn>', 'trimestre, par exemple 2026-T3')
    .option('--from <AAAA-MM-JJ>', 'début d\'une période libre (avec --to)')
    .option('--to <AAAA-MM-JJ>', 'fin d\'une période libre')
    .option('--out <fichier>', 'avec --format html : la page à écrire')
    .option('--journal <fichier>', 'journal SQLite des actions, litiges et pertes (défaut : RELANCE_JOURNAL, sinon la clé journal)')
    .option('--wide', WIDE_HELP)
    .action(async (opts) => {
      const { runKpi } = await import('./commands/kpi.js');
      await runKpi(opts, ctx);
    });

  addOptions(
    withInputOptions(
      program
        .command('penalites')
        .description('factures payées en retard : pénalités L441-10 et indemnités de 40 € (D441-5) encore dues, par client ; relevés avec --letters'),
    ),
    PENALITES_OPTIONS,
  ).action(async (opts) => {
    const { runPenalites } = await import('./commands/penalites.js');
    await runPenalites(opts, ctx);
  });

  const commerciaux = addOptions(
    withInputOptions(
      program
        .command('commerciaux')
        .description('par commercial, ses clients en recouvrement : montants, prochaine étape et sa date ; --send leur envoie leur récapitulatif par e-mail'),
      'text ou json',
    ),
    COMMERCIAUX_OPTIONS,
  );
  // Its output is text, not a table: the shared --format's default said so.
  commerciaux.options.find((o) => o.long === '--format')?.default('text');
  commerciaux.action(async (opts) => {
    const { runCommerciaux } = await import('./commands/commerciaux.js');
    setExit((await runCommerciaux(opts, ctx)).exitCode);
  });

  addOptions(program.command('taches').description('les tâches à faire par une personne (lettre à poster, LRAR, appel, contentieux, déclaration), les plus anciennes d\'abord'), TACHES_OPTIONS)
    .action(async (opts) => {
      const { runTaches } = await import('./commands/taches.js');
      await runTaches(opts, ctx);
    });

  addOptions(
    program.command('fait').description('clôt une tâche : --lrar NUMÉRO pour une lettre recommandée (le délai d\'une mise en demeure court de son envoi)').argument('<id>', 'n° de la tâche (relance taches)'),
    FAIT_OPTIONS,
  ).action(async (id: string, opts) => {
    const { runFait } = await import('./commands/fait.js');
    await runFait(id, opts, ctx);
  });

  program
    .command('init')
    .description('écrit relance.yaml, une configuration commentée avec les valeurs par défaut')
    .option('--force', 'remplace un relance.yaml existant')
    .action(async (opts) => {
      const { runInit } = await import('./commands/init.js');
      runInit(opts, ctx);
    });

  for (const cmd of program.commands) {
    cmd
      .helpOption('-h, --help', "affiche l'aide")
      .configureHelp({ formatHelp: frenchHelp })
      .configureOutput(program.configureOutput())
      .exitOverride();
  }
  return program;
}

function frenchHelp(cmd: Command, helper: Help): string {
  return Help.prototype.formatHelp
    .call(helper, cmd, helper)
    .replace(/^Usage:/m, 'Utilisation :')
    .replace(/^Options:/m, 'Options :')
    .replace(/^Commands:/m, 'Commandes :')
    .replace(/^Arguments:/m, 'Arguments :')
    .replace(/\(default: ([^)]*)\)/g, '(défaut : $1)')
    .replace(/\[options\]/g, '[options]')
    .replace(/\[command\]/g, '[commande]');
}

const COMMANDER_MESSAGES: Record<string, (m: string) => string> = {
  'commander.unknownOption': (m) => `option inconnue ${quoted(m)}.${didYouMean(m)}`,
  'commander.unknownCommand': (m) => `commande inconnue ${quoted(m)}.${didYouMean(m)}`,
  'commander.missingArgument': (m) => `argument manquant ${quoted(m)}.`,
  'commander.optionMissingArgument': (m) => `valeur manquante pour l'option ${quoted(m)}.`,
  'commander.invalidArgument': (m) => `valeur refusée : ${m.replace(/^error: /, '').replace(/Allowed choices are/, 'valeurs possibles :')}`,
  'commander.excessArguments': () => `trop d'arguments.`,
};

function quoted(message: string): string {
  const m = /'([^']+)'/.exec(message);
  return m ? `« ${m[1]} »` : '';
}

/** Commander's own suggestion (it knows each command's options), in French. */
function didYouMean(message: string): string {
  const m = /\(Did you mean (?:one of )?(.+)\?\)/.exec(message);
  if (!m) return '';
  const names = m[1]!.split(', ').map((n) => `« ${n} »`);
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} ou ${names.at(-1)}` : names[0];
  return ` Vouliez-vous dire ${listed} ?`;
}

/** Defaults for a real run: the process's streams, directory and clock. */
export function processContext(): Context {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    now: () => new Date(),
    env: process.env,
    color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
    columns: terminalColumns(process.stdout.isTTY ? process.stdout.columns : undefined, process.env),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/**
 * Runs relance with the given arguments and returns the exit code: 0 success, 1 user
 * or data error, 2 some messages failed (send), 3 unexpected failure, 4 uncertain
 * messages wait for `relance resolve` (send). The one place
 * that prints errors.
 */
export async function main(argv: string[], ctx: Context = processContext()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  if (ctx.stdout === process.stdout) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(exitCode); // `relance … | head` stops quietly
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      const translate = COMMANDER_MESSAGES[err.code];
      ctx.stderr.write(`relance: erreur : ${translate ? translate(err.message) : err.message.replace(/^error: /, '')}\n`);
      const command = program.commands.find((c) => c.name() === argv.find((a) => !a.startsWith('-')));
      ctx.stderr.write(
        err.code === 'commander.unknownOption' && command
          ? `conseil : relance ${command.name()} --help liste ses options.\n`
          : `conseil : relance --help liste les commandes et leurs options.\n`,
      );
      return 1;
    }
    if (err instanceof RelanceError) {
      ctx.stderr.write(`relance: erreur : ${err.message}\n`);
      if (err.hint) ctx.stderr.write(`conseil : ${err.hint}\n`);
      return err.exitCode;
    }
    // Never a stack trace unless asked for: one line, the error's own words.
    const what = err instanceof Error ? `${err.message.split('\n')[0]} (${err.name})` : String(err);
    ctx.stderr.write(`relance: erreur inattendue : ${what}\n`);
    if (ctx.env.RELANCE_DEBUG === '1' && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    ctx.stderr.write(
      `conseil : c'est un défaut de relance ; signalez-le avec la commande lancée et ce message${ctx.env.RELANCE_DEBUG === '1' ? '' : ' (RELANCE_DEBUG=1 affiche la pile d\'appels)'}.\n`,
    );
    return 3;
  }
}
