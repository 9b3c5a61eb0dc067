import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseTerms, type PaymentTerms } from './core/terms.js';
import { ConfigError } from './errors.js';
import { FIELDS, type TabularKind } from './read/profiles.js';

const termsText = z.string().refine((t) => parseTerms(t) !== null, {
  message: 'conditions de règlement attendues, par exemple « 30 jours » ou « 45 jours fin de mois »',
});

const columnMap = (kind: TabularKind) =>
  z
    .record(z.string(), z.string())
    .superRefine((map, ctx) => {
      for (const field of Object.keys(map)) {
        if (!(FIELDS[kind] as readonly string[]).includes(field)) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `champ inconnu ; champs possibles : ${FIELDS[kind].join(', ')}`,
          });
        }
      }
    })
    .optional();

/** The configuration file's schema: every key, its default, and what it accepts. */
export const configSchema = z
  .object({
    paymentTerms: termsText.default('30 jours'),
    maxExportAgeDays: z.number().int().min(0).default(3),
    columns: z
      .object({ balance: columnMap('balance'), payments: columnMap('payments'), clients: columnMap('clients') })
      .strict()
      .default({}),
    fec: z
      .object({
        customerAccounts: z.array(z.string().regex(/^\d+$/, 'préfixe de compte en chiffres, par exemple "411"')).min(1).default(['411', '416']),
        openingJournals: z.array(z.string()).default([]),
      })
      .strict()
      .default({ customerAccounts: ['411', '416'], openingJournals: [] }),
  })
  .strict();

/** The validated configuration. */
export type Config = z.infer<typeof configSchema> & { defaultTerms: PaymentTerms };

/** Names of the config files looked for in the working directory when none is given. */
export const DEFAULT_CONFIG_FILES = ['relance.yaml', 'relance.yml', 'relance.json'];

/**
 * Loads the config: the file given, else `relance.yaml` in `cwd` when there is one,
 * else the defaults. Every error names the key path and what was expected.
 */
export function loadConfig(file: string | null, cwd: string): Config {
  let path = file === null ? null : resolve(cwd, file);
  if (path === null) path = DEFAULT_CONFIG_FILES.map((f) => `${cwd}/${f}`).find((f) => existsSync(f)) ?? null;
  let raw: unknown = {};
  if (path !== null) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError(`fichier de configuration introuvable : ${relative(cwd, path)}.`, `vérifiez le chemin donné à --config.`);
    }
    try {
      raw = path.endsWith('.json') ? JSON.parse(text) : (parseYaml(text) ?? {});
    } catch (err) {
      throw new ConfigError(
        `${relative(cwd, path)} : configuration illisible (${(err as Error).message.split('\n')[0]}).`,
        `vérifiez l'indentation YAML (des espaces, pas de tabulations) et les guillemets.`,
      );
    }
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => {
      const key = i.path.length > 0 ? i.path.join('.') : '(racine)';
      return `  - ${key} : ${frenchIssue(i)}`;
    });
    throw new ConfigError(
      `${relative(cwd, path!)} : configuration invalide :\n${issues.join('\n')}`,
      `corrigez ces clés ; \`relance init\` écrit une configuration commentée de départ.`,
    );
  }
  return { ...result.data, defaultTerms: parseTerms(result.data.paymentTerms)! };
}

function frenchIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `clé inconnue ${issue.keys.map((k) => `« ${k} »`).join(', ')}`;
    case 'invalid_type':
      return `type attendu : ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return `valeur trop petite (minimum ${String(issue.minimum)})`;
    default:
      return issue.message;
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: 'nombre',
  string: 'texte',
  array: 'liste',
  object: 'section (clé: valeur)',
  boolean: 'oui/non (true/false)',
};
