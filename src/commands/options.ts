/**
 * A command's options, declared once: each option's flag, help text, example and zod
 * schema. The same declaration registers the flags with commander, writes the help,
 * types the parsed options and gives the README's option table, so the four never
 * disagree. A value the schema refuses is a French usage error naming the flag, the
 * value and an example.
 *
 * Declarations are loaded at every start of the CLI, zod only when options are parsed:
 * they are written with the `z` below, which records the builder calls (`z.string()
 * .optional()`) and replays them on zod itself at the first parse (issue 17: `relance
 * --help` and `relance init` start without loading zod).
 */
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import type { z as zod } from 'zod';
import { isIsoDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { impossibleDateOption, UsageError } from '../errors.js';

/** One option: `--flag <valeur>` (or a bare `--flag` for a boolean), its help and the schema of its value. */
export interface OptionDef<S extends zod.ZodType = zod.ZodType> {
  /** commander's syntax: `--from <AAAA-MM-JJ>`, `--close`. */
  flag: string;
  help: string;
  schema: S;
  /** A valid value, shown in the fix of an error: `2026-11-30`. */
  example?: string;
  /** Shown in the help as « (défaut : …) »; the schema supplies the value itself. */
  defaultLabel?: string;
  /** Given several times, each value is kept: the schema sees the list (undefined when absent). */
  repeatable?: boolean;
}

export type OptionDefs = Record<string, OptionDef>;

/** A positional argument: commander's syntax (`<client>`, `[fichiers...]`) and its help. */
export interface ArgumentDef {
  syntax: string;
  help: string;
}

/**
 * A command as cli.ts registers it without loading its module: name, description,
 * arguments, options, and the rules between options (conflicts, an option that needs
 * another), which throw a UsageError once every value is valid.
 */
export interface CommandSpec<D extends OptionDefs = OptionDefs> {
  name: string;
  description: string;
  args?: readonly ArgumentDef[];
  options: D;
  check?: (opts: OptionsOf<D>, args: readonly string[]) => void;
}

/** zod itself, as options are parsed with it. */
export type Zod = typeof zod;

/**
 * zod, loaded now (synchronously) for a caller that did not load it. The CLI passes the
 * zod it imported instead: the one the configuration is checked with, loaded once.
 */
function requireZod(): Zod {
  return (createRequire(import.meta.url)('zod') as { z: Zod }).z;
}

/** Where a recorded schema keeps its builder calls. */
const RECIPE = Symbol('recipe');

/** One builder call of a recorded schema: a property read, or a call with its arguments. */
type Step = { get: string } | { call: readonly unknown[] };

/**
 * The zod builders a declaration may call, recorded; any other property of a recorded
 * schema is undefined, so that nothing probing it (a promise, a test's matcher) sees a
 * schema. A declaration needing another builder adds its name here.
 */
const BUILDERS = new Set([
  'string', 'boolean', 'number', 'array', 'enum', 'literal', 'union',
  'optional', 'nullable', 'default', 'transform', 'refine', 'superRefine', 'pipe', 'trim', 'min', 'max', 'regex',
]);

/** A recorded schema: each builder call returns a longer recording; nothing of zod runs. */
function recorded(steps: readonly Step[]): unknown {
  return new Proxy(function schema() {}, {
    get: (_, key) => (key === RECIPE ? steps : typeof key === 'string' && BUILDERS.has(key) ? recorded([...steps, { get: key }]) : undefined),
    apply: (_, __, args: unknown[]) => recorded([...steps, { call: args }]),
  });
}

/**
 * The zod builders option declarations are written with (`z.string()`, `z.enum([…])`,
 * then `.optional()`, `.transform(fn)`…), typed as zod's own: realize() turns what they
 * recorded into the schema zod would have built.
 */
export const z = recorded([]) as Zod;

/** The zod schema a declaration recorded, built with `zod` (a schema built by zod itself is returned as is). */
function realize<S>(schema: S, zod: Zod): S {
  const steps = (schema as { [RECIPE]?: readonly Step[] } | null)?.[RECIPE];
  if (steps === undefined) return schema;
  let holder: unknown;
  let value: unknown = zod;
  for (const step of steps) {
    if ('get' in step) {
      holder = value;
      value = (value as Record<string, unknown>)[step.get];
    } else {
      value = (value as (...a: unknown[]) => unknown).apply(holder, step.call.map((a) => realize(a, zod)));
      holder = undefined;
    }
  }
  return value as S;
}

/**
 * Parses a command's options, then applies its rules between them. `zod` is the one the
 * caller loaded; without it, zod is loaded here if an option needs it (see needsZod).
 */
export function parseCommand<D extends OptionDefs>(spec: CommandSpec<D>, raw: Record<string, unknown>, args: readonly string[], zod?: Zod): OptionsOf<D> {
  const opts = parseOptions(spec.options, raw, zod);
  spec.check?.(opts, args);
  return opts;
}

/**
 * A refusal with its own whole message and fix, for a schema whose error the user
 * already knows word for word (the error catalogue pins them): parseOptions throws it as is.
 * What it returns is never used: zod drops the value of a parse that has an issue
 * (it stands for z.NEVER, which the recorded `z` cannot give while a value is parsed).
 */
export function refuse(ctx: zod.RefinementCtx, error: UsageError): never {
  ctx.addIssue({ code: 'custom', message: error.message, params: { usage: error } });
  return undefined as never;
}

/** The parsed options of a declaration. */
export type OptionsOf<D extends OptionDefs> = { [K in keyof D]: zod.output<D[K]['schema']> };

/** The long flag alone: `--from`. */
export function flagName(def: OptionDef): string {
  return def.flag.split(/[ ,]/)[0]!;
}

/** Whether parsing these options needs zod: bare flags are read without it (`relance init` never loads it). */
export function needsZod(defs: OptionDefs): boolean {
  return Object.values(defs).some((def) => def.schema !== flagValue);
}

/** Registers every option of a declaration on a commander command. */
export function addOptions(cmd: Command, defs: OptionDefs): Command {
  for (const def of Object.values(defs)) {
    const help = helpOf(def);
    if (def.repeatable) cmd.option(def.flag, help, collect);
    else cmd.option(def.flag, help);
  }
  return cmd;
}

/** Registers the positional arguments of a command. */
export function addArguments(cmd: Command, args: readonly ArgumentDef[]): Command {
  for (const a of args) cmd.argument(a.syntax, a.help);
  return cmd;
}

/** The help of one option, its default said after it. */
function helpOf(def: OptionDef): string {
  return def.defaultLabel ? `${def.help} (défaut : ${def.defaultLabel})` : def.help;
}

/** Commander's accumulator for a repeatable option. */
function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Checks and converts what commander collected (camel-cased keys, strings, `true` for a
 * bare flag, undefined when absent). The first refused value is a UsageError.
 */
export function parseOptions<D extends OptionDefs>(defs: D, raw: Record<string, unknown>, zod?: Zod): OptionsOf<D> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defs)) {
    const value = raw[key];
    if (def.schema === flagValue && (value === undefined || typeof value === 'boolean')) {
      out[key] = value === true; // what flagValue gives, without loading zod
      continue;
    }
    zod ??= requireZod();
    const parsed = realize(def.schema, zod).safeParse(value);
    if (!parsed.success) {
      const own = (parsed.error.issues[0] as { params?: { usage?: unknown } } | undefined)?.params?.usage;
      if (own instanceof UsageError) throw own;
      const flag = flagName(def);
      const message = parsed.error.issues[0]?.message ?? 'valeur refusée';
      const example = def.example ? `par exemple ${flag} ${def.example}` : `voir relance help`;
      if (value === undefined) throw new UsageError(`${flag} est obligatoire.`, `donnez-le, ${example}.`);
      const impossible = typeof value === 'string' ? impossibleDateOption(flag, value) : null;
      if (impossible) throw impossible;
      throw new UsageError(`valeur invalide pour ${flag} : « ${String(value)} » (${message}).`, `écrivez-la autrement, ${example}.`);
    }
    out[key] = parsed.data;
  }
  return out as OptionsOf<D>;
}

