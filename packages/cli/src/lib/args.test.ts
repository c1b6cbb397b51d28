import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { duration, logLevel, optionalInt, port, requiredText, sessionList, timeoutMs } from './args.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof CrosstalkError ? err.code : String(err);
  }
};

describe('option values', () => {
  it('whole numbers within bounds; anything else is a usage error', () => {
    expect(optionalInt(undefined, '--n', 1, 5)).toBeUndefined();
    expect(optionalInt('5', '--n', 1, 5)).toBe(5);
    expect(optionalInt(' 1 ', '--n', 1, 5)).toBe(1);
    for (const bad of ['0', '6', '-1', '1.5', 'x', '', '1e3', '99999999999']) expect(code(() => optionalInt(bad, '--n', 1, 5)), bad).toBe('INVALID_REQUEST');
  });

  it('session lists are trimmed, checked and deduplicated', () => {
    expect(sessionList('a, b,,a ', '--with')).toEqual(['a', 'b']);
    expect(code(() => sessionList(' , ', '--with'))).toBe('INVALID_REQUEST');
    expect(code(() => sessionList(undefined, '--with'))).toBe('INVALID_REQUEST');
    expect(code(() => sessionList('a,B', '--with'))).toBe('INVALID_NAME');
    expect(code(() => sessionList('nul', '--with'))).toBe('INVALID_NAME');
  });

  it('durations: s, m, h, d or bare seconds, within bounds', () => {
    expect(duration('90s', '--expires', 60, 86_400)).toBe(90);
    expect(duration('30m', '--expires', 60, 86_400)).toBe(1800);
    expect(duration('1h', '--expires', 60, 86_400)).toBe(3600);
    expect(duration('1d', '--expires', 60, 86_400)).toBe(86_400);
    expect(duration('120', '--expires', 60, 86_400)).toBe(120);
    for (const bad of ['59s', '2d', '1w', 'soon', '', '-1h']) expect(code(() => duration(bad, '--expires', 60, 86_400)), bad).toBe('INVALID_REQUEST');
  });

  it('timeouts in seconds, fractions allowed, become milliseconds', () => {
    expect(timeoutMs(undefined)).toBeUndefined();
    expect(timeoutMs('1.5')).toBe(1500);
    expect(timeoutMs('600')).toBe(600_000);
    for (const bad of ['0', '-1', 'x', '1.2345', '']) expect(code(() => timeoutMs(bad)), bad).toBe('INVALID_REQUEST');
  });

  it('ports, log levels and required text', () => {
    expect(port('0')).toBe(0);
    expect(port('7717')).toBe(7717);
    expect(code(() => port('65536'))).toBe('INVALID_REQUEST');
    expect(logLevel(undefined)).toBe('info');
    expect(logLevel('debug')).toBe('debug');
    expect(code(() => logLevel('loud'))).toBe('INVALID_REQUEST');
    expect(requiredText('x', '--topic')).toBe('x');
    expect(code(() => requiredText('  ', '--topic'))).toBe('INVALID_REQUEST');
  });
});
