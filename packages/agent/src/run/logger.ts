// Structured logs (pino) to stderr, or to a given destination. Tokens and keys are never passed
// to the logger, so there is nothing to redact.
import type { LogLevel } from '@crosstalk/core';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogDestination = DestinationStream | string | number;
export type AgentLogger = Logger;

export function createLogger(level: LogLevel, destination: LogDestination = 2, bindings: Record<string, unknown> = {}): AgentLogger {
  const dest = typeof destination === 'object' ? destination : pino.destination({ dest: destination, sync: true, mkdir: typeof destination === 'string' });
  return pino({ level, base: { pid: process.pid, ...bindings }, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}
