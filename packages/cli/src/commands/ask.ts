// `crosstalk ask <session> "task"`: delegate. Opens a two-party conversation with the task as its
// body, waits for the other side's answer and prints it on stdout; the id goes to stderr.
import { checkLine, checkName, checkBody, CrosstalkError, EXIT, LIMITS, type Conversation, type OpenRequest, type PostAnswer } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { connectHost } from '../lib/home.js';
import { resolveSession } from '../lib/identity.js';
import { sendPost } from '../lib/post.js';
import { INTERRUPTED } from '../lib/signal.js';
import type { ASK_OPTIONS } from '../spec/sessions.js';
import { judge, waitForTurn } from '../lib/waiting.js';
import { say } from '../output.js';

/** The start of the task's first line, as a topic. */
function topicFrom(task: string): string {
  const line = task.trim().split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const chars = [...line];
  if (chars.length <= 60) return line || 'task';
  // Cut at a word when there is one to cut at.
  const cut = chars.slice(0, 59).join('');
  const space = cut.lastIndexOf(' ');
  return `${(chars[59] !== ' ' && space > 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Turns by others after this session's last turn. */
function answersTo(c: Conversation, session: string) {
  const mine = c.turns.filter((t) => t.author === session).at(-1)?.n ?? 0;
  return c.turns.filter((t) => t.n > mine && t.author !== session);
}

const handler: CommandHandler<typeof ASK_OPTIONS> = async (ctx, args, options) => {
  const to = checkName('session', args[0]);
  const task = checkBody(args.slice(1).join(' '), 'task');
  const topic = options.topic ?? checkLine(topicFrom(task), 'topic', LIMITS.topicChars);
  const host = await connectHost(ctx);
  const as = await resolveSession(ctx, host.layout, options.as);
  if (as === to) throw new CrosstalkError('TOO_FEW_PARTICIPANTS', `${as} cannot ask itself`);
  // The opening goes through this host's agent when one runs, like `crosstalk open`.
  const opened = await sendPost<PostAnswer>(
    ctx,
    { op: 'open', body: { as, topic, with: [to], next: [to], body: task }, direct: (client, b) => client.openConversation(b as OpenRequest) },
    { postTimeout: options.postTimeout, verbose: options.verbose },
  );
  const id = opened.conversation.id;
  say(ctx, `asked ${to} in ${id}; waiting for the answer`);
  const outcome = await waitForTurn({
    client: host.client,
    signer: host.signer,
    id,
    session: as,
    waitingDir: host.layout.waitingDir,
    pid: ctx.pid,
    timeoutMs: options.timeout,
    signal: ctx.signal,
    warn: (line) => say(ctx, `warning: ${line}`),
    until: (c) => {
      const verdict = judge(c, as);
      if (verdict === 'your-turn' && answersTo(c, as).length === 0) return undefined;
      return verdict;
    },
  });
  if (outcome.result === 'interrupted') {
    // Only the waiting stops: the conversation stays open with the turn at the asked session.
    say(
      ctx,
      `stopped waiting; ${id} stays open and ${to} still has the turn, so its answer will be there: ` +
        `\`crosstalk wait ${id} --as ${as}\` waits for it again, \`crosstalk read ${id} --new --as ${as}\` shows it; ` +
        `if you no longer want it, close it: \`crosstalk close ${id} --as ${as} --resolution "withdrawn"\``,
    );
    return { data: { id, to, result: 'interrupted' }, text: '', exitCode: INTERRUPTED };
  }
  const c = outcome.conversation;
  const turns = answersTo(c, as);
  const answer = turns.length > 0 ? turns.map((t) => t.body).join('\n\n') : null;
  const data = { id, to, result: outcome.result, status: c.status, answer, turns };
  if (answer === null) {
    say(ctx, `${id} ended (${c.status}) without an answer from ${to}`);
    return { data, text: '', exitCode: EXIT.ended };
  }
  say(
    ctx,
    `${to} answered in ${id} (turn ${turns.at(-1)?.n}); reply with \`crosstalk reply ${id} --as ${as}\` or close it with \`crosstalk close ${id} --as ${as} --resolution <text>\``,
  );
  return { data, text: answer, exitCode: EXIT.ok };
};
export default handler;
