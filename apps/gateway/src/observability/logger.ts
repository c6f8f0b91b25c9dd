import { type Logger, pino } from 'pino';
import type { LogLevel } from '../config/log-levels.js';

export type { Logger } from 'pino';

/** A JSON-lines logger on stdout at `level`, tagged with the service name. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'postbode-gateway' },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
