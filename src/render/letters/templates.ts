import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import type { Step } from '../../core/scenario.js';
import { RelanceError } from '../../errors.js';
import { HelperError, letterHandlebars } from './helpers.js';
import { MissingVariable, newTrace, strictData, type TemplateTrace } from './strict-data.js';

/** A template that cannot be found, compiled or filled: nothing is sent from it. */
export class TemplateError extends RelanceError {}

/** The documents a template produces: step, which template was used, what was computed. */
export type TemplateName = Step | 'echeancier' | 'releve_penalites' | 'declaration_creance' | 'alerte_commercial';

/** The package root: three levels above this file, from src/render/letters/ (vitest) or dist/render/letters/. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Where the bundled French templates are. */
export const BUNDLED_TEMPLATES = join(PACKAGE_ROOT, 'templates', 'fr');

/** The inline partials a template file defines, one per part of the message. */
type Part = 'subject' | 'text' | 'html' | 'letter';

/** What a template yields: the subject, the plain text, the HTML e-mail, and the printable letter when the template has one. */
export interface TemplateParts {
  subject: string;
  text: string;
  html: string;
  letterHtml: string | null;
}

/** The template file for a step: the user's override when it exists, else the bundled one. */
export function templatePath(name: TemplateName, templatesDir: string | null, cwd: string): { path: string; label: string } {
  if (templatesDir !== null) {
    const dir = resolve(cwd, templatesDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new TemplateError(
        `dossier de modèles introuvable : ${templatesDir} (clé templatesDir de la configuration).`,
        `créez le dossier, ou retirez la clé pour utiliser les modèles fournis.`,
      );
    }
    const own = join(dir, `${name}.hbs`);
    if (existsSync(own)) return { path: own, label: relative(cwd, own) || own };
  }
  const bundled = join(BUNDLED_TEMPLATES, `${name}.hbs`);
  if (!existsSync(bundled)) {
    throw new TemplateError(`modèle introuvable : ${name}.hbs.`, `réinstallez relance : le dossier templates/fr/ du paquet est incomplet.`);
  }
  return { path: bundled, label: `${name}.hbs` };
}

/** Renders every part of a template; `letter` is optional, the others are required. */
export function renderTemplate(name: TemplateName, data: object, templatesDir: string | null, cwd: string): TemplateParts {
  return renderTemplateTraced(name, data, templatesDir, cwd).parts;
}

/** Renders every part of a template, and says which data paths the parts read (see `TemplateTrace`). */
export function renderTemplateTraced(name: TemplateName, data: object, templatesDir: string | null, cwd: string): { parts: TemplateParts; reads: ReadonlySet<string> } {
  const { path, label } = templatePath(name, templatesDir, cwd);
  const source = readFileSync(path, 'utf8');
  const hasLetter = /\{\{#\*inline\s+["']letter["']/.test(source);
  const trace = newTrace();
  const plain = compile(source, false);
  const escaped = compile(source, true);
  const run = (part: Part): string => fillPart(part === 'html' || part === 'letter' ? escaped : plain, { source, label, part, data, trace });
  const parts = {
    subject: run('subject').replace(/\s+/g, ' ').trim(),
    text: tidy(run('text')),
    html: `${run('html').trim()}\n`,
    letterHtml: hasLetter ? `${run('letter').trim()}\n` : null,
  };
  return { parts, reads: trace.reads };
}

/** The environment every template is compiled in; set up once, never changed after. */
const HANDLEBARS = letterHandlebars();

/**
 * Compiled templates, by escape mode and source text. A memo of a pure function (the same
 * source always compiles to the same function), never a render's data or result, so no
 * render sees another's: compiling a letter's template takes about 40 ms, filling it about 3.
 */
const COMPILED = new Map<string, Handlebars.TemplateDelegate>();

/**
 * The template as a function of its data and the part to render. Handlebars compiles
 * lazily: a syntax error surfaces on the first call, inside `fillPart`.
 */
function compile(source: string, escape: boolean): Handlebars.TemplateDelegate {
  const key = `${escape ? 'h' : 't'}\u0000${source}`;
  let fn = COMPILED.get(key);
  if (!fn) {
    // The file only defines inline partials; the appended call renders the one asked for.
    fn = HANDLEBARS.compile(`${source}{{> (relancePart)}}`, { strict: true, noEscape: !escape });
    COMPILED.set(key, fn);
  }
  return fn;
}

/** One part of one render: the template it comes from, the data and the render's trace. */
interface PartRun {
  source: string;
  label: string;
  part: Part;
  data: object;
  trace: TemplateTrace;
}

function fillPart(fn: Handlebars.TemplateDelegate, run: PartRun): string {
  run.trace.lastMiss = null;
  try {
    return fn(strictData(run.data, '', run.trace), { data: { relancePart: run.part } });
  } catch (err) {
    throw templateError(err, run);
  }
}

/** Trims the text and keeps at most one blank line in a row (conditional blocks leave gaps). */
function tidy(text: string): string {
  return `${text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

const available = (keys: string[]): string => `variables disponibles à cet endroit : ${keys.join(', ')}.`;

/** The French error of a part that failed: an unknown variable, a helper misused, a missing part, a syntax error. */
function templateError(err: unknown, run: PartRun): TemplateError {
  const { label, part } = run;
  if (err instanceof MissingVariable) {
    return new TemplateError(`modèle ${label} : variable inconnue « ${err.path} ».`, `corrigez le modèle ; ${available(err.keys)}`);
  }
  if (err instanceof HelperError) {
    return new TemplateError(`modèle ${label} : ${err.message}.`, `corrigez l'appel du helper dans le modèle.`);
  }
  const e = err as HandlebarsFailure;
  const message = e.message ?? String(err);
  const notDefined = /^"([^"]+)" not defined in/.exec(message);
  if (notDefined) {
    const where = e.lineNumber !== undefined ? ` (ligne ${e.lineNumber})` : '';
    const hint = run.trace.lastMiss ? available(run.trace.lastMiss.keys) : 'vérifiez le nom de la variable.';
    return new TemplateError(`modèle ${label} : variable inconnue « ${undefinedName(notDefined[1]!, e, run.source)} »${where}.`, `corrigez le modèle ; ${hint}`);
  }
  if (/The partial (\S+) could not be found/.test(message)) {
    return new TemplateError(
      `modèle ${label} : la partie « ${part} » manque.`,
      `définissez-la dans le fichier : {{#*inline "${part}"}}…{{/inline}}.`,
    );
  }
  return new TemplateError(`modèle ${label} : ${message.split('\n')[0]}`, `corrigez la syntaxe Handlebars du modèle.`);
}

/** What Handlebars' exceptions carry: the message and, when it knows, where in the source. */
interface HandlebarsFailure {
  message?: string;
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

/** The name as the template wrote it (« totals.foo », not Handlebars' last segment « foo ») when the error locates it on one line. */
function undefinedName(reported: string, e: HandlebarsFailure, source: string): string {
  if (e.lineNumber === undefined || e.column === undefined || e.endLineNumber !== e.lineNumber || e.endColumn === undefined) return reported;
  const text = source.split('\n')[e.lineNumber - 1]?.slice(e.column, e.endColumn).trim();
  return text && /^[\w.@/[\]-]+$/.test(text) ? text : reported;
}
