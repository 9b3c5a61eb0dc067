import nodemailer from 'nodemailer';
import { ConfigError } from '../errors.js';

/** What `relance send` needs from a mail transport. */
export interface Mailer {
  /** Sends a message exactly as given (raw RFC 822 bytes) to the envelope's recipients. */
  send(envelope: { from: string; to: string[] }, raw: string | Buffer): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer from a URL such as `smtp://user:password@host:587` (or `smtps://`).
 * The URL comes from the environment (RELANCE_SMTP_URL) and never appears in a
 * message: errors are rethrown with it and its password blanked out, codes kept, for
 * `describeSmtpError` to translate.
 */
export function smtpMailer(url: string): Mailer {
  const { parsed, options } = parseSmtpUrl(url);
  // The protocol log tells when the server answered 354 to DATA: from then on, a dropped
  // connection or a timeout may come after the server took the message. Only that fact
  // is kept from the log, never its text (it holds the message and the AUTH exchange).
  let dataStarted = false;
  const watch = (meta: { tnx?: string } | undefined, message?: unknown): void => {
    if (meta?.tnx === 'message' || (meta?.tnx === 'server' && /^354\b/.test(String(message)))) dataStarted = true;
  };
  const quiet = (): void => undefined;
  const logger = { level: quiet, trace: quiet, debug: watch, info: watch, warn: quiet, error: quiet, fatal: quiet };
  const transport = nodemailer.createTransport({ ...options, logger, debug: true } as Parameters<typeof nodemailer.createTransport>[0]);
  const secrets = [url, parsed.password, safeDecode(parsed.password)].filter((s) => s.length > 0);
  return {
    async send(envelope, raw) {
      dataStarted = false;
      try {
        await transport.sendMail({ envelope, raw });
      } catch (err) {
        const clean = scrub(err, secrets);
        if (clean instanceof Error) (clean as SmtpFailure).afterData = dataStarted;
        throw clean;
      }
    },
    close() {
      transport.close();
    },
  };
}

/** The nodemailer options an SMTP URL stands for, and the URL parsed. */
export interface SmtpTarget {
  parsed: URL;
  options: Record<string, unknown>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Parses and checks RELANCE_SMTP_URL without ever quoting its password: errors show the
 * URL with the password as `***`. Parsed here with WHATWG `URL` (not nodemailer's
 * `url.parse`, deprecated), so no deprecation warning is printed. AUTH never goes in
 * clear: beyond this machine, `smtp://` must upgrade with STARTTLS (`requireTLS`) and
 * `smtps://` is TLS from the first byte (`secure`).
 */
export function parseSmtpUrl(url: string): SmtpTarget {
  const shown = maskSmtpUrl(url);
  const example = `écrivez-la smtps://utilisateur:motdepasse@smtp.example.fr:465 (ou smtp://…:587), les caractères spéciaux du mot de passe encodés (@ s'écrit %40, / %2F, # %23, ? %3F).`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (!scheme) {
    throw new ConfigError(`la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé. Il lui manque le schéma smtp:// ou smtps:// : « ${shown} ».`, example);
  }
  const protocol = scheme[1]!.toLowerCase();
  if (protocol !== 'smtp' && protocol !== 'smtps') {
    throw new ConfigError(`la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé. Son schéma est « ${scheme[1]}:// » au lieu de smtp:// ou smtps:// : « ${shown} ».`, example);
  }
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  if (at >= 0 && /[/?#]/.test(rest.slice(0, at))) {
    throw new ConfigError(
      `la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé. Son mot de passe (ou son utilisateur) contient un caractère / # ou ? non encodé : « ${shown} ».`,
      `encodez ces caractères dans le mot de passe : / s'écrit %2F, # %23, ? %3F (et @ %40).`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé. Valeur lue : « ${shown} ».`, example);
  }
  if (parsed.hostname === '') {
    throw new ConfigError(`la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé. Elle ne nomme aucun serveur : « ${shown} ».`, example);
  }
  const options: Record<string, unknown> = {};
  for (const [key, value] of parsed.searchParams) setPath(options, key, queryValue(value));
  const secure = protocol === 'smtps';
  options.host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (parsed.port) options.port = Number(parsed.port);
  options.secure = secure;
  if (!secure && !LOCAL_HOSTS.has(parsed.hostname)) options.requireTLS = true;
  if (parsed.username || parsed.password) options.auth = { user: safeDecode(parsed.username), pass: safeDecode(parsed.password) };
  return { parsed, options };
}

/** The URL with its password replaced by `***`, for messages (works on malformed URLs too). */
export function maskSmtpUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return url;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? url : `${scheme}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
}

function queryValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Blanks the secrets out of an error's texts, keeping the error (and its codes). */
function scrub(err: unknown, secrets: string[]): unknown {
  if (!(err instanceof Error)) return err;
  const clean = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const e = err as Error & { response?: unknown };
  e.message = clean(e.message);
  if (typeof e.response === 'string') e.response = clean(e.response);
  if (e.stack) e.stack = clean(e.stack);
  return e;
}

/** Describes a mailer target for logs without credentials: `smtp://host:port`. */
export function describeSmtp(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'serveur SMTP';
  }
}

/** The fields of a nodemailer or network error that say what happened. */
interface SmtpFailure {
  code?: string;
  /** The system code under nodemailer's (ECONNREFUSED under ESOCKET). */
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  /** Set by `smtpMailer`: whether the message body had started to go (DATA answered 354). */
  afterData?: boolean;
}

/**
 * Whether a send error leaves the message possibly delivered: the connection dropped or
 * timed out once the body was under way (after the final « . », the 250 may simply have
 * been lost). A reply the server gave (a 4xx/5xx to MAIL FROM, RCPT TO, DATA or the
 * message), a refused connection, a TLS or login failure: the server did not take it.
 * Without the mailer's phase (another transport), a drop or timeout is taken as uncertain.
 */
export function mayHaveBeenAccepted(err: unknown): boolean {
  const e: SmtpFailure = typeof err === 'object' && err !== null ? (err as SmtpFailure) : {};
  if (e.responseCode !== undefined) return false;
  if (['EENVELOPE', 'EMESSAGE', 'EAUTH', 'ENOAUTH', 'ETLS', 'EDNS', 'EPROTOCOL', 'EMAXLIMIT', 'EMAXRECIPIENTS'].includes(e.code ?? '')) return false;
  if (e.afterData !== undefined) return e.afterData;
  const sys = e.originalCode ?? e.code;
  return ['ECONNECTION', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ESOCKET'].includes(sys ?? '') && !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.originalCode ?? '');
}

const CERT_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)/;

/**
 * What an SMTP or network failure means, as one French sentence and what to do about
 * it; the original codes (and the server's reply) stay in parentheses. The one
 * translation of SMTP errors: the send report and the journal both use it. It never
 * repeats the SMTP URL (the mailer has blanked it out of the texts it quotes).
 */
export function describeSmtpError(err: unknown): string {
  const e: SmtpFailure = typeof err === 'object' && err !== null ? (err as SmtpFailure) : { message: String(err) };
  const code = e.code;
  const sys = e.originalCode ?? (code && /^E[A-Z]+$/.test(code) ? code : undefined);
  const reply = typeof e.response === 'string' ? shorten(e.response) : e.responseCode ? String(e.responseCode) : null;
  const codes = (...extra: (string | null | undefined)[]): string => `(${[...new Set([code, ...extra])].filter(Boolean).join(', ')})`;
  const permanent = e.responseCode === undefined || e.responseCode >= 500;

  switch (sys) {
    case 'ECONNREFUSED':
      return `le serveur SMTP refuse la connexion (${sys}) ; vérifiez l'hôte et le port de RELANCE_SMTP_URL (465 pour smtps://, 587 pour smtp://) et que le serveur est démarré`;
    case 'ENOTFOUND':
      return `le nom du serveur SMTP est introuvable (${sys}) ; vérifiez l'hôte écrit dans RELANCE_SMTP_URL et l'accès au réseau`;
    case 'EAI_AGAIN':
      return `le nom du serveur SMTP n'a pas pu être résolu (${sys}) : le DNS ne répond pas ; vérifiez l'accès au réseau, puis relancez`;
    case 'ETIMEDOUT':
      return `le serveur SMTP ne répond pas (${sys}) ; vérifiez l'hôte et le port de RELANCE_SMTP_URL, et qu'un pare-feu ne bloque pas ce port en sortie`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `le serveur SMTP a coupé la connexion (${sys}) ; relancez plus tard ; si cela se répète, vérifiez le port et le choix smtp:// ou smtps:// (465 va avec smtps://)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `le serveur SMTP est injoignable depuis cette machine (${sys}) ; vérifiez l'accès au réseau et l'hôte de RELANCE_SMTP_URL`;
  }
  if (sys && /^ERR_SSL_|^ERR_TLS_/.test(sys) && !CERT_CODES.test(sys)) {
    return `la négociation TLS avec le serveur SMTP a échoué (${sys}) ; smtps:// va avec le port 465, smtp:// avec le port 587 (STARTTLS) : vérifiez RELANCE_SMTP_URL`;
  }
  if (sys && CERT_CODES.test(sys)) {
    return `le certificat TLS du serveur SMTP est refusé (${sys}) : expiré, auto-signé ou à un autre nom ; vérifiez l'hôte de RELANCE_SMTP_URL (le nom exact du serveur, pas son adresse IP)`;
  }
  switch (code) {
    case 'ETLS':
      return `la négociation TLS avec le serveur SMTP a échoué ${codes(reply)} ; smtps:// va avec le port 465, smtp:// avec le port 587 (STARTTLS) : vérifiez RELANCE_SMTP_URL`;
    case 'EDNS':
      return `le nom du serveur SMTP est introuvable ${codes(sys)} ; vérifiez l'hôte écrit dans RELANCE_SMTP_URL et l'accès au réseau`;
    case 'ETIMEDOUT':
      return `le serveur SMTP ne répond pas ${codes()} ; vérifiez l'hôte et le port de RELANCE_SMTP_URL, et qu'un pare-feu ne bloque pas ce port en sortie`;
    case 'ECONNECTION':
      return `le serveur SMTP a fermé la connexion ${codes(reply)} ; relancez plus tard ; si cela se répète, vérifiez le port et le choix smtp:// ou smtps:// de RELANCE_SMTP_URL`;
    case 'ESOCKET':
      return `erreur réseau avec le serveur SMTP ${codes(sys)} ; vérifiez l'hôte et le port de RELANCE_SMTP_URL, puis relancez`;
    case 'EAUTH':
      return `le serveur SMTP refuse l'identifiant ou le mot de passe ${codes(reply)} ; vérifiez l'utilisateur et le mot de passe de RELANCE_SMTP_URL (les caractères spéciaux s'y écrivent encodés : @ devient %40)`;
    case 'ENOAUTH':
      return `le serveur SMTP demande un identifiant et un mot de passe ${codes()} ; donnez-les dans RELANCE_SMTP_URL : smtps://utilisateur:motdepasse@hôte:465`;
    case 'EENVELOPE':
      if (e.responseCode === 530) {
        return `le serveur SMTP exige une authentification ${codes(reply)} ; donnez l'utilisateur et le mot de passe dans RELANCE_SMTP_URL : smtps://utilisateur:motdepasse@hôte:465`;
      }
      if (e.command === 'MAIL FROM') {
        return permanent
          ? `le serveur SMTP refuse l'expéditeur ${codes(reply)} ; vérifiez mail.from dans la configuration : beaucoup de serveurs n'acceptent que l'adresse du compte`
          : `le serveur SMTP refuse l'envoi pour le moment ${codes(reply)} ; relancez plus tard`;
      }
      if (e.command === 'RCPT TO' || /recipients were rejected/.test(e.message ?? '')) {
        return permanent
          ? `tous les destinataires ont été refusés par le serveur ${codes(reply)} ; vérifiez l'adresse e-mail du client dans le fichier clients`
          : `les destinataires sont refusés pour le moment par le serveur ${codes(reply)} ; relancez plus tard`;
      }
      return `le serveur SMTP refuse l'enveloppe du message ${codes(reply)} ; vérifiez mail.from et les adresses des destinataires`;
    case 'EMESSAGE':
      return permanent
        ? `le serveur SMTP a refusé le message ${codes(reply)} ; sa réponse dit pourquoi (pièce jointe trop lourde, message pris pour un indésirable…)`
        : `le serveur SMTP refuse le message pour le moment ${codes(reply)} ; relancez plus tard`;
    case 'EPROTOCOL':
      return `le serveur ne répond pas comme un serveur SMTP ${codes(reply)} ; vérifiez le port de RELANCE_SMTP_URL (465 ou 587 en général)`;
    case 'EMAXLIMIT':
    case 'EMAXRECIPIENTS':
      return `le serveur SMTP refuse le nombre de messages ou de destinataires ${codes(reply)} ; abaissez mail.maxPerRun ou relancez plus tard`;
  }
  const text = shorten(e.message ?? '') || 'sans détail';
  return `échec de l'envoi SMTP : ${text}${code ? ` (${code})` : ''} ; vérifiez RELANCE_SMTP_URL et le serveur, puis relancez`;
}

/** The first line of a server reply or message, at most 120 characters. */
function shorten(text: string): string {
  const first = text.split(/\r?\n/)[0]!.trim();
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}
