// The Anthropic Messages API as Claude Code uses it: POST /v1/messages, streamed. The main loop's
// requests carry tools; the newest user message holds the prompt text or a tool_result block. The
// last message may be a `system` one Claude Code appends (its environment), so the newest *user*
// message is what counts. A command is answered as one `Bash` tool_use block.
import type { Answer, Provider } from './provider.js';
import { writeSse } from './provider.js';

interface Block {
  type: string;
  text?: string;
  content?: string | Array<{ type: string; text?: string }>;
}
interface Message {
  role: string;
  content: string | Block[];
}
interface Request {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  messages?: Message[];
}

let counter = 0;

function blocksOf(message: Message): Block[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

/**
 * Claude Code prefixes prompts with <system-reminder> blocks; the person's text is the rest. A
 * Stop hook's answer (`decision: block`) and a waiting hook's wake-up (asyncRewake) arrive inside
 * such a reminder ("Stop hook feedback:", "Stop hook blocking error …"): those count as the prompt.
 */
function promptText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.type !== 'text' || typeof b.text !== 'string') continue;
    for (const reminder of b.text.match(/<system-reminder>[\s\S]*?<\/system-reminder>/g) ?? []) {
      if (/Stop hook (?:feedback|blocking error)/.test(reminder)) parts.push(reminder.replace(/<\/?system-reminder>/g, '').trim());
    }
    const rest = b.text
      .replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, '')
      .replace(/<task-notification>[\s\S]*?<\/task-notification>/g, '')
      .trim();
    if (rest !== '') parts.push(rest);
  }
  return parts.join('\n');
}

function resultText(block: Block): string {
  if (typeof block.content === 'string') return block.content;
  return (block.content ?? []).map((c) => c.text ?? '').join('\n');
}

export const anthropic: Provider = {
  matches: (method, path) => method === 'POST' && path.startsWith('/v1/messages'),

  ask(raw) {
    const body = raw as Request;
    if (!Array.isArray(body.messages)) return undefined;
    if (!body.stream || !Array.isArray(body.tools) || body.tools.length === 0) return { kind: 'side' };
    const user = [...body.messages].reverse().find((m) => m.role === 'user');
    if (!user) return { kind: 'side' };
    const blocks = blocksOf(user);
    const text = promptText(blocks);
    // After a refused tool use, the next prompt shares a message with that tool_result.
    const results = blocks.filter((b) => b.type === 'tool_result');
    if (results.length > 0 && text === '') return { kind: 'tool-result', output: results.map(resultText).join('\n') };
    return { kind: 'prompt', text };
  },

  answer(_req, res, raw, answer: Answer) {
    const body = raw as Request;
    const model = body.model ?? 'mock';
    const id = `msg_mock_${++counter}`;
    const usage = { input_tokens: 10, output_tokens: 1 };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = 'text' in answer ? answer.text : 'ok';
      res.end(
        JSON.stringify({
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage,
        }),
      );
      return;
    }
    const start: [string, object] = [
      'message_start',
      { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } },
    ];
    const end = (stop: string): Array<[string, object]> => [
      ['message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } }],
      ['message_stop', { type: 'message_stop' }],
    ];
    if ('text' in answer) {
      writeSse(res, [
        start,
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: answer.text } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ...end('end_turn'),
      ]);
      return;
    }
    const input = JSON.stringify({ command: answer.command, description: 'Run the requested command' });
    writeSse(res, [
      start,
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: `toolu_mock_${counter}`, name: 'Bash', input: {} } },
      ],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: input } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ...end('tool_use'),
    ]);
  },
};
