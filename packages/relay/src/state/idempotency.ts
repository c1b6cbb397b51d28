// Which request made each turn, by idempotency key, without keeping the keys: a key is in the
// record of the event it made, so the index maps a 30-bit hash of the key to that event's seq (an
// open-addressing table of two typed arrays, 8 bytes a slot, at most half full), and a lookup reads
// the candidate records to compare the keys. A
// new key almost never meets a candidate (about one in 2,000 at 500,000 keys); a repeated key is a
// retry, when one record read is nothing. The hash is seeded per data set, so keys cannot be
// chosen to pile onto one entry. It is the `idempotency` map of the relay's state, so core's rules
// look keys up unchanged.
import { randomInt } from 'node:crypto';
import { parseJson, type RelayEvent } from '@crosstalk/core';

export interface IdempotentResult {
  conversation: string;
  turn: number;
}

/** Reads the record of event `seq`, synchronously (JSON). */
export type RecordReader = (seq: number) => string;

const HASH_MASK = 0x3fffffff;
const FIRST_SLOTS = 1024;

/** FNV-1a over the UTF-16 code units, from a seed, cut to 30 bits. */
export function keyHash(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (h >>> 15)) & HASH_MASK;
}

/** What an idempotent event made: its key, the conversation and the turn. */
export function madeBy(event: RelayEvent): { key: string; result: IdempotentResult } | null {
  if (event.type === 'conversation.opened') return { key: event.key, result: { conversation: event.conversation.id, turn: 1 } };
  if (event.type === 'turn.posted') return { key: event.key, result: { conversation: event.conversation, turn: event.turn.n } };
  return null;
}

export class IdempotencyIndex implements Map<string, IdempotentResult> {
  /** Hash + 1 of each slot (0: empty); colliding hashes take the next free slots. */
  private hashes = new Uint32Array(FIRST_SLOTS);
  /** The seq of the event each slot's key made. */
  private seqs = new Uint32Array(FIRST_SLOTS);
  private count = 0;
  readonly [Symbol.toStringTag] = 'IdempotencyIndex';

  constructor(
    private readonly read: RecordReader,
    private hashSeed: number = randomInt(0, 2 ** 31),
  ) {}

  get seed(): number {
    return this.hashSeed;
  }

  /** Records that the event `seq` was made with `key`. */
  add(key: string, seq: number): void {
    this.put(keyHash(this.seed, key), seq);
  }

  private put(hash: number, seq: number): void {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > 0xffffffff) throw new RangeError(`seq ${seq} cannot be indexed`);
    if ((this.count + 1) * 2 > this.hashes.length) this.grow();
    const mask = this.hashes.length - 1;
    let i = hash & mask;
    while (this.hashes[i] !== 0) i = (i + 1) & mask;
    this.hashes[i] = hash + 1;
    this.seqs[i] = seq;
    this.count++;
  }

  private grow(): void {
    const { hashes, seqs } = this;
    this.hashes = new Uint32Array(hashes.length * 2);
    this.seqs = new Uint32Array(hashes.length * 2);
    this.count = 0;
    for (let i = 0; i < hashes.length; i++) if (hashes[i] !== 0) this.put((hashes[i] as number) - 1, seqs[i] as number);
  }

  /** Seqs of the events whose keys have this hash. */
  private candidates(hash: number): number[] {
    const out: number[] = [];
    const mask = this.hashes.length - 1;
    for (let i = hash & mask; this.hashes[i] !== 0; i = (i + 1) & mask) if (this.hashes[i] === hash + 1) out.push(this.seqs[i] as number);
    return out;
  }

  get(key: string): IdempotentResult | undefined {
    for (const seq of this.candidates(keyHash(this.seed, key))) {
      const made = madeBy(parseJson(this.read(seq)) as RelayEvent);
      if (made?.key === key) return made.result;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.count;
  }

  /** Hash and seq of every key, flat, for a snapshot. */
  *pairs(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.hashes.length; i++) if (this.hashes[i] !== 0) yield [(this.hashes[i] as number) - 1, this.seqs[i] as number];
  }

  /** Takes the seed of the snapshot being restored (before any pair). */
  restoreSeed(seed: number): void {
    if (this.count > 0 || !Number.isSafeInteger(seed)) throw new Error('an idempotency seed comes first, and once');
    this.hashSeed = seed;
  }

  /** Puts back what a snapshot held: hash, seq, hash, seq… */
  restore(flat: unknown[]): void {
    if (flat.length % 2 !== 0) throw new Error('an idempotency line is malformed');
    for (let i = 0; i < flat.length; i += 2) {
      const h = flat[i];
      const seq = flat[i + 1];
      if (!Number.isInteger(h) || (h as number) < 0 || (h as number) > HASH_MASK || !Number.isSafeInteger(seq))
        throw new Error('an idempotency line is malformed');
      this.put(h as number, seq as number);
    }
  }

  set(): this {
    throw new Error('the relay records idempotency keys only by folding events');
  }

  delete(): boolean {
    throw new Error('the relay records idempotency keys only by folding events');
  }

  clear(): void {
    throw new Error('the relay records idempotency keys only by folding events');
  }

  /** Listing the keys reads every record: for tests and diagnostics only. */
  *entries(): IterableIterator<[string, IdempotentResult]> {
    const seqs = [...this.pairs()].map(([, seq]) => seq).sort((a, b) => a - b);
    for (const seq of seqs) {
      const made = madeBy(parseJson(this.read(seq)) as RelayEvent);
      if (made) yield [made.key, made.result];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<IdempotentResult> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, IdempotentResult]> {
    return this.entries();
  }

  forEach(fn: (value: IdempotentResult, key: string, map: Map<string, IdempotentResult>) => void): void {
    for (const [key, value] of this.entries()) fn(value, key, this);
  }
}
