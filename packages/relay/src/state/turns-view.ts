// The turns of a conversation as core's rules read them, from the table's two numbers a turn. A
// post's rules look at the number of turns, the last turn, and now and then one turn by number: a
// view builds a turn only when it is read, so deciding a post costs the same in a conversation of
// ten turns or ten thousand. It is an array to every reader (Array.isArray, length, indexing,
// iteration, JSON) but a read-only one: the relay changes conversations only by folding events.
import type { Turn } from '@crosstalk/core';

/** Reads turn `n` from the record of event `seq`, synchronously (a rule that asked for its body). */
export type TurnLoader = (seq: number, n: number) => Turn;

/**
 * A turn of a conversation built for the rules: number, author and `next` at hand, the rest read
 * from its record on first use. `toJSON` gives the whole turn, so it serialises like any other.
 */
export class LoggedTurn {
  #full: Turn | undefined;
  readonly #seq: number;
  readonly #load: TurnLoader;
  readonly #at: string | undefined;

  constructor(
    readonly n: number,
    readonly author: string,
    readonly next: string[],
    seq: number,
    load: TurnLoader,
    at?: string,
  ) {
    this.#seq = seq;
    this.#load = load;
    this.#at = at;
  }

  private get full(): Turn {
    if (!this.#full) this.#full = this.#load(this.#seq, this.n);
    return this.#full;
  }

  get host(): string {
    return this.full.host;
  }

  get at(): string {
    return this.#at ?? this.full.at;
  }

  get body(): string {
    return this.full.body;
  }

  get proposes(): string | undefined {
    return this.full.proposes;
  }

  get agrees(): number | undefined {
    return this.full.agrees;
  }

  toJSON(): Turn {
    return this.full;
  }
}

/** The array index a property key names, or -1 (`"01"`, `"1.0"` and `"-1"` name none, as with arrays). */
function indexOf(key: string | symbol): number {
  if (typeof key !== 'string' || key.length === 0 || key.length > 15) return -1;
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && key.length > 1)) return -1;
  const i = Number(key);
  return Number.isInteger(i) ? i : -1;
}

function refuse(): never {
  throw new TypeError('the turns of a conversation are read-only: the relay changes conversations only by folding events');
}

/**
 * `count` turns, turn `i + 1` built by `build(i)` on its first read and kept for the view's
 * life, so reading it twice gives the same object, as an array would.
 */
export function turnsView(count: number, build: (i: number) => Turn): Turn[] {
  const built: Array<Turn | undefined> = [];
  const at = (i: number): Turn => {
    let t = built[i];
    if (t === undefined) built[i] = t = build(i);
    return t;
  };
  // The target is an empty array: Array.isArray holds, and its prototype gives the methods, which read through these traps.
  return new Proxy<Turn[]>([], {
    get(target, key, receiver) {
      if (key === 'length') return count;
      const i = indexOf(key);
      if (i >= 0) return i < count ? at(i) : undefined;
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      const i = indexOf(key);
      return i >= 0 ? i < count : Reflect.has(target, key);
    },
    ownKeys() {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) keys.push(String(i));
      keys.push('length');
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === 'length') return { value: count, writable: true, enumerable: false, configurable: false };
      const i = indexOf(key);
      if (i >= 0) return i < count ? { value: at(i), writable: false, enumerable: true, configurable: true } : undefined;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    setPrototypeOf: refuse,
    preventExtensions: refuse,
  });
}
