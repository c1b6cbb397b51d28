// `crosstalk tail <id> [-f]`: print the conversation; with -f keep printing what happens, live
// from a watch link, until Ctrl-C or the conversation closes.
import { checkName, renderConversation, type Conversation, type Note, type Turn } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { followConversation } from '../lib/follow.js';
import { formatClosed, formatDecision, formatNote, formatTurn } from '../lib/format.js';
import { connectHost } from '../lib/home.js';
import type { TAIL_OPTIONS } from '../spec/moderation.js';
import { printJsonLine, printText } from '../output.js';

type Entry = { type: 'turn'; turn: Turn } | { type: 'note'; note: Note } | { type: 'status'; status: Conversation['status']; next: string[] };

/** What changed between two states of a conversation, in the order it happened. */
function changes(before: Conversation, after: Conversation): Entry[] {
  const out: Entry[] = [];
  const notes = after.notes.slice(before.notes.length);
  const turns = after.turns.slice(before.turns.length);
  let i = 0;
  for (const turn of turns) {
    while (i < notes.length && (notes[i] as Note).afterTurn < turn.n) out.push({ type: 'note', note: notes[i++] as Note });
    out.push({ type: 'turn', turn });
  }
  while (i < notes.length) out.push({ type: 'note', note: notes[i++] as Note });
  if (after.status !== before.status) out.push({ type: 'status', status: after.status, next: after.next });
  return out;
}

const handler: CommandHandler<typeof TAIL_OPTIONS> = async (ctx, args, options) => {
  const id = checkName('conversation', args[0]);
  const { client, signer } = await connectHost(ctx);
  if (!options.follow) {
    const { conversation } = await client.getConversation(id);
    return { data: { conversation }, text: renderConversation(conversation) };
  }
  const write = (s: string) => printText(ctx, s);
  let shown: Conversation | null = null;
  await followConversation({
    client,
    signer,
    id,
    signal: ctx.signal,
    onUpdate: (c) => {
      if (shown === null) {
        if (ctx.json) printJsonLine(ctx, { type: 'conversation', conversation: c });
        else write(renderConversation(c));
      } else {
        for (const entry of changes(shown, c)) {
          if (ctx.json) printJsonLine(ctx, entry);
          else if (entry.type === 'turn') write(formatTurn(c, entry.turn));
          else if (entry.type === 'note') write(formatNote(entry.note));
          else if (entry.status === 'converged') write(formatDecision(c));
          else if (entry.status === 'closed') write(formatClosed(c));
          else write(`\n(${c.id} is now ${entry.status})\n`);
        }
      }
      shown = structuredClone(c);
      return c.status === 'closed';
    },
  });
  return undefined;
};
export default handler;
