// Who is waiting on the log: answers waiting for their record's fsync, and readers waiting for
// anything to change (a durable advance, a failure, the close). The log says when; this keeps
// the promises.

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class DurableWaiters {
  private waiters: Waiter[] = [];
  private change: { promise: Promise<void>; resolve: () => void } | null = null;

  /** Resolves when `release` reaches `seq`, rejects if the log fails first. */
  wait(seq: number): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Everything up to `durable` is on disk. */
  release(durable: number): void {
    if (this.waiters.length > 0) {
      const still: Waiter[] = [];
      for (const w of this.waiters) {
        if (w.seq <= durable) w.resolve();
        else still.push(w);
      }
      this.waiters = still;
    }
    this.signalChange();
  }

  /** Nothing more will be on disk: every waiter gets `err`. */
  failAll(err: Error): void {
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
    this.signalChange();
  }

  /** Resolves at the next change: a cue for readers to look again. */
  nextChange(): Promise<void> {
    if (!this.change) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.change = { promise, resolve };
    }
    return this.change.promise;
  }

  signalChange(): void {
    const c = this.change;
    this.change = null;
    c?.resolve();
  }
}
