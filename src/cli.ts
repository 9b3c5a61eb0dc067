import type { Command, Help } from 'commander';
import { RelanceError } from './errors.js';
import { terminalColumns, type Context } from './context.js';
import { frenchHelpText, programHelp, programHelpStream, PROGRAM } from './commands/help.js';
import { addArguments, addOptions, flagValue, needsZod, parseCommand, type CommandSpec, type OptionDefs, type OptionsOf } from './commands/options.js';
import { CHECK_COMMAND } from './commands/check-options.js';
import { CLIENT_COMMAND } from './commands/client-options.js';
import { COMMERCIAUX_COMMAND } from './commands/commerciaux-options.js';
import { CONTENTIEUX_COMMAND } from './commands/contentieux-options.js';
import { DISPUTE_COMMAND } from './commands/dispute-options.js';
import { ECHEANCIER_COMMAND } from './commands/echeancier-options.js';
import { INIT_COMMAND } from './commands/init-options.js';
import { INSPECT_COMMAND } from './commands/inspect-options.js';
import { JOURNAL_COMMAND } from './commands/journal-options.js';
import { KPI_COMMAND } from './commands/kpi-options.js';
import { NOTE_COMMAND } from './commands/note-options.js';
import { PAUSE_COMMAND, RESUME_COMMAND } from './commands/pause-options.js';
import { PENALITES_COMMAND } from './commands/penalites-options.js';
import { PLAN_COMMAND } from './commands/plan-options.js';
import { PROCEDURE_COMMAND } from './commands/procedure-options.js';
import { PROMISE_COMMAND } from './commands/promise-options.js';
import { RESOLVE_COMMAND } from './commands/resolve-options.js';
import { SEND_COMMAND } from './commands/send-options.js';
import { FAIT_COMMAND, TACHES_COMMAND } from './commands/taches-options.js';
import { WRITEOFF_COMMAND } from './commands/writeoff-options.js';

/** What a command's run gives back to the program: its exit code, when it sets one. */
type Outcome = number | void;

/**
 * One entry of the registry: the command's declaration (name, description, arguments,
 * options) and how to run it. Its module is loaded only when it runs.
 */
export interface CommandEntry {
  spec: CommandSpec;
  run: (raw: Record<string, unknown>, args: string[], ctx: Context) => Promise<Outcome>;
}

/** A command whose run takes its parsed options; zod is loaded then, not at startup. */
function command<D extends OptionDefs>(spec: CommandSpec<D>, run: (opts: OptionsOf<D>, args: string[], ctx: Context) => Promise<Outcome>): CommandEntry {
  return { spec: spec as unknown as CommandSpec, run: async (raw, args, ctx) => run(parseCommand(spec, raw, args, needsZod(spec.options) ? (await import('zod')).z : undefined), args, ctx) };
}

