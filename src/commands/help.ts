/**
 * `relance --help` (also `relance -h`, `relance help` and `relance` alone): the list of
 * commands, printed from their declarations without loading commander (issue 17: it is
 * half of what a start costs). The text is commander's own, byte for byte, at any width:
 * the layout below is commander 14's `Help.formatHelp`, and test/commands/startup.test.ts
 * compares the two at every width from 1 to 200 columns; any other use of the program
 * (a command's help, an option, an error) goes through commander.
 */
import type { CommandSpec } from './options.js';

/** The program's name, description and built-in options, shared with cli.ts's commander program. */
export const PROGRAM = {
  name: 'relance',
  description: 'Relance des factures impayées pour les PME : lit les exports Sage, Cegid, EBP et le FEC.',
  version: '0.1.0',
  versionOption: { flags: '-V, --version', help: 'affiche la version' },
  helpOption: { flags: '-h, --help', help: "affiche l'aide" },
  helpCommand: { syntax: 'help [commande]', help: "affiche l'aide d'une commande" },
} as const;

/**
 * Where the program's help goes when `argv` asks for it and nothing else: stdout for
 * `--help`, `-h` and `help`, stderr for no argument at all (commander's choice); null
 * for any other arguments, which commander handles.
 */
export function programHelpStream(argv: readonly string[]): 'stdout' | 'stderr' | null {
  if (argv.length === 0) return 'stderr';
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) return 'stdout';
  return null;
}

/**
 * The program's help at `width` columns, as commander prints it (see cli.ts's buildProgram):
 * each command listed as `name [options] <args>` whether its options are registered or not.
 */
export function programHelp(commands: readonly CommandSpec[], width: number): string {
  const items: [string, string][] = commands.map((spec) => [commandTerm(spec), spec.description]);
  items.push([PROGRAM.helpCommand.syntax, PROGRAM.helpCommand.help]);
  const options: [string, string][] = [
    [PROGRAM.versionOption.flags, PROGRAM.versionOption.help],
    [PROGRAM.helpOption.flags, PROGRAM.helpOption.help],
  ];
  const termWidth = Math.max(...[...options, ...items].map(([term]) => displayWidth(term)));
  const item = ([term, description]: [string, string]): string => formatItem(term, termWidth, description, width);
  const text = [
    `Usage: ${PROGRAM.name} [options] [command]`,
    '',
    boxWrap(PROGRAM.description, width),
    '',
    'Options:',
    ...options.map(item),
    '',
    'Commands:',
    ...items.map(item),
    '',
  ].join('\n');
  return frenchHelpText(text);
}

/** Commander's help in French: its headings, `(default: …)` and `[command]`. */
export function frenchHelpText(text: string): string {
  return text
    .replace(/^Usage:/m, 'Utilisation :')
    .replace(/^Options:/m, 'Options :')
    .replace(/^Commands:/m, 'Commandes :')
    .replace(/^Arguments:/m, 'Arguments :')
    .replace(/\(default: ([^)]*)\)/g, '(défaut : $1)')
    .replace(/\[command\]/g, '[commande]');
}

/** A command's term: commander's `subcommandTerm` with the declared options and arguments. */
function commandTerm(spec: CommandSpec): string {
  const args = (spec.args ?? []).map((a) => argumentTerm(a.syntax)).join(' ');
  return spec.name + (Object.keys(spec.options).length > 0 ? ' [options]' : '') + (args ? ` ${args}` : '');
}

/** An argument as commander shows it (its `Argument` then `humanReadableArgName`). */
function argumentTerm(syntax: string): string {
  const required = syntax[0] !== '[';
  let name = syntax[0] === '<' || syntax[0] === '[' ? syntax.slice(1, -1) : syntax;
  const variadic = name.endsWith('...');
  if (variadic) name = name.slice(0, -3);
  const shown = name + (variadic ? '...' : '');
  return required ? `<${shown}>` : `[${shown}]`;
}

// Commander's layout (lib/help.js): items indented by 2, terms padded to the longest,
// 2 spaces, then the description wrapped to what is left, unless less than 40 columns are.
const ITEM_INDENT = 2;
const SPACER = 2;
const MIN_WIDTH_TO_WRAP = 40;

function formatItem(term: string, termWidth: number, description: string, helpWidth: number): string {
  const indent = ' '.repeat(ITEM_INDENT);
  if (!description) return indent + term;
  const paddedTerm = term.padEnd(termWidth + term.length - displayWidth(term));
  const remainingWidth = helpWidth - termWidth - SPACER - ITEM_INDENT;
  const formatted =
    remainingWidth < MIN_WIDTH_TO_WRAP || /\n[^\S\r\n]/.test(description)
      ? description
      : boxWrap(description, remainingWidth).replace(/\n/g, `\n${' '.repeat(termWidth + SPACER)}`);
  return indent + paddedTerm + ' '.repeat(SPACER) + formatted.replace(/\n/g, `\n${indent}`);
}

/** Wraps at whitespace, keeping line breaks; not below 40 columns. */
function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const wrapped: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      wrapped.push('');
      continue;
    }
    let sum = [chunks.shift()!];
    let sumWidth = displayWidth(sum[0]!);
    for (const chunk of chunks) {
      const w = displayWidth(chunk);
      if (sumWidth + w <= width) {
        sum.push(chunk);
        sumWidth += w;
        continue;
      }
      wrapped.push(sum.join(''));
      const next = chunk.trimStart();
      sum = [next];
      sumWidth = displayWidth(next);
    }
    wrapped.push(sum.join(''));
  }
  return wrapped.join('\n');
}

/** Width without ANSI colour codes, as commander counts it. */
function displayWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.includes('\x1b') ? text.replace(/\x1b\[\d*(;\d*)*m/g, '').length : text.length;
}
