// The OpenAI Responses API as Codex uses it (wire_api = "responses"): POST /v1/responses, streamed.
// The main loop's requests carry tools (side requests, e.g. the thread title, carry none); `input`
// is the whole conversation, newest item last (store = false). A function_call_output after the
// newest user message means Codex reports a command's result. Codex puts its environment and
// instructions in user messages of their own (<environment_context>, "# AGENTS.md instructions …
// <INSTRUCTIONS>", <turn_aborted>, …): they are stripped, so only the person's text reaches the
// brain. A message sent while Codex works (a steer) cancels the pending answer and comes back as a
// second user message: the newest one counts. A command is answered as one call of the shell tool
// Codex offers (0.169: exec_command with a `cmd` string), in the shape its schema asks for.
import type { Answer, Provider } from './provider.js';
import { writeSse } from './provider.js';

interface Part {
  type: string;
  text?: string;
}
interface Item {
  type?: string;
  role?: string;
  content?: string | Part[];
  output?: unknown;
}
interface Tool {
  type?: string;
  name?: string;
  parameters?: { properties?: Record<string, { type?: string }> };
}
interface Request {
  model?: string;
  stream?: boolean;
  tools?: Tool[];
  input?: string | Item[];
}

let counter = 0;

/** Blocks Codex adds around the person's text: XML-like context blocks and AGENTS.md sections. */
const CONTEXT =
  /<(environment_context|user_instructions|permissions instructions|collaboration_mode|skills_instructions|turn_aborted|user_shell_command|apps_instructions|INSTRUCTIONS)>[\s\S]*?<\/\1>/g;

function textOf(item: Item): string {
  const parts = typeof item.content === 'string' ? [{ type: 'input_text', text: item.content }] : (item.content ?? []);
  return parts
    .filter((p) => (p.type === 'input_text' || p.type === 'text') && typeof p.text === 'string')
    .map((p) => (p.text as string).replace(CONTEXT, '').trim())
    .filter((t) => t !== '' && !t.startsWith('# AGENTS.md instructions'))
    .join('\n');
}

/** Items of the conversation, oldest first (a bare string input is one user message). */
function itemsOf(body: Request): Item[] {
  return typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : (body.input ?? []);
}

/** The shell tool Codex offers, and how its command argument is shaped. */
function shellTool(tools: Tool[]): { name: string; key: string; argv: boolean } {
  for (const name of ['exec_command', 'shell_command', 'shell']) {
    const tool = tools.find((t) => t.name === name);
    const props = tool?.parameters?.properties ?? {};
    const key = ['cmd', 'command'].find((k) => k in props);
    if (tool && key) return { name, key, argv: props[key]?.type === 'array' };
  }
  return { name: 'shell', key: 'command', argv: true };
}

export const openai: Provider = {
  matches: (method, path) => method === 'POST' && /\/responses$/.test(path),

  ask(raw) {
    const body = raw as Request;
    if (body.input === undefined) return undefined;
    if (!Array.isArray(body.tools) || body.tools.length === 0) return { kind: 'side' };
    const items = itemsOf(body);
    // The newest user message that holds the person's text (context-only messages are skipped).
    let last = -1;
    let text = '';
    for (let i = items.length - 1; i >= 0 && last < 0; i--) {
      const item = items[i] as Item;
      if ((item.type ?? 'message') !== 'message' || item.role !== 'user') continue;
      const t = textOf(item);
      if (t !== '') [last, text] = [i, t];
    }
    if (last < 0) return { kind: 'side' };
    const outputs = items.slice(last + 1).filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output');
    if (outputs.length > 0)
      return { kind: 'tool-result', output: outputs.map((o) => (typeof o.output === 'string' ? o.output : JSON.stringify(o.output ?? ''))).join('\n') };
    return { kind: 'prompt', text };
  },

  answer(_req, res, raw, answer: Answer) {
    const body = raw as Request;
    const model = body.model ?? 'mock';
    const id = `resp_mock_${++counter}`;
    const usage = {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    };
    const response = (status: string, output: object[]): object => ({
      id,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status,
      model,
      output,
      ...(status === 'completed' ? { usage } : {}),
    });
    if (body.stream === false) {
      const text = 'text' in answer ? answer.text : 'ok';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          response('completed', [
            { type: 'message', id: `msg_mock_${counter}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] },
          ]),
        ),
      );
      return;
    }
    let item: Record<string, unknown>;
    const events: Array<[string, object]> = [];
    if ('text' in answer) {
      const msgId = `msg_mock_${counter}`;
      item = { type: 'message', id: msgId, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: answer.text, annotations: [] }] };
      events.push(
        ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } }],
        [
          'response.content_part.added',
          { type: 'response.content_part.added', item_id: msgId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
        ],
        ['response.output_text.delta', { type: 'response.output_text.delta', item_id: msgId, output_index: 0, content_index: 0, delta: answer.text }],
        ['response.output_text.done', { type: 'response.output_text.done', item_id: msgId, output_index: 0, content_index: 0, text: answer.text }],
        [
          'response.content_part.done',
          {
            type: 'response.content_part.done',
            item_id: msgId,
            output_index: 0,
            content_index: 0,
            part: { type: 'output_text', text: answer.text, annotations: [] },
          },
        ],
      );
    } else {
      const tool = shellTool(body.tools ?? []);
      const args = JSON.stringify({ [tool.key]: tool.argv ? ['bash', '-lc', answer.command] : answer.command });
      item = { type: 'function_call', id: `fc_mock_${counter}`, call_id: `call_mock_${counter}`, name: tool.name, arguments: args, status: 'completed' };
      events.push(
        ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }],
        ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: item.id, output_index: 0, delta: args }],
        ['response.function_call_arguments.done', { type: 'response.function_call_arguments.done', item_id: item.id, output_index: 0, arguments: args }],
      );
    }
    writeSse(res, [
      ['response.created', { type: 'response.created', response: response('in_progress', []) }],
      ...events,
      ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item }],
      ['response.completed', { type: 'response.completed', response: response('completed', [item]) }],
    ]);
  },
};
