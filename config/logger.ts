// One structured logger; secrets never reach a log line.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.password',
  '*.smtpUrl',
  '*.databaseUrl',
  'config.adminToken',
];

const CENSOR = '[disembunyikan]';

/** A URL fit for a log: the link secret in `/tautan/<token>` and a calendar feed's `?feed=` are credentials. */
export function maskUrl(url: string): string {
  return url.replace(/\/tautan\/[^/?#]*/g, `/tautan/${CENSOR}`).replace(/([?&]feed=)[^&#]*/g, `$1${CENSOR}`);
}

/** The request as its log line shows it (Fastify's own fields), with the URL masked. */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
}

export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACT, censor: CENSOR },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: maskUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
