// Receipts on their way to the relay: sent over the link at once, or kept (bounded) until the
// link is back. The latest receipt of each session is remembered for the status file.
import type { ReceiptBody } from '@crosstalk/core';
import type { LastReceipt } from './status.js';

export class ReceiptOutbox {
  private readonly queue: ReceiptBody[] = [];
  readonly last = new Map<string, LastReceipt>();

  constructor(
    /** Sends one receipt; false when the link is down. */
    private readonly send: (receipt: ReceiptBody) => boolean,
    private readonly max: number,
  ) {}

  push(receipt: ReceiptBody): void {
    this.last.set(receipt.session, {
      conversation: receipt.conversation,
      turn: receipt.turn,
      status: receipt.status,
      ...(receipt.reason === undefined ? {} : { reason: receipt.reason }),
      attempt: receipt.attempt,
      at: new Date().toISOString(),
    });
    if (this.queue.length === 0 && this.send(receipt)) return;
    this.queue.push(receipt);
    if (this.queue.length > this.max) this.queue.shift();
  }

  /** Sends what was kept, in order, while the link takes it. */
  flush(): void {
    while (this.queue.length > 0 && this.send(this.queue[0] as ReceiptBody)) this.queue.shift();
  }

  get pending(): number {
    return this.queue.length;
  }
}
