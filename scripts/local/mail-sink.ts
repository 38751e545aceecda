// A real SMTP server on loopback that keeps every message it accepts as an .eml file (no de-duplication).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  file: string;
  raw: Buffer;
  envelopeTo: string[];
  receivedAt: Date;
}

export interface MailSink {
  port: number;
  dir: string;
  /** Every message accepted, unless the sink was started with `inMemory: false`. */
  received: ReceivedMail[];
  stop(): Promise<void>;
}

export interface MailSinkOptions {
  host?: string;
  /**
   * Also hold every message in `received`, for tests to read (the default). A sink that runs for long (`npm start`,
   * a benchmark's) keeps only the files: its memory, and the time its garbage collector spends, stay flat.
   */
  inMemory?: boolean;
}

export async function startMailSink(dir: string, port = 0, options: MailSinkOptions = {}): Promise<MailSink> {
  const { host = '127.0.0.1', inMemory = true } = options;
  mkdirSync(dir, { recursive: true });
  const received: ReceivedMail[] = [];
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    // A stop drops the senders' pooled connections after a second instead of waiting 30 s for them to leave.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const receivedAt = new Date();
        const file = join(
          dir,
          `${receivedAt.toISOString().replace(/[:.]/g, '-')}-${String(++seq).padStart(5, '0')}.eml`,
        );
        writeFileSync(file, raw);
        if (inMemory)
          received.push({ file, raw, envelopeTo: session.envelope.rcptTo.map((r) => r.address), receivedAt });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    dir,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
