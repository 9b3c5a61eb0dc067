import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseTerms, type PaymentTerms } from './core/terms.js';
import { ConfigError } from './errors.js';
import { impossibleDate, isIsoDate } from './core/dates.js';
import { suggestName } from './core/similar.js';
import { parseCents } from './core/money.js';
import { CHANNELS, DEFAULT_LADDERS, STEPS, type Ladder } from './core/scenario.js';
import { DEFAULT_WEIGHTS } from './core/score.js';
import { DEFAULT_THRESHOLDS } from './core/segment.js';
import type { PlanSettings } from './core/plan.js';
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

/** An amount in euros as a number (`50`, `12.5`) or French text (`"1 234,56"`), held in cents. */
const euros = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const cents = typeof v === 'number' ? Math.round(v * 100) : parseCents(v);
  if (cents === null || Number.isNaN(cents) || cents < 0) {
    ctx.addIssue({ code: 'custom', message: 'montant en euros attendu, par exemple 50 ou "1 234,56"' });
    return z.NEVER;
  }
  return cents;
});

const isoDate = z.string().superRefine((text, ctx) => {
  if (isIsoDate(text)) return;
  const why = /^\d{4}-\d{2}-\d{2}$/.test(text) ? impossibleDate(text) : null;
  ctx.addIssue({ code: 'custom', message: why ? `date impossible « ${text} » (${why.reason})` : 'date AAAA-MM-JJ attendue' });
});

const segment = z.enum(['bon', 'occasionnel', 'chronique', 'nouveau']);

const ladder = z
  .array(
    z
      .object({
        step: z.enum(STEPS),
        offsetDays: z.number().int(),
        channel: z.enum(CHANNELS),
      })
      .strict(),
  )
  .min(1)
  .superRefine((rungs, ctx) => {
    for (let i = 1; i < rungs.length; i++) {
      const prev = rungs[i - 1]!;
      const cur = rungs[i]!;
      if (STEPS.indexOf(cur.step) <= STEPS.indexOf(prev.step) || cur.offsetDays <= prev.offsetDays) {
        ctx.addIssue({ code: 'custom', path: [i], message: `les étapes doivent suivre l'ordre ${STEPS.join(', ')}, à des jours croissants` });
      }
    }
  });

