import { describe, expect, it } from 'vitest';
import { CrosstalkError } from '@crosstalk/core';
import { commaList, duration, logLevel, oneOf, port, requiredText, sessionNames, timeoutMs, wholeNumber } from './values.js';

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
    const n = wholeNumber(1, 5);
    expect(n('5', '--n')).toBe(5);
    expect(n(' 1 ', '--n')).toBe(1);
    for (const bad of ['0', '6', '-1', '1.5', 'x', '', '1e3', '99999999999'])
      expect(
        code(() => n(bad, '--n')),
        bad,
      ).toBe('INVALID_REQUEST');
    expect(() => n('6', '--max-turns')).toThrow('--max-turns must be a whole number from 1 to 5, got "6"');
  });

  it('session lists are trimmed, checked and deduplicated', () => {
    expect(sessionNames('a, b,,a ', '--with')).toEqual(['a', 'b']);
    expect(code(() => sessionNames(' , ', '--with'))).toBe('INVALID_REQUEST');
    expect(code(() => sessionNames('', '--with'))).toBe('INVALID_REQUEST');
    expect(code(() => sessionNames('a,B', '--with'))).toBe('INVALID_NAME');
    expect(code(() => sessionNames('nul', '--with'))).toBe('INVALID_NAME');
    expect(commaList(' https://a, ,https://b', '--allow-origin')).toEqual(['https://a', 'https://b']);
  });

  it('durations: s, m, h, d or bare seconds, within bounds', () => {
    const expires = duration(60, 86_400);
    expect(expires('90s', '--expires')).toBe(90);
    expect(expires('30m', '--expires')).toBe(1800);
    expect(expires('1h', '--expires')).toBe(3600);
    expect(expires('1d', '--expires')).toBe(86_400);
    expect(expires('120', '--expires')).toBe(120);
    for (const bad of ['59s', '2d', '1w', 'soon', '', '-1h'])
      expect(
        code(() => expires(bad, '--expires')),
        bad,
      ).toBe('INVALID_REQUEST');
  });

  it('timeouts in seconds, fractions allowed, become milliseconds', () => {
    expect(timeoutMs('1.5', '--timeout')).toBe(1500);
    expect(timeoutMs('600', '--timeout')).toBe(600_000);
    for (const bad of ['0', '-1', 'x', '1.2345', ''])
      expect(
        code(() => timeoutMs(bad, '--timeout')),
        bad,
      ).toBe('INVALID_REQUEST');
  });

  it('ports, words from a list and required text', () => {
    expect(port('0', '--port')).toBe(0);
    expect(port('7717', '--port')).toBe(7717);
    expect(code(() => port('65536', '--port'))).toBe('INVALID_REQUEST');
    expect(logLevel('debug', '--log-level')).toBe('debug');
    expect(code(() => logLevel('loud', '--log-level'))).toBe('INVALID_REQUEST');
    expect(() => oneOf(['a', 'b'])('c', '--kind')).toThrow('--kind must be one of a, b');
    expect(requiredText('x', '--topic')).toBe('x');
    expect(code(() => requiredText('  ', '--topic'))).toBe('INVALID_REQUEST');
  });
});
