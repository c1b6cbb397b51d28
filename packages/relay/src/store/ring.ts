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

/** Records a page of the offset index holds. */
const PAGE_RECORDS = 65_536;
const U32_LIMIT = 2 ** 32;

/**
 * Byte offset of every record in the file, by seq: 4 bytes a record. Offsets only grow, so a page
 * keeps its first record's offset and the others as distances from it (a page that spans 4 GiB or
 * more, which no real log comes near, keeps them as 8-byte numbers). Pages are of a fixed size and
 * added as the log grows: nothing is copied to grow, and no outgrown array is left behind for the
 * allocator to keep.
 */
export class OffsetIndex {
  private readonly bases: number[] = [];
  private readonly pages: Array<Uint32Array | Float64Array> = [];
  private count = 0;

  push(offset: number): void {
    const slot = this.count % PAGE_RECORDS;
    if (slot === 0) {
      this.bases.push(offset);
      this.pages.push(new Uint32Array(PAGE_RECORDS));
    }
    const p = this.pages.length - 1;
    let page = this.pages[p] as Uint32Array | Float64Array;
    const distance = offset - (this.bases[p] as number);
    if (distance >= U32_LIMIT && page instanceof Uint32Array) {
      page = Float64Array.from(page);
      this.pages[p] = page;
    }
    page[slot] = distance;
    this.count++;
  }

  /** Offset of the record with this seq (1-based). */
  of(seq: number): number {
    if (seq < 1 || seq > this.count) throw new RangeError(`no record ${seq}`);
    const i = seq - 1;
    const p = Math.floor(i / PAGE_RECORDS);
    return (this.bases[p] as number) + ((this.pages[p] as Uint32Array | Float64Array)[i % PAGE_RECORDS] as number);
  }

  get size(): number {
    return this.count;
  }
}