/** The command registry, in the order of `relance --help`. */
export const COMMANDS: readonly CommandEntry[] = [
  command(INSPECT_COMMAND, async (o, args, ctx) => void (await (await import('./commands/inspect.js')).runInspect(args.flat(), o, ctx))),
  command(CHECK_COMMAND, async (o, _, ctx) => (await (await import('./commands/check.js')).runCheck(o, ctx)).exitCode),
  command(PLAN_COMMAND, async (o, _, ctx) => void (await (await import('./commands/plan.js')).runPlan(o, ctx))),
  command(SEND_COMMAND, async (o, _, ctx) => (await (await import('./commands/send.js')).runSend(o, ctx)).exitCode),
  command(JOURNAL_COMMAND, async (o, _, ctx) => void (await import('./commands/journal.js')).runJournal(o, ctx)),
  command(RESOLVE_COMMAND, async (o, [id], ctx) => void (await import('./commands/resolve.js')).runResolve(id!, o, ctx)),
  command(PROMISE_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/promise.js')).runPromise(client!, o, ctx))),
  command(DISPUTE_COMMAND, async (o, [ref], ctx) => (await import('./commands/dispute.js')).runDispute(ref!, o, ctx)),
  command(ECHEANCIER_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/echeancier.js')).runEcheancier(client!, o, ctx))),
  command(NOTE_COMMAND, async (o, [client, text], ctx) => (await import('./commands/note.js')).runNote(client!, text!, o, ctx)),
  command(PAUSE_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/pause.js')).runPause(client!, o, ctx))),
  command(RESUME_COMMAND, async (o, [client], ctx) => (await import('./commands/pause.js')).runResume(client!, o, ctx)),
  command(WRITEOFF_COMMAND, async (o, [ref], ctx) => (await import('./commands/writeoff.js')).runWriteoff(ref!, o, ctx)),
  command(CONTENTIEUX_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/contentieux.js')).runContentieux(client!, o, ctx))),
  command(PROCEDURE_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/procedure.js')).runProcedure(client!, o, ctx))),
  command(CLIENT_COMMAND, async (o, [client], ctx) => void (await (await import('./commands/client.js')).runClient(client!, o, ctx))),
  command(KPI_COMMAND, async (o, _, ctx) => void (await (await import('./commands/kpi.js')).runKpi(o, ctx))),
  command(PENALITES_COMMAND, async (o, _, ctx) => void (await (await import('./commands/penalites.js')).runPenalites(o, ctx))),
  command(COMMERCIAUX_COMMAND, async (o, _, ctx) => (await (await import('./commands/commerciaux.js')).runCommerciaux(o, ctx)).exitCode),
  command(TACHES_COMMAND, async (o, _, ctx) => void (await (await import('./commands/taches.js')).runTaches(o, ctx))),
  command(FAIT_COMMAND, async (o, [id], ctx) => void (await (await import('./commands/fait.js')).runFait(id!, o, ctx))),
  command(INIT_COMMAND, async (o, _, ctx) => void (await import('./commands/init.js')).runInit(o, ctx)),
];

/** commander, loaded when a command runs or prints its own help, not for `relance --help`. */
type Commander = typeof import('commander');

/**
 * The program: French help and errors, commander's output to the context's streams, then
 * every command of the registry; only the command `argv` runs gets its options (hundreds
 * of options registered for nothing would slow every start).
 */
export function buildProgram(lib: Commander, ctx: Context, setExit: (code: number) => void, argv: readonly string[]): Command {
  const formatHelp = (cmd: Command, helper: Help): string => frenchHelpText(lib.Help.prototype.formatHelp.call(helper, cmd, helper));
  /**
   * A command's line in `relance --help`: commander's, which says `[options]` only for the
   * options registered, so said from the declaration for the commands that do not run.
   */
  function declaredTerm(this: Help, cmd: Command): string {
    const term = lib.Help.prototype.subcommandTerm.call(this, cmd);
    const declared = COMMANDS.find((c) => c.spec.name === cmd.name())?.spec;
    if (!declared || cmd.options.length > 0 || Object.keys(declared.options).length === 0) return term;
    return `${cmd.name()} [options]${term.slice(cmd.name().length)}`;
  }
  const program = new lib.Command(PROGRAM.name)
    .description(PROGRAM.description)
    .version(PROGRAM.version, PROGRAM.versionOption.flags, PROGRAM.versionOption.help)
    .helpOption(PROGRAM.helpOption.flags, PROGRAM.helpOption.help)
    .helpCommand(PROGRAM.helpCommand.syntax, PROGRAM.helpCommand.help)
    .showHelpAfterError(false)
    .configureHelp({ formatHelp, subcommandTerm: declaredTerm })
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: () => {}, // main() prints commander's errors in French
    })
    .exitOverride();
  const running = commandOf(argv);
  for (const entry of COMMANDS) registerCommand(program, entry, entry.spec.name === running, formatHelp, ctx, setExit);
  return program;
}

/**
 * The name of the command commander will dispatch `argv` to: its first word, or the word
 * after `help` (relance's own options take no value, so no word is an option's value).
 */
function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * Adds one command of the registry: its arguments and, when it runs, its options, from its
 * declaration; its action loads its module.
 */
function registerCommand(
  program: Command,
  { spec, run }: CommandEntry,
  runs: boolean,
  formatHelp: (cmd: Command, helper: Help) => string,
  ctx: Context,
  setExit: (code: number) => void,
): void {
  const cmd = program.command(spec.name).description(spec.description);
  addArguments(cmd, spec.args ?? []);
  if (runs) addOptions(cmd, spec.options);
  cmd
    .helpOption(PROGRAM.helpOption.flags, PROGRAM.helpOption.help)
    .configureHelp({ formatHelp })
    .configureOutput(program.configureOutput())
    .exitOverride()
    .action(async (...given: unknown[]) => {
      // commander passes the arguments, then the options, then the command itself.
      const raw = given.at(-2) as Record<string, unknown>;
      const code = await run(raw, given.slice(0, -2) as string[], ctx);
      if (typeof code === 'number') setExit(code);
    });
}

/**
 * A run commander would parse without a doubt, run without loading it (issue 17): a
 * command that takes no argument, given nothing but some of its own bare long flags
 * (`relance init`, `relance init --force`). Its raw options are what commander would
 * collect: `true` under each flag's camel-cased name. Null for any other arguments.
 */
export function plainRun(argv: readonly string[]): { entry: CommandEntry; raw: Record<string, unknown> } | null {
  const entry = COMMANDS.find((c) => c.spec.name === argv[0]);
  if (entry === undefined || (entry.spec.args ?? []).length > 0) return null;
  const flags = new Set(Object.values(entry.spec.options).filter((def) => def.schema === flagValue && !def.repeatable && /^--(?!no-)[a-z0-9]+(-[a-z0-9]+)*$/.test(def.flag)).map((def) => def.flag));
  const raw: Record<string, unknown> = {};
  for (const word of argv.slice(1)) {
    if (!flags.has(word)) return null;
    raw[word.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = true;
  }
  return { entry, raw };
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
  if (ctx.stdout === process.stdout) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(exitCode); // `relance … | head` stops quietly
    });
  }
  const helpTo = programHelpStream(argv);
  if (helpTo !== null) {
    // The width commander would take: the terminal's, else 80 (it ignores COLUMNS).
    const terminal = helpTo === 'stdout' ? process.stdout : process.stderr;
    const width = (terminal.isTTY ? terminal.columns : undefined) ?? 80;
    (helpTo === 'stdout' ? ctx.stdout : ctx.stderr).write(programHelp(COMMANDS.map((c) => c.spec), width));
    return 0;
  }
  const setExit = (code: number): void => {
    exitCode = code;
  };
  let lib: Commander | undefined;
  let program: Command | undefined;
  try {
    const plain = plainRun(argv);
    if (plain !== null) {
      const code = await plain.entry.run(plain.raw, [], ctx);
      if (typeof code === 'number') setExit(code);
      return exitCode;
    }
    lib = await import('commander');
    program = buildProgram(lib, ctx, setExit, argv);
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (lib !== undefined && program !== undefined && err instanceof lib.CommanderError) {
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
