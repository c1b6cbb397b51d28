// Checks of option values, done before anything is sent: a bad value is a usage error (exit 2).
import { checkName, CrosstalkError } from '@crosstalk/core';

function usage(message: string, hint?: string): CrosstalkError {
  return new CrosstalkError('INVALID_REQUEST', message, hint === undefined ? {} : { hint });
}

/** A whole number within bounds, from an option's text; undefined stays undefined. */
export function optionalInt(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw usage(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(String(value).slice(0, 40))}`, `see \`crosstalk <command> --help\``);
  }
  return Number(text);
}

export function requiredText(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw usage(`${flag} is required`, 'see `crosstalk <command> --help` for an example');
  return value;
}

/** `a,b , c` → checked session names, without duplicates; at least one. */
export function sessionList(value: unknown, flag: string): string[] {
  const text = requiredText(value, flag);
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw usage(`${flag} names no session`);
  return [...new Set(names.map((n) => checkName('session', n)))];
}

/** A port number (0 picks a free one). */
export function port(value: unknown): number {
  return optionalInt(value, '--port', 0, 65_535) as number;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevel(value: unknown): LogLevel {
  const level = String(value ?? 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return level as LogLevel;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `1h`, `2d` (a bare number is seconds) → seconds, within bounds. */
export function duration(value: unknown, flag: string, minSeconds: number, maxSeconds: number): number {
  const m = /^(\d{1,7})\s*([smhd]?)$/.exec(String(value ?? '').trim());
  const seconds = m ? Number(m[1]) * (UNITS[m[2] || 's'] as number) : NaN;
  if (!(seconds >= minSeconds && seconds <= maxSeconds)) {
    throw usage(`${flag} must be a duration like 30m, 1h or 2d, from ${minSeconds} s to ${maxSeconds / 86_400} days`);
  }
  return seconds;
}

/** `--timeout <seconds>` (fractions allowed) → milliseconds, or undefined for no limit. */
export function timeoutMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const seconds = /^\d{1,9}(\.\d{1,3})?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= 31 * 86_400)) throw usage(`--timeout must be a number of seconds above 0, got ${JSON.stringify(text.slice(0, 40))}`);
  return Math.round(seconds * 1000);
}
