// After the storm: every turn the relay logged, in the log's order, against what each host's
// markdown copies hold. A copy may neither miss a turn, nor repeat one, nor show two out of order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN } from './posters.js';

export interface Tally {
  delivered: number;
  lost: number;
  dup: number;
  outOfOrder: number;
}

/** The turn tokens of a text, in the order they appear. */
export function tokensOf(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[0]);
}

/** Turn tokens per conversation, in log order, from the relay's raw event stream. */
export async function loggedTurns(relayUrl: string, adminToken: () => Promise<string>): Promise<Map<string, string[]>> {
  const turns = new Map<string, string[]>();
  let after = 0;
  for (;;) {
    const res = await fetch(`${relayUrl}/v1/events?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${await adminToken()}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`events after ${after}: ${res.status} ${text.slice(0, 300)}`);
    const { events } = JSON.parse(text) as { events: Array<{ seq: number; type: string; conversation: any; turn?: { body: string } }> };
    if (events.length === 0) return turns;
    for (const e of events) {
      let id: string | null = null;
      let body: string | null = null;
      if (e.type === 'conversation.opened') {
        id = e.conversation.id;
        body = e.conversation.turns[0].body;
      } else if (e.type === 'turn.posted') {
        id = e.conversation;
        body = e.turn?.body ?? '';
      }
      if (id === null || body === null) continue;
      const list = turns.get(id) ?? [];
      list.push(...tokensOf(body));
      turns.set(id, list);
    }
    after = events[events.length - 1]!.seq;
  }
}

/** Compares one ordered list with the reference. */
export function compare(reference: string[], seen: string[]): Tally {
  const position = new Map(reference.map((t, i) => [t, i]));
  const counts = new Map<string, number>();
  for (const t of seen) counts.set(t, (counts.get(t) ?? 0) + 1);
  let dup = 0;
  for (const n of counts.values()) if (n > 1) dup += n - 1;
  const lost = reference.filter((t) => !counts.has(t)).length;
  let outOfOrder = 0;
  let last = -1;
  for (const t of seen) {
    const p = position.get(t);
    if (p === undefined) continue;
    if (p < last) outOfOrder++;
    last = Math.max(last, p);
  }
  return { delivered: seen.length, lost, dup, outOfOrder };
}

export function add(a: Tally, b: Tally): Tally {
  return { delivered: a.delivered + b.delivered, lost: a.lost + b.lost, dup: a.dup + b.dup, outOfOrder: a.outOfOrder + b.outOfOrder };
}

/** A host's copies of every conversation against the log. */
export async function checkCopies(copiesDir: string, logged: Map<string, string[]>): Promise<Tally> {
  let total: Tally = { delivered: 0, lost: 0, dup: 0, outOfOrder: 0 };
  for (const [id, reference] of logged) {
    const text = await readFile(join(copiesDir, `${id}.md`), 'utf8').catch(() => '');
    total = add(total, compare(reference, tokensOf(text)));
  }
  return total;
}
