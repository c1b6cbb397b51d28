// How an option's text becomes a checked value: each checker runs once, before the handler, and a
// bad value is a usage error (exit 2). Kept free of zod so every command starts fast.
import { checkBody, checkLine, checkName, CrosstalkError, LOG_LEVELS, type LogLevel, type NameKind } from '@crosstalk/core/light';

/** Turns an option's text into its value, or throws a CrosstalkError naming `flag`. */
export type ValueCheck<V> = (text: string, flag: string) => V;

function usage(message: string, hint?: string): CrosstalkError {
  return new CrosstalkError('INVALID_REQUEST', message, hint === undefined ? {} : { hint });
}

/** The text itself, unless it is empty or blank. */
export function requiredText(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw usage(`${label} is required`, 'see `crosstalk <command> --help` for an example');
  return value;
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): ValueCheck<number> {
  return (text, flag) => {
    const trimmed = text.trim();
    if (!/^\d{1,10}$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
      throw usage(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 40))}`, `see \`crosstalk <command> --help\``);
    }
    return Number(trimmed);
  };
}

/** A port number (0 picks a free one). */
export const port: ValueCheck<number> = wholeNumber(0, 65_535);

/** A host, session or conversation name. */
export function name(kind: NameKind): ValueCheck<string> {
  return (text) => checkName(kind, text);
}

/** `a,b , c` → checked session names, without duplicates; at least one. */
export const sessionNames: ValueCheck<string[]> = (text, flag) => {
  const names = requiredText(text, flag)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw usage(`${flag} names no session`);
  return [...new Set(names.map((n) => checkName('session', n)))];
};

/** `a, b,,c` → ['a', 'b', 'c']. */
export const commaList: ValueCheck<string[]> = (text) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** One of a fixed list of words. */
export function oneOf<const W extends string>(words: readonly W[]): ValueCheck<W> {
  return (text, flag) => {
    if (!(words as readonly string[]).includes(text)) throw usage(`${flag} must be one of ${words.join(', ')}`);
    return text as W;
  };
}

export type { LogLevel };
export const logLevel: ValueCheck<LogLevel> = oneOf(LOG_LEVELS);

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `1h`, `2d` (a bare number is seconds) → seconds, within bounds. */
export function duration(minSeconds: number, maxSeconds: number): ValueCheck<number> {
  return (text, flag) => {
    const m = /^(\d{1,7})\s*([smhd]?)$/.exec(text.trim());
    const seconds = m ? Number(m[1]) * (UNITS[m[2] || 's'] as number) : NaN;
    if (!(seconds >= minSeconds && seconds <= maxSeconds)) {
      throw usage(`${flag} must be a duration like 30m, 1h or 2d, from ${minSeconds} s to ${maxSeconds / 86_400} days`);
    }
    return seconds;
  };
}

/** Seconds (fractions allowed) → milliseconds. */
export const timeoutMs: ValueCheck<number> = (text, flag) => {
  const trimmed = text.trim();
  const seconds = /^\d{1,9}(\.\d{1,3})?$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(seconds > 0 && seconds <= 31 * 86_400)) throw usage(`${flag} must be a number of seconds above 0, got ${JSON.stringify(trimmed.slice(0, 40))}`);
  return Math.round(seconds * 1000);
};

/** One line of text, checked like the relay checks it (a topic). */
export function line(field: string, maxChars: number): ValueCheck<string> {
  return (text) => checkLine(text, field, maxChars);
}

/** Text of up to `maxBytes`, checked like the relay checks it (a resolution). */
export function text(field: string, maxBytes: number): ValueCheck<string> {
  return (value) => checkBody(value, field, maxBytes);
}