/** The configuration file's schema: every key, its default, and what it accepts. */
export const configSchema = z
  .object({
    company: z
      .object({
        name: z.string().default('Votre société'),
        address: z.array(z.string()).default([]),
        siren: z.string().regex(/^\d{9}$/, 'SIREN à 9 chiffres, sans espaces').optional(),
        contactName: z.string().optional(),
        contactEmail: z.string().email('adresse e-mail attendue').optional(),
        contactPhone: z.string().optional(),
        iban: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9 ]{10,30}$/, 'IBAN attendu, par exemple FR76 3000 6000 0112 3456 7890 189').optional(),
        /** With the IBAN, the SEPA payment QR code (EPC069-12) of e-mails and letters. */
        bic: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'BIC de 8 ou 11 caractères attendu, par exemple AGRIFRPP').optional(),
        /** A PNG or JPEG file printed in the letters' letterhead, relative to the config's folder. */
        logo: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    paymentTerms: termsText.default('30 jours'),
    minimumAmount: euros.prefault(50),
    planDays: z.number().int().min(1).max(31).default(7),
    minimumGapDays: z.number().int().min(0).max(60).default(7),
    promiseGraceDays: z.number().int().min(0).default(3),
    sales: z.record(z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois AAAA-MM attendu'), euros).default({}),
    journal: z.string().min(1).optional(),
    segments: z
      .object({
        minHistory: z.number().int().min(0).default(DEFAULT_THRESHOLDS.minHistory),
        graceDays: z.number().int().min(0).default(DEFAULT_THRESHOLDS.graceDays),
        bonMaxDaysLate: z.number().default(DEFAULT_THRESHOLDS.bonMaxDaysLate),
        bonMaxLateShare: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.bonMaxLateShare),
        chroniqueMinDaysLate: z.number().default(DEFAULT_THRESHOLDS.chroniqueMinDaysLate),
        chroniqueMinLateShare: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.chroniqueMinLateShare),
        clients: z.record(z.string(), segment).default({}),
      })
      .strict()
      .prefault({}),
    score: z
      .object({
        baseProbability: z.number().min(0).max(1).default(DEFAULT_WEIGHTS.baseProbability),
        maxProbability: z.number().min(0).max(1).default(DEFAULT_WEIGHTS.maxProbability),
        ageScaleDays: z.number().positive().default(DEFAULT_WEIGHTS.ageScaleDays),
        risk: z
          .object({
            bon: z.number().min(0).default(DEFAULT_WEIGHTS.risk.bon),
            nouveau: z.number().min(0).default(DEFAULT_WEIGHTS.risk.nouveau),
            occasionnel: z.number().min(0).default(DEFAULT_WEIGHTS.risk.occasionnel),
            chronique: z.number().min(0).default(DEFAULT_WEIGHTS.risk.chronique),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    scenario: z
      .object({
        ladders: z.record(z.string(), ladder).default({}),
        clients: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .prefault({})
      .superRefine((sc, ctx) => {
        const names = new Set([...Object.keys(DEFAULT_LADDERS), ...Object.keys(sc.ladders)]);
        for (const [code, name] of Object.entries(sc.clients)) {
          if (!names.has(name)) {
            ctx.addIssue({ code: 'custom', path: ['clients', code], message: `scénario inconnu « ${name} » ; scénarios : ${[...names].join(', ')}` });
          }
        }
      }),
    templatesDir: z.string().optional(),
    /** Where send writes the day's letters (PDF), a-imprimer.pdf and lrar.csv; AAAA-MM-JJ is the send date. */
    lettersDir: z.string().min(1).default('courriers/AAAA-MM-JJ'),
    /** A task (letter to post, LRAR, call…) not done after this many days is flagged by plan and send. */
    taskOverdueDays: z.number().int().min(1).max(60).default(5),
    /** An online payment link per message, e.g. https://pay.example.fr/{{ref}} (refs of the invoices, comma-separated). */
    paymentUrl: z.string().min(1).optional(),
    /** The internal alert to the client's sales rep before an escalade or a formal notice. */
    salesAlerts: z
      .object({
        enabled: z.boolean().default(true),
        daysBefore: z.number().int().min(0).max(30).default(3),
      })
      .strict()
      .prefault({}),
    echeancier: z
      .object({
        // What the payment-plan letter says of the penalties (L441-10) and 40 € indemnities
        // (D441-5) already accrued: waived, suspended while the plan is honoured, or still due.
        penalties: z.enum(['abandonnees', 'suspendues', 'dues']).default('suspendues'),
        // Days a formal notice gives, after a missed instalment, before the whole balance is due.
        noticeDays: z.number().int().min(1).max(60).default(8),
      })
      .strict()
      .prefault({}),
    penalties: z
      .object({
        contractualRatePercent: z.number().positive().optional(),
        rates: z
          .array(z.object({ from: isoDate, ratePercent: z.number().min(0) }).strict())
          .default([]),
        legalInterestRates: z
          .array(z.object({ from: isoDate, ratePercent: z.number().min(0) }).strict())
          .default([]),
        // A half-year the tables lack: `refuse` (send does not send a letter stating penalties
        // computed without its rate), `lastKnown` (the last known rate, stated in the letter).
        whenRateMissing: z.enum(['refuse', 'lastKnown']).default('refuse'),
        // Who `relance penalites --letters` writes no statement to (L441-10 penalties stay listed).
        lateStatement: z
          .object({
            waiveAll: z.boolean().default(false),
            waiveSegments: z.array(segment).default([]),
            waiveClients: z.array(z.string()).default([]),
            minimum: euros.prefault(0),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    mail: z
      .object({
        from: z.string().optional(),
        replyTo: z.string().optional(),
        archiveBcc: z.string().email('adresse e-mail attendue').optional(),
        invoicesDir: z.string().optional(),
        maxPerRun: z.number().int().min(1).default(200),
      })
      .strict()
      .prefault({}),
    costs: z
      .object({
        email: euros.prefault(0.05),
        courrier: euros.prefault(1.5),
        lrar: euros.prefault(7.5),
        appelMinute: euros.prefault(0.75),
        fixesMensuels: euros.prefault(0),
      })
      .strict()
      .prefault({}),
    maxExportAgeDays: z.number().int().min(0).default(3),
    columns: z
      .object({ balance: columnMap('balance'), payments: columnMap('payments'), clients: columnMap('clients') })
      .strict()
      .prefault({}),
    fec: z
      .object({
        customerAccounts: z.array(z.string().regex(/^\d+$/, 'préfixe de compte en chiffres, par exemple "411"')).min(1).default(['411', '416']),
        openingJournals: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The validated configuration. */
/**
 * The config once loaded: `journal` is absolute when the file names one (resolved against
 * the file's folder, never the cwd); `journalDefault` is `relance.sqlite` beside the file
 * (in the cwd without a file).
 */
export type Config = z.infer<typeof configSchema> & { defaultTerms: PaymentTerms; journalDefault: string };

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
      throw syntaxError(relative(cwd, path), text, err);
    }
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.flatMap((i) => {
      const key = i.path.length > 0 ? i.path.join('.') : '(racine)';
      return frenchIssues(i).map((text) => `  - ${key} : ${text}`);
    });
    throw new ConfigError(
      `${relative(cwd, path!)} : configuration invalide :\n${issues.join('\n')}`,
      `corrigez ces clés ; \`relance init\` écrit une configuration commentée de départ.`,
    );
  }
  // Relative to the config file, so that `--config` from another folder finds the same journal.
  const base = path === null ? cwd : dirname(path);
  return {
    ...result.data,
    journal: result.data.journal === undefined ? undefined : resolve(base, result.data.journal),
    journalDefault: resolve(base, 'relance.sqlite'),
    defaultTerms: parseTerms(result.data.paymentTerms)!,
  };
}

/** The plan's settings from the config: default ladders, with the config's on top. */
export function planSettings(config: Config): PlanSettings {
  const { clients: segmentOverrides, ...thresholds } = config.segments;
  const ladders: Record<string, Ladder> = { ...DEFAULT_LADDERS, ...config.scenario.ladders };
  return {
    thresholds,
    segmentOverrides,
    weights: config.score,
    ladders,
    clientLadders: config.scenario.clients,
    minimumCents: config.minimumAmount,
    minimumGapDays: config.minimumGapDays,
  };
}

/**
 * The French for a YAML or JSON syntax error: file, line and column, what is wrong
 * there, the line as written, and the usual fix.
 */
function syntaxError(file: string, text: string, err: unknown): ConfigError {
  const lines = text.split(/\r?\n/);
  let where: { line: number; col: number } | null = null;
  let what: { message: string; hint: string };
  if (err instanceof YAMLParseError) {
    where = err.linePos?.[0] ?? null;
    what = yamlProblem(err);
  } else if (err instanceof SyntaxError && file.endsWith('.json')) {
    const pos = /at position (\d+)/.exec(err.message);
    if (pos) {
      const before = text.slice(0, Number(pos[1])).split(/\r?\n/);
      where = { line: before.length, col: before.at(-1)!.length + 1 };
    }
    what = { message: 'JSON invalide', hint: 'vérifiez les virgules (aucune après le dernier élément), les guillemets doubles autour des clés et des textes, et les accolades.' };
  } else {
    // Unresolved aliases and other semantic YAML errors have no position.
    const message = (err as Error).message.split('\n')[0]!;
    const alias = /^Unresolved alias.*: (.+)$/.exec(message);
    what = alias
      ? { message: `« *${alias[1]} » est lu comme un alias YAML, mais aucune ancre « &${alias[1]} » ne le précède`, hint: `si c'est un texte, mettez-le entre guillemets, par exemple "*${alias[1]}".` }
      : { message: `YAML invalide (${message})`, hint: YAML_HINT };
  }
  if (where === null) return new ConfigError(`${file} : configuration illisible : ${what.message}.`, what.hint);
  const shown = (lines[where.line - 1] ?? '').trim();
  return new ConfigError(
    `${file}, ligne ${where.line}, colonne ${where.col} : ${what.message}${shown ? ` ; ligne lue : « ${shown} »` : ''}.`,
    what.hint,
  );
}

const YAML_HINT = "indentez avec des espaces (pas de tabulations), deux par niveau, et mettez entre guillemets les textes qui contiennent « : », « # » ou commencent par « @ », « * », « & ».";

/** What a YAML parse error means, in French, with the usual fix. */
function yamlProblem(err: YAMLParseError): { message: string; hint: string } {
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return { message: "tabulation dans l'indentation (YAML n'accepte que des espaces)", hint: 'remplacez les tabulations par des espaces, deux par niveau.' };
    case 'BAD_INDENT':
      return {
        message: "indentation incohérente : les clés d'une même section doivent commencer à la même colonne",
        hint: 'alignez cette ligne sur les autres clés de sa section, avec des espaces (deux par niveau).',
      };
    case 'MISSING_CHAR':
      return /quote/i.test(err.message)
        ? { message: "guillemet jamais refermé (la position est celle où YAML s'en aperçoit)", hint: 'refermez le guillemet ouvert sur cette ligne ou une ligne au-dessus.' }
        : { message: 'caractère manquant : virgule, deux-points, « ] » ou « } »', hint: 'refermez la liste [ … ] ou la section { … } commencée plus haut, éléments séparés par des virgules.' };
    case 'MULTILINE_IMPLICIT_KEY':
      return { message: 'une clé sans « : » (ou une clé sur plusieurs lignes)', hint: 'écrivez chaque réglage « clé: valeur », avec une espace après les deux-points.' };
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        message: 'un « : » suivi d\'une espace dans une valeur : YAML y voit une clé de plus',
        hint: 'mettez la valeur entre guillemets, par exemple from: "Comptabilité : Lumen <compta@example.fr>".',
      };
    case 'DUPLICATE_KEY':
      return { message: 'clé en double : elle est déjà donnée plus haut dans la même section', hint: 'gardez une seule fois cette clé (la bonne valeur).' };
    case 'BAD_SCALAR_START':
      return { message: 'une valeur commence par un caractère réservé en YAML (@, `, %, |, > …)', hint: 'mettez la valeur entre guillemets, par exemple "@compta".' };
    case 'BAD_DQ_ESCAPE':
      return { message: 'séquence d\'échappement invalide entre guillemets doubles', hint: 'doublez les barres obliques inverses (\\\\) ou utilisez des guillemets simples.' };
    case 'MULTIPLE_DOCS':
      return { message: 'plusieurs documents YAML (« --- ») dans le fichier', hint: 'gardez un seul document : supprimez le « --- » en trop.' };
    case 'BLOCK_IN_FLOW':
    case 'UNEXPECTED_TOKEN':
    case 'BAD_COLLECTION_TYPE':
      return { message: 'structure inattendue à cet endroit', hint: YAML_HINT };
    default:
      return { message: `erreur de syntaxe YAML (${err.code})`, hint: YAML_HINT };
  }
}

/** One French line per problem: an unknown key gets its own line and the nearest valid key. */
function frenchIssues(issue: z.core.$ZodIssue): string[] {
  if (issue.code !== 'unrecognized_keys') return [frenchIssue(issue)];
  const valid = keysAt(configSchema, issue.path);
  return issue.keys.map((k) => {
    const near = suggestName(k, valid);
    if (near !== null) return `clé inconnue « ${k} » ; vouliez-vous dire « ${near} » ?`;
    return valid.length > 0 ? `clé inconnue « ${k} » ; clés possibles : ${valid.join(', ')}` : `clé inconnue « ${k} »`;
  });
}

/** The keys an object of the schema accepts at `path` (records and lists are walked through). */
function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.core.$ZodType | undefined = schema;
  const unwrap = (t: z.core.$ZodType): z.core.$ZodType | undefined => {
    const def = t._zod.def as unknown as Record<string, unknown>;
    for (const inner of ['innerType', 'in', 'schema']) if (def[inner]) return def[inner] as z.core.$ZodType;
    return undefined;
  };
  const step = (t: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined => {
    for (let cur: z.core.$ZodType | undefined = t; cur; cur = unwrap(cur)) {
      const def = cur._zod.def as unknown as Record<string, unknown>;
      if (def.type === 'object') return (def.shape as Record<string, z.core.$ZodType>)[String(key)];
      if (def.type === 'record') return def.valueType as z.core.$ZodType;
      if (def.type === 'array') return def.element as z.core.$ZodType;
    }
    return undefined;
  };
  for (const key of path) {
    s = s && step(s, key);
  }
  for (let cur = s; cur; cur = unwrap(cur)) {
    const def = cur._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') return Object.keys(def.shape as object);
  }
  return [];
}

function frenchIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `clé inconnue ${issue.keys.map((k) => `« ${k} »`).join(', ')}`;
    case 'invalid_type':
      return `type attendu : ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `valeur attendue parmi : ${issue.values.map(String).join(', ')}`;
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
