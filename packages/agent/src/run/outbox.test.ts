import { describe, expect, it } from 'vitest';
import type { ReceiptBody } from '@crosstalk/core';
import { ReceiptOutbox } from './outbox.js';

const receipt = (turn: number, session = 's'): ReceiptBody => ({ session, conversation: 'c-1', turn, status: 'delivered', attempt: 1 });

describe('ReceiptOutbox', () => {
  it('keeps receipts while the link is down, bounded, and sends them in order when it is back', () => {
    let up = false;
    const sent: number[] = [];
    const outbox = new ReceiptOutbox((r) => up && sent.push(r.turn) > 0, 3);
    for (const n of [1, 2, 3, 4]) outbox.push(receipt(n));
    expect(outbox.pending).toBe(3);
    expect(outbox.last.get('s')).toMatchObject({ turn: 4, status: 'delivered' });
    up = true;
    outbox.flush();
    outbox.push(receipt(5));
    expect(sent).toEqual([2, 3, 4, 5]);
    expect(outbox.pending).toBe(0);
  });

  it('never sends a new receipt ahead of older ones still waiting', () => {
    const sent: number[] = [];
    let budget = 1;
    const outbox = new ReceiptOutbox((r) => budget-- > 0 && sent.push(r.turn) > 0, 10);
    outbox.push(receipt(1));
    outbox.push(receipt(2));
    budget = 5;
    outbox.push(receipt(3));
    expect(sent).toEqual([1]);
    outbox.flush();
    expect(sent).toEqual([1, 2, 3]);
  });
});
