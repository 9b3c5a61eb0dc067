import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { maskSmtpUrl, parseSmtpUrl, smtpMailer } from '../../src/mail/smtp.js';

const PASSWORD = 'S3cr3t-Pa55';

function refusal(url: string): ConfigError {
  try {
    smtpMailer(url);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('accepted');
}

describe('RELANCE_SMTP_URL is checked without being printed', () => {
  it.each([
    ['no scheme', `compta:${PASSWORD}@smtp.example.fr:587`, 'Il lui manque le schéma smtp:// ou smtps:// : « compta:***@smtp.example.fr:587 ».'],
    ['wrong scheme', `https://compta:${PASSWORD}@smtp.example.fr`, 'Son schéma est « https:// » au lieu de smtp:// ou smtps:// : « https://compta:***@smtp.example.fr ».'],
    ['unencoded /', `smtps://compta:${PASSWORD}/x@smtp.example.fr:465`, 'non encodé : « smtps://compta:***@smtp.example.fr:465 ».'],
    ['unencoded #', `smtps://compta:${PASSWORD}#x@smtp.example.fr:465`, 'non encodé : « smtps://compta:***@smtp.example.fr:465 ».'],
    ['unencoded ?', `smtp://compta:${PASSWORD}?x@smtp.example.fr`, 'non encodé : « smtp://compta:***@smtp.example.fr ».'],
  ])('%s: a French error with the password as ***', (_name, url, tail) => {
    const err = refusal(url);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^la variable d'environnement RELANCE_SMTP_URL n'est pas une adresse de serveur SMTP : rien n'a été envoyé\. /);
    expect(err.message.endsWith(tail)).toBe(true);
    expect(`${err.message}${err.hint}${err.stack}`).not.toContain(PASSWORD);
  });

  it('masks the password of a well-formed URL too', () => {
    expect(maskSmtpUrl(`smtps://compta%40x.fr:${PASSWORD}@smtp.example.fr:465`)).toBe('smtps://compta%40x.fr:***@smtp.example.fr:465');
    expect(maskSmtpUrl('smtp://127.0.0.1:25')).toBe('smtp://127.0.0.1:25');
  });
});

describe('AUTH is never sent in clear', () => {
  it.each([
    ['smtp://u:p@smtp.example.fr:587', { secure: false, requireTLS: true }],
    ['smtps://u:p@smtp.example.fr:465', { secure: true }],
    ['smtp://u:p@127.0.0.1:2525', { secure: false }],
    ['smtp://u:p@localhost:2525', { secure: false }],
  ])('%s', (url, expected) => {
    const { options } = parseSmtpUrl(url);
    expect(options).toMatchObject(expected);
    if (!('requireTLS' in expected)) expect(options.requireTLS).toBeUndefined();
  });

  it('decodes the credentials and keeps the query options', () => {
    const { options } = parseSmtpUrl('smtp://compta%40x.fr:a%2Fb%23c@127.0.0.1:2525?connectionTimeout=300&tls.rejectUnauthorized=false');
    expect(options).toEqual({ host: '127.0.0.1', port: 2525, secure: false, auth: { user: 'compta@x.fr', pass: 'a/b#c' }, connectionTimeout: 300, tls: { rejectUnauthorized: false } });
  });

  it('prints no deprecation warning while parsing', () => {
    const warnings: string[] = [];
    const listen = (w: Error): void => void warnings.push(w.name);
    process.on('warning', listen);
    try {
      smtpMailer('smtp://u:p@127.0.0.1:2525').close();
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).toEqual([]);
  });
});
