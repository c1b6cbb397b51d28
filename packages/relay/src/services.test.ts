// The relay's time stamps: ISO strings of its clock, one string shared by the calls of one millisecond.
import { describe, expect, it } from 'vitest';
import { isoNow } from './services.js';

describe('isoNow', () => {
  it('follows the clock to the millisecond, forwards and back', () => {
    let now = Date.parse('2026-12-06T10:00:00.000Z');
    const services = { now: () => now };
    const first = isoNow(services);
    expect(first).toBe('2026-12-06T10:00:00.000Z');
    expect(isoNow(services)).toBe(first);
    now += 1;
    expect(isoNow(services)).toBe('2026-12-06T10:00:00.001Z');
    now -= 60_000;
    expect(isoNow(services)).toBe('2026-12-06T09:59:00.001Z');
    expect(isoNow({ now: () => Date.parse('2027-01-01T00:00:00Z') })).toBe('2027-01-01T00:00:00.000Z');
  });
});
