// One structured logger; secrets never reach a log line.
import { pino, type Logger } from 'pino';

export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.password',
  '*.smtpUrl',
  '*.databaseUrl',
  'config.adminToken',
];

export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[disembunyikan]' } });
}
