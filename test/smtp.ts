import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it: the envelope, the raw bytes, and parsed. */
export interface Received {
  from: string;
  to: string[];
  raw: string;
  mail: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (random port) that keeps what it receives. `reject`
 * makes it refuse messages to an address; `onMessage` runs when a message has arrived,
 * before the server answers (to kill a client at that moment). `dropAfterData` cuts the
 * connection once the whole message has arrived, before the 250 reply (the message is
 * kept, as a real server may have queued it); `replyDelayMs` delays that reply.
 */
export async function startSmtp(
  opts: { reject?: string; onMessage?: () => void; dropAfterData?: (to: string[]) => boolean; replyDelayMs?: number } = {},
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (opts.reject && address.address === opts.reject) return callback(new Error('550 boîte aux lettres inexistante'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            mail,
          });
          opts.onMessage?.();
          if (opts.dropAfterData?.(session.envelope.rcptTo.map((r) => r.address))) {
            for (const c of server.connections as unknown as Set<{ _socket: { destroy(): void } }>) c._socket.destroy();
            return;
          }
          if (opts.replyDelayMs) setTimeout(() => callback(), opts.replyDelayMs);
          else callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
