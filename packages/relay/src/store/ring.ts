// The most recent serialized events, by seq, bounded in count and bytes. Live fan-out and short
// replays read from here; older records are read back from the file.
export class RecordRing {
  private readonly slots: (string | undefined)[];
  private readonly mask: number;
  /** Seq of the oldest record held. */
  private firstSeq = 1;
  /** Seq the next pushed record must have. */
  private nextSeq = 1;
  private bytes = 0;

  constructor(
    capacityPow2: number,
    private readonly maxBytes: number,
  ) {
    if (!Number.isInteger(Math.log2(capacityPow2))) throw new RangeError('ring capacity must be a power of two');
    this.slots = new Array(capacityPow2);
    this.mask = capacityPow2 - 1;
  }

  /** Starts empty just after `seq` (used when the file holds records the ring never saw). */
  resetAfter(seq: number): void {
    this.slots.fill(undefined);
    this.firstSeq = seq + 1;
    this.nextSeq = seq + 1;
    this.bytes = 0;
  }

  push(seq: number, json: string): void {
    if (seq !== this.nextSeq) this.resetAfter(seq - 1);
    const full = this.nextSeq - this.firstSeq === this.slots.length;
    if (full) this.evictOldest();
    while (this.bytes + json.length > this.maxBytes && this.firstSeq < this.nextSeq) this.evictOldest();
    this.slots[seq & this.mask] = json;
    this.bytes += json.length;
    this.nextSeq = seq + 1;
  }

  private evictOldest(): void {
    const i = this.firstSeq & this.mask;
    this.bytes -= this.slots[i]?.length ?? 0;
    this.slots[i] = undefined;
    this.firstSeq++;
  }

  /** The oldest seq held (equals `end` when empty). */
  get start(): number {
    return this.firstSeq;
  }

  /** One past the newest seq held. */
  get end(): number {
    return this.nextSeq;
  }

  get(seq: number): string | undefined {
    return seq >= this.firstSeq && seq < this.nextSeq ? this.slots[seq & this.mask] : undefined;
  }
}

/** Byte offset of every record in the file, by seq; 8 bytes a record. */
export class OffsetIndex {
  private offsets = new Float64Array(1024);
  private count = 0;

  push(offset: number): void {
    if (this.count === this.offsets.length) {
      const bigger = new Float64Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    this.offsets[this.count++] = offset;
  }

  /** Offset of the record with this seq (1-based). */
  of(seq: number): number {
    if (seq < 1 || seq > this.count) throw new RangeError(`no record ${seq}`);
    return this.offsets[seq - 1] as number;
  }

  get size(): number {
    return this.count;
  }
}
