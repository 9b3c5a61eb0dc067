import nodemailer from 'nodemailer';

/** What `relance send` needs from a mail transport. */
export interface Mailer {
  /** Sends a message exactly as given (raw RFC 822 bytes) to the envelope's recipients. */
  send(envelope: { from: string; to: string[] }, raw: string | Buffer): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer from a URL such as `smtp://user:password@host:587` (or `smtps://`).
 * The URL comes from the environment (RELANCE_SMTP_URL) and never appears in a
 * message: errors are reported without it.
 */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  const secret = [url, safeUserinfo(url)].filter((s): s is string => Boolean(s));
  return {
    async send(envelope, raw) {
      try {
        await transport.sendMail({ envelope, raw });
      } catch (err) {
        let message = (err as Error).message;
        for (const s of secret) message = message.split(s).join('***');
        throw new Error(message);
      }
    },
    close() {
      transport.close();
    },
  };
}

function safeUserinfo(url: string): string | null {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : null;
  } catch {
    return null;
  }
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
