/**
 * A command's options, declared once: each option's flag, help text, example and zod
 * schema. The same declaration registers the flags with commander, writes the help,
 * types the parsed options and gives the README's option table, so the four never
 * disagree. A value the schema refuses is a French usage error naming the flag, the
 * value and an example.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { isIsoDate, type CalendarDate } from '../core/dates.js';
import { parseCents, type Cents } from '../core/money.js';
import { impossibleDateOption, UsageError } from '../errors.js';

/** One option: `--flag <valeur>` (or a bare `--flag` for a boolean), its help and the schema of its value. */
export interface OptionDef<S extends z.ZodType = z.ZodType> {
  /** commander's syntax: `--from <AAAA-MM-JJ>`, `--close`. */
  flag: string;
  help: string;
  schema: S;
  /** A valid value, shown in the fix of an error: `2026-11-30`. */
  example?: string;
  /** Shown in the help as « (défaut : …) »; the schema supplies the value itself. */
  defaultLabel?: string;
}

export type OptionDefs = Record<string, OptionDef>;

/** The parsed options of a declaration. */
export type OptionsOf<D extends OptionDefs> = { [K in keyof D]: z.output<D[K]['schema']> };

/** The long flag alone: `--from`. */
export function flagName(def: OptionDef): string {
  return def.flag.split(/[ ,]/)[0]!;
}

/** Registers every option of a declaration on a commander command. */
export function addOptions(cmd: Command, defs: OptionDefs): Command {
  for (const def of Object.values(defs)) {
    cmd.option(def.flag, def.defaultLabel ? `${def.help} (défaut : ${def.defaultLabel})` : def.help);
  }
  return cmd;
}

/**
 * Checks and converts what commander collected (camel-cased keys, strings, `true` for a
 * bare flag, undefined when absent). The first refused value is a UsageError.
 */
export function parseOptions<D extends OptionDefs>(defs: D, raw: Record<string, unknown>): OptionsOf<D> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defs)) {
    const value = raw[key];
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) {
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

/** The option table of a command, in Markdown, for the README. */
export function optionTable(defs: OptionDefs): string {
  const rows = Object.values(defs).map((d) => `| \`${d.flag}\` | ${d.help}${d.defaultLabel ? ` (défaut : ${d.defaultLabel})` : ''} |`);
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
      return z.NEVER;
    }
    return cents;
  });

/** A non-empty text, trimmed. */
export const textValue = z.string().trim().min(1, { message: 'texte vide' });

/** One of a fixed list of words. */
export function choiceValue<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { message: `valeurs possibles : ${values.join(', ')}` });
}

/** A bare flag: true when given. */
export const flagValue = z.boolean().optional().transform((b) => b === true);

