import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** The parts of a rendered message an e-mail carries. */
export interface EmlParts {
  subject: string;
  text: string;
  html: string;
}

/** An attached file; `cid` makes it an inline image the HTML names as `cid:…` (the payment QR code). */
export interface EmlAttachment {
  filename: string;
  path?: string;
  content?: string | Buffer;
  contentType?: string;
  cid?: string;
}

/** Addresses and headers of an e-mail built from a rendered message. */
export interface EmlOptions {
  from: string;
  to: string[];
  cc?: string[];
  /** Not written in the headers (as for any blind copy): give it to the transport's envelope. */
  bcc?: string[];
  replyTo?: string | null;
  /** Fixed date and Message-ID make the message byte-for-byte reproducible. */
  date?: Date;
  messageId?: string;
  attachments?: EmlAttachment[];
}

/** Hex digits of the Message-ID's hash that seed the MIME boundaries: enough to never meet the text of a part. */
const BOUNDARY_HEX_DIGITS = 24;
/** Hex digits of the hash naming an inline image (its Content-ID): unique within a message, short in the HTML. */
const CONTENT_ID_HEX_DIGITS = 16;

/**
 * The raw RFC 822 message (multipart/alternative text + HTML, attachments in a
 * multipart/mixed) built with nodemailer's MailComposer. Given a date and a Message-ID
 * the output is deterministic (the MIME boundaries derive from a hash of the
 * Message-ID), so its hash identifies exactly what was sent. A blind copy is not
 * written in the headers: the transport's envelope must carry it.
 */
export async function emlOf(message: EmlParts, opts: EmlOptions): Promise<string> {
  const boundary = opts.messageId ? createHash('sha256').update(opts.messageId).digest('hex').slice(0, BOUNDARY_HEX_DIGITS) : undefined;
  const composer = new MailComposer({
    from: opts.from,
    to: opts.to,
    cc: opts.cc && opts.cc.length > 0 ? opts.cc : undefined,
    bcc: opts.bcc && opts.bcc.length > 0 ? opts.bcc : undefined,
    replyTo: opts.replyTo ?? undefined,
    subject: message.subject,
    text: message.text,
    html: message.html,
    date: opts.date,
    messageId: opts.messageId,
    baseBoundary: boundary,
    attachments: opts.attachments,
  });
  const raw = await new Promise<Buffer>((ok, fail) => composer.compile().build((err, out) => (err ? fail(err) : ok(out))));
  return raw.toString('utf8');
}

/** An image the HTML e-mail carries as an attachment named by `cid:`. */
export interface InlineImage {
  filename: string;
  content: Buffer;
  contentType: string;
  cid: string;
}

/**
 * The HTML e-mail with its `data:image/png` images (the payment QR code) turned into
 * inline attachments named by `cid:` (many mail clients block data URIs); the printable
 * letter keeps its data URIs. The Content-ID derives from the image and the Message-ID,
 * so the same message gives the same bytes.
 */
export function inlineImages(html: string, messageId: string): { html: string; attachments: InlineImage[] } {
  const attachments: InlineImage[] = [];
  const domain = /@([^>\s]+)>?$/.exec(messageId)?.[1] ?? 'localhost';
  const out = html.replace(/src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g, (_, b64: string) => {
    const content = Buffer.from(b64, 'base64');
    const hash = createHash('sha256').update(messageId).update(content).digest('hex').slice(0, CONTENT_ID_HEX_DIGITS);
    let found = attachments.find((a) => a.content.equals(content));
    if (!found) {
      found = { filename: attachments.length === 0 ? 'virement-sepa.png' : `image-${attachments.length + 1}.png`, content, contentType: 'image/png', cid: `${hash}@${domain}` };
      attachments.push(found);
    }
    return `src="cid:${found.cid}"`;
  });
  return { html: out, attachments };
}
