// A model server for the real coding agents, on 127.0.0.1 with port 0: it speaks the Anthropic
// Messages API (Claude Code) and the OpenAI Responses API (Codex), makes the agent run the one
// command its prompt names (brain.ts), and records every exchange. A prompt that names no command
// is recorded as a failure the test asserts away. A gate holds answers back, so a test can keep an
// agent "working" for as long as it needs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropic } from './anthropic.js';
import { decide, type BodyStyle, type Decision } from './brain.js';
import { openai } from './openai.js';
import type { Answer, Asked, Provider } from './provider.js';

export interface Exchange {
  at: number;
  provider: 'anthropic' | 'openai';
  asked: Asked;
  answer: Answer;
}

const PROVIDERS: Array<[Exchange['provider'], Provider]> = [
  ['anthropic', anthropic],
  ['openai', openai],
];
const MAX_BODY = 64 * 1024 * 1024;

export class MockModel {
  readonly exchanges: Exchange[] = [];
  /** Prompts that named no command: each is a test failure. */
  readonly failures: string[] = [];
  /** Decides what a prompt makes the agent do; tests may replace it. */
  decide: (text: string, style: BodyStyle) => Decision = decide;
  private gated: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MockModel> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const mock = new MockModel(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void mock.handle(req, res));
    return mock;
  }

  /** Prompts the agents sent, oldest first. */
  prompts(provider?: Exchange['provider']): string[] {
    return this.exchanges.filter((e) => e.asked.kind === 'prompt' && (!provider || e.provider === provider)).map((e) => (e.asked as { text: string }).text);
  }

  /** What the commands the agents ran printed, oldest first. */
  outputs(provider?: Exchange['provider']): string[] {
    return this.exchanges
      .filter((e) => e.asked.kind === 'tool-result' && (!provider || e.provider === provider))
      .map((e) => (e.asked as { output: string }).output);
  }

  /** Holds every answer to a prompt until `release` is called: the agent stays "working". */
  hold(): { release: () => void } {
    let release = (): void => undefined;
    this.gated = new Promise<void>((resolve) => {
      release = () => {
        this.gated = undefined;
        resolve();
      };
    });
    return { release };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    const found = PROVIDERS.find(([, p]) => p.matches(req.method ?? 'GET', path));
    const raw = await readBody(req).catch(() => undefined);
    let body: unknown;
    try {
      body = raw === undefined || raw === '' ? {} : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const asked = found && body !== undefined ? found[1].ask(body) : undefined;
    if (!found || !asked) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"type":"not_found","message":"not a model call"}}');
      return;
    }
    const answer = this.answerFor(asked, found[0] === 'openai' ? 'argument' : 'heredoc');
    if (asked.kind === 'prompt' && this.gated) await this.gated;
    this.exchanges.push({ at: Date.now(), provider: found[0], asked, answer });
    found[1].answer(req, res, body, answer);
  }

  private answerFor(asked: Asked, style: BodyStyle): Answer {
    if (asked.kind === 'side') return { text: 'ok' };
    if (asked.kind === 'tool-result') return { text: 'done' };
    const decision = this.decide(asked.text, style);
    if (decision.command !== undefined) return { command: decision.command };
    this.failures.push(decision.why ?? `no command in ${JSON.stringify(asked.text)}`);
    return { text: 'nothing to do' };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
