// Turn bodies stay on disk, in the conversation's state file (store.ts), not in the replica's
// memory: a body is written once with its turn and read back only to render the conversation's
// copy or to answer a read. The copies are not the store: they are renderings, whose text may
// show a body's control characters as symbols. In memory a turn keeps everything but its body,
// and a small cache (bounded in bytes) keeps the bodies of the conversations written last, so a
// conversation that is being talked in is not read back at every turn.
import type { Conversation, Turn } from '@crosstalk/core';

/** The turn as memory keeps it once its body is on disk. */
export function withoutBody(t: Turn): Turn {
  return t.body === '' ? t : { ...t, body: '' };
}

/**
 * The conversation whole: the first `onDisk` turns' bodies from `stored` (read back from its state
 * file), the later ones from memory, where they are until written. Null when `stored` lacks
 * bodies it must hold.
 */
export function joinBodies(c: Conversation, onDisk: number, stored: readonly string[] | undefined): Conversation | null {
  if (onDisk === 0) return c;
  if (!stored || stored.length < onDisk) return null;
  const turns = c.turns.map((t, i) => (i < onDisk ? { ...t, body: stored[i] as string } : t));
  return { ...c, turns };
}

/** Bodies of recently written conversations, least recently used out first, bounded in bytes. */
export class BodyCache {
  private readonly items = new Map<string, { bodies: string[]; bytes: number }>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): string[] | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    this.items.delete(id);
    this.items.set(id, item);
    return item.bodies;
  }

  set(id: string, bodies: string[]): void {
    this.delete(id);
    const bytes = bodies.reduce((sum, b) => sum + 2 * b.length + 64, 0);
    if (bytes > this.maxBytes) return;
    this.items.set(id, { bodies, bytes });
    this.used += bytes;
    for (const [key, item] of this.items) {
      if (this.used <= this.maxBytes) break;
      this.items.delete(key);
      this.used -= item.bytes;
    }
  }

  delete(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    this.used -= item.bytes;
  }

  clear(): void {
    this.items.clear();
    this.used = 0;
  }
}
