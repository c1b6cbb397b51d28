// Structured logs (pino) to stderr. Tokens, invite codes and keys are never logged; the redact
// list is a second line of defence for fields that must never appear.
import type { LogLevel } from '@crosstalk/core';
import { pino, type Logger } from 'pino';

const REDACT = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'privateJwk',
  '*.privateJwk',
  'd',
  '*.d',
];

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { pid: process.pid, name: 'crosstalk-relay' },
    redact: { paths: REDACT, censor: '[redacted]' },
    // ISO times, as the agent writes them: up.log holds both, one after the other.
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options, pino.destination({ dest: 2, sync: true }));
}
