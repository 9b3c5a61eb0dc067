import { afterEach, describe, expect, it } from 'vitest';
import { mayHaveBeenAccepted, smtpMailer } from '../../src/mail/smtp.js';
import { startSmtp } from '../smtp.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const RAW = 'From: a@example.fr\r\nTo: b@example.fr\r\nSubject: essai\r\n\r\nbonjour\r\n';

/** The error a real send gives against a server started with `opts` (null: it went). */
async function errorOf(opts: Parameters<typeof startSmtp>[0], query = ''): Promise<unknown> {
  const server = await startSmtp(opts);
  closers.push(server.close);
  const mailer = smtpMailer(`${server.url}${query}`);
  try {
    await mailer.send({ from: 'a@example.fr', to: ['b@example.fr'] }, RAW);
    return null;
  } catch (err) {
    return err;
  } finally {
    mailer.close();
  }
}

describe('mayHaveBeenAccepted: after the server may have taken the message, never a plain failure', () => {
  it('connection dropped after the final « . » of DATA: uncertain', async () => {
    const err = await errorOf({ dropAfterData: () => true });
    expect(err).toMatchObject({ code: 'ECONNECTION' });
    expect(mayHaveBeenAccepted(err)).toBe(true);
  });

  it('no reply to the final « . » within the timeout: uncertain', async () => {
    const err = await errorOf({ replyDelayMs: 1500 }, '?socketTimeout=300');
    expect(err).toMatchObject({ code: 'ETIMEDOUT' });
    expect(mayHaveBeenAccepted(err)).toBe(true);
  });

  it('a 5xx to RCPT TO, before the message: a failure', async () => {
    const err = await errorOf({ reject: 'b@example.fr' });
    expect(err).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(mayHaveBeenAccepted(err)).toBe(false);
  });

  it('connection refused: a failure', async () => {
    const mailer = smtpMailer('smtp://127.0.0.1:1');
    const err = await mailer.send({ from: 'a@example.fr', to: ['b@example.fr'] }, RAW).then(() => null, (e: unknown) => e);
    mailer.close();
    expect(err).not.toBeNull();
    expect(mayHaveBeenAccepted(err)).toBe(false);
  });

  it.each([
    [{ code: 'EAUTH', responseCode: 535 }, false],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, false],
    [{ code: 'ECONNECTION' }, true],
    [{ code: 'ETIMEDOUT' }, true],
    [{ code: 'ECONNECTION', afterData: false }, false],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, false],
    [new Error('sans code'), false],
  ])('%o → %s', (err, expected) => {
    expect(mayHaveBeenAccepted(err)).toBe(expected);
  });
});
