// `crosstalk spawn <kind> --host <h> --as <name> --cwd <dir>`: ask a host to start a coding agent,
// wait for its answer, and with --with open a conversation with it. The host's policy decides.
import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';
import { readBody } from '../lib/body.js';
import { postOnce } from '../lib/post.js';
import { outcomeError, requester, waitOutcome } from '../lib/spawn-requests.js';
import { say } from '../output.js';
import { type SPAWN_OPTIONS, spawnKind } from '../spec/spawn.js';

const handler: CommandHandler<typeof SPAWN_OPTIONS> = async (ctx, args, options) => {
  const kind = spawnKind(args[0] ?? '', '<kind>');
  if (options.prompt !== undefined && options.promptFile !== undefined)
    throw new CrosstalkError('INVALID_REQUEST', 'pass either --prompt or --prompt-file, not both');
  const task = options.prompt ?? (options.promptFile === undefined ? null : await readBody(ctx, { bodyFile: options.promptFile }));
  const withSessions = options.with ?? [];
  if (withSessions.length > 0 && options.admin)
    throw new CrosstalkError('INVALID_REQUEST', '--with opens a conversation as a session of this host; it cannot go with --admin');
  const who = await requester(ctx, options.admin);
  // With --with the task is the conversation's opening turn, which wakes the new session; it is not typed as well.
  const request = await who.spawns.requestSpawn({
    host: options.host,
    kind,
    session: options.as,
    cwd: options.cwd,
    prompt: withSessions.length > 0 ? null : task,
    model: options.model ?? null,
  });
  say(ctx, `asked ${request.host} to start ${kind} as ${options.as} (request ${request.id}); waiting for it to be ready…`);
  const outcome = await waitOutcome(who.client, 'spawn.resulted', request, options.timeout, ctx.signal);
  if (outcome.outcome !== 'started') throw outcomeError('spawn', outcome);
  let conversation: string | null = null;
  if (withSessions.length > 0) {
    const [opener, ...others] = withSessions as [string, ...string[]];
    const body = task ?? `You were started on ${options.host} to work with ${opener}. Say hello and wait for a task.`;
    const topic = options.topic ?? `task for ${options.as}: ${body.split('\n')[0]?.slice(0, 80) ?? ''}`;
    const answer = await postOnce(
      (idempotencyKey) => who.client.openConversation({ as: opener, topic, with: [options.as, ...others], body, idempotencyKey }),
      ctx.signal,
    );
    conversation = answer.conversation.id;
  }
  const session = (await who.client.listSessions()).sessions.find((s) => s.name === options.as);
  const data = {
    session: options.as,
    host: outcome.host,
    kind,
    state: session?.state ?? 'unknown',
    cwd: outcome.cwd,
    request: request.id,
    detail: outcome.detail,
    conversation,
  };
  const text = `${data.session} on ${data.host}: ${data.state} (${kind} in ${data.cwd ?? '?'}; ${outcome.detail})${conversation ? `; conversation ${conversation}` : ''}`;
  return { data, text };
};
export default handler;
