// Sends the Temporal SDK's own log lines (worker state, workflow logs) through our pino logger. Once per process.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export function installTemporalRuntime(log: Logger, level: LogLevel = 'WARN', metricsPort = 0): void {
  const temporalLog = log.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => temporalLog[PINO_LEVEL[entry.level]]({ ...entry.meta }, entry.message)),
    // Temporal's worker metrics (task latencies, slots, polls) on loopback; /metrics appends them.
    ...(metricsPort
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } }
      : {}),
  });
}
