import { mkdtempSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.js';
import { describeSmtpError, smtpMailer } from '../../src/mail/smtp.js';
import { fixture, runCli } from '../helpers.js';
import { startSmtp } from '../smtp.js';

const PASSWORD = 'Tr0ub4dor&3';
const SECRET_URL_PART = `compta%40lumen.example:${encodeURIComponent(PASSWORD)}@`;

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A TCP server on 127.0.0.1 that does `onSocket` with each connection. */
async function tcp(onSocket: (s: import('node:net').Socket) => void): Promise<number> {
  const server: Server = createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What one message sent through `url` fails with, as the user reads it. */
async function failureOf(url: string): Promise<string> {
  const mailer = smtpMailer(url);
  try {
    await mailer.send({ from: 'compta@lumen.example', to: ['client@example.fr'] }, 'Subject: test\r\n\r\nbonjour\r\n');
  } catch (err) {
    return describeSmtpError(err);
  } finally {
    mailer.close();
  }
  throw new Error('the message was sent');
}

describe('SMTP failures, in French, against real sockets on 127.0.0.1', () => {
  it('a closed port: the server refuses the connection (ECONNREFUSED), and the password is never shown', async () => {
    const text = await failureOf(`smtp://${SECRET_URL_PART}127.0.0.1:${await closedPort()}`);
    expect(text).toBe(
      "le serveur SMTP refuse la connexion (ECONNREFUSED) ; vérifiez l'hôte et le port de RELANCE_SMTP_URL (465 pour smtps://, 587 pour smtp://) et que le serveur est démarré",
    );
  });

  it('a server that never greets: it does not answer (ETIMEDOUT)', async () => {
    const port = await tcp(() => {});
    expect(await failureOf(`smtp://127.0.0.1:${port}?connectionTimeout=300&greetingTimeout=300`)).toMatch(/^le serveur SMTP ne répond pas \(ETIMEDOUT\) ; /);
  });

  it('a server that resets the connection (ECONNRESET)', async () => {
    const port = await tcp((s) => s.resetAndDestroy());
    expect(await failureOf(`smtp://127.0.0.1:${port}`)).toMatch(/^le serveur SMTP a coupé la connexion \(ECONNRESET\) ; /);
  });

  it('smtps:// to a plain SMTP port: the TLS negotiation fails, with the port advice', async () => {
    const server = await startSmtp();
    closers.push(server.close);
    expect(await failureOf(server.url.replace('smtp://', 'smtps://'))).toBe(
      'la négociation TLS avec le serveur SMTP a échoué (ERR_SSL_WRONG_VERSION_NUMBER) ; smtps:// va avec le port 465, smtp:// avec le port 587 (STARTTLS) : vérifiez RELANCE_SMTP_URL',
    );
  });

  it('every recipient refused: EENVELOPE with the server reply', async () => {
    const server = await startSmtp({ reject: 'client@example.fr' });
    closers.push(server.close);
    expect(await failureOf(server.url)).toBe(
      "tous les destinataires ont été refusés par le serveur (EENVELOPE, 550 550 boîte aux lettres inexistante) ; vérifiez l'adresse e-mail du client dans le fichier clients",
    );
  });

  it('a wrong password: EAUTH, the server reply, and still not the password', async () => {
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, callback) => callback(new Error('Identifiants invalides')),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.server.address() as { port: number };
    const text = await failureOf(`smtp://${SECRET_URL_PART}127.0.0.1:${port}`);
    expect(text).toBe(
      "le serveur SMTP refuse l'identifiant ou le mot de passe (EAUTH, 535 Identifiants invalides) ; vérifiez l'utilisateur et le mot de passe de RELANCE_SMTP_URL (les caractères spéciaux s'y écrivent encodés : @ devient %40)",
    );
    expect(text).not.toContain(PASSWORD);
  });

  it('a RELANCE_SMTP_URL that is not a URL is refused without being quoted', () => {
    expect(() => smtpMailer(`compta:${PASSWORD}@smtp.example.fr`)).toThrow(
      "la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé.",
    );
  });
});

describe('describeSmtpError, on the codes nodemailer and the network give', () => {
  it.each([
    [{ code: 'EDNS', originalCode: 'ENOTFOUND' }, /^le nom du serveur SMTP est introuvable \(ENOTFOUND\) ; /],
    [{ code: 'EDNS', originalCode: 'EAI_AGAIN' }, /^le nom du serveur SMTP n'a pas pu être résolu \(EAI_AGAIN\) : /],
    [{ code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' }, /^le certificat TLS du serveur SMTP est refusé \(CERT_HAS_EXPIRED\) : /],
    [{ code: 'ETLS', message: 'Error initiating TLS' }, /^la négociation TLS avec le serveur SMTP a échoué \(ETLS\) ; /],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, /^le serveur SMTP a fermé la connexion \(ECONNECTION\) ; /],
    [{ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 530, response: '530 Authentication required' }, /^le serveur SMTP exige une authentification \(EENVELOPE, 530 Authentication required\) ; /],
    [{ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 553, response: '553 sender not allowed' }, /^le serveur SMTP refuse l'expéditeur \(EENVELOPE, 553 sender not allowed\) ; vérifiez mail\.from/],
    [{ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 451, response: '451 try later' }, /^les destinataires sont refusés pour le moment par le serveur \(EENVELOPE, 451 try later\) ; relancez plus tard$/],
    [{ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 spam' }, /^le serveur SMTP a refusé le message \(EMESSAGE, 554 5\.7\.1 spam\) ; /],
    [{ code: 'ENOAUTH' }, /^le serveur SMTP demande un identifiant et un mot de passe \(ENOAUTH\) ; /],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), /^le serveur SMTP a coupé la connexion \(ECONNRESET\) ; /],
    [new Error('boum'), /^échec de l'envoi SMTP : boum ; vérifiez RELANCE_SMTP_URL/],
  ])('%o', (err, expected) => {
    expect(describeSmtpError(err)).toMatch(expected);
  });
});

describe('relance send when the SMTP server cannot be reached', () => {
  it('records and prints the French reason, never the password, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relance-smtp-'));
    for (const f of ['balance.csv', 'reglements.csv', 'clients.csv']) copyFileSync(fixture(`sage100/${f}`), join(dir, f));
    writeFileSync(join(dir, 'relance.yaml'), readFileSync(fixture('relance.yaml'), 'utf8'));
    const journal = join(dir, 'journal.sqlite');
    const url = `smtp://${SECRET_URL_PART}127.0.0.1:${await closedPort()}`;
    const r = await runCli(
      ['send', '--balance', 'balance.csv', '--payments', 'reglements.csv', '--clients', 'clients.csv', '--journal', journal, '--as-of', '2026-11-16'],
      { cwd: dir, env: { RELANCE_SMTP_URL: url } },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ÉCHEC CBELLEC .* : le serveur SMTP refuse la connexion \(ECONNREFUSED\) ; vérifiez l'hôte et le port/m);
    const j = Journal.open(journal);
    const errors = j.actions({}).map((a) => a.error ?? '');
    j.close();
    expect(errors.filter((e) => e.includes('ECONNREFUSED')).length).toBeGreaterThan(0);
    for (const text of [r.stdout, r.stderr, ...errors]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
      expect(text).not.toContain('compta%40lumen.example');
    }
  });
});