/**
 * The option table of a command, in Markdown, for the README. Options shared with other
 * commands by spreading a common declaration (`omit`, the input options) have their own
 * table once: only those the command changes appear again.
 */
export function optionTable(defs: OptionDefs, omit: OptionDefs = {}): string {
  const shared = new Set(Object.values(omit));
  const rows = Object.values(defs)
    .filter((d) => !shared.has(d))
    .map((d) => `| \`${d.flag}\` | ${helpOf(d)} |`);
  return ['| option | effet |', '|---|---|', ...rows].join('\n');
}

// ---------------------------------------------------------------------------------
// The value schemas options are made of; their messages are French.

/** A calendar date AAAA-MM-JJ that exists. */
export const dateValue = z.string().refine(isIsoDate, { message: 'date AAAA-MM-JJ attendue' }).transform((s) => s as CalendarDate);

/** An amount in euros (`1500`, `1 500,00`), as cents, not negative. */
export const centsValue = z
  .string()
  .transform((s, ctx): Cents => {
    const cents = parseCents(s);
    if (cents === null || Number.isNaN(cents) || cents < 0) {
      ctx.addIssue({ code: 'custom', message: 'montant en euros attendu' });
      return undefined as never; // dropped: the parse has an issue (see refuse)
    }
    return cents;
  });

/** A non-empty text, trimmed. */
export const textValue = z.string().trim().min(1, { message: 'texte vide' });

/** One of a fixed list of words. */
export function choiceValue<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { message: `valeurs possibles : ${values.join(', ')}` });
}

/** A whole number from `min` to `max`, refused in the command's own words; undefined when absent. */
export function wholeNumberValue(min: number, max: number, refusal: (raw: string) => UsageError) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | undefined => {
      if (raw === undefined) return undefined;
      const n = Number(raw);
      return Number.isInteger(n) && n >= min && n <= max ? n : refuse(ctx, refusal(raw));
    });
}

/** A bare flag: true when given. */
export const flagValue = z.boolean().optional().transform((b) => b === true);

