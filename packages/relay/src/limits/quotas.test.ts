// The hourly window of the per-host quotas: what was posted more than an hour ago no longer counts.
import { describe, expect, it } from 'vitest';
import { HostQuotas, turnBytes } from './quotas.js';

const posted = (host: string, bytes: number, at: number) =>
  ({
    type: 'turn.posted',
    seq: 1,
    at: new Date(at).toISOString(),
    conversation: 'c',
    turn: { n: 2, author: 's', host, at: new Date(at).toISOString(), body: 'x'.repeat(bytes), next: [] },
  }) as never;

describe('HostQuotas', () => {
  it('frees the hourly bytes an hour after they were posted, and never the stored bytes', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const q = new HostQuotas({ openConversations: 10, bytesPerHour: 1000, storedBytes: 1500 }, () => now);
    q.apply(posted('h', 900, now), () => undefined);
    expect(() => q.admit('h', [posted('h', 200, now)])).toThrow(/posted 1 KiB in the last hour; the limit \(bytesPerHour\)/);
    now += 3_600_001;
    expect(q.used('h')).toEqual({ openConversations: 0, bytesPerHour: 0, storedBytes: 900 });
    expect(() => q.admit('h', [posted('h', 200, now)])).not.toThrow();
    expect(() => q.admit('h', [posted('h', 700, now)])).toThrow(/\(storedBytes\)/);
  });

  it('binds nothing when disabled', () => {
    const q = new HostQuotas(false, () => 0);
    expect(() => q.admit('h', [posted('h', 10_000_000, 0)])).not.toThrow();
  });

  it('weighs each turn by its own UTF-8 bytes, whichever was weighed before', () => {
    const a = { body: 'été', proposes: 'été' };
    const b = { body: 'x'.repeat(10), proposes: '🙂' };
    expect([turnBytes(a), turnBytes(a), turnBytes(b), turnBytes(a), turnBytes({ body: 'été' }), turnBytes(b)]).toEqual([5, 5, 14, 5, 5, 14]);
  });
});
