// The seam between the mock model's logic and one vendor's streaming API: a provider reads what
// the agent asked (the newest prompt text, or that it is reporting a tool's result) and writes an
// answer (text that ends the turn, or one shell command to run) in its API's event stream.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the coding agent sent, reduced to what the mock decides on. */
export type Asked =
  /** The newest user prompt of the agent's main loop. */
  | { kind: 'prompt'; text: string }
  /** The agent reports the result of the command it ran (its output, as the agent passed it on): the mock ends the turn. */
  | { kind: 'tool-result'; output: string }
  /** A side request (a title, a summary, a classifier): answered with short text, never judged. */
  | { kind: 'side' };

export type Answer = { text: string } | { command: string };

export interface Provider {
  /** Which requests this provider serves. */
  matches(method: string, path: string): boolean;
  /** Reads a request body; undefined when the request is not a model call (answered 404). */
  ask(body: unknown): Asked | undefined;
  /** Writes the answer as this API's response (streamed when the request asked for it). */
  answer(req: IncomingMessage, res: ServerResponse, body: unknown, answer: Answer): void;
}

/** Server-sent events: `event: <type>` and `data: <json>` per event. */
export function writeSse(res: ServerResponse, events: Array<[string, object]>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const [type, data] of events) res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  res.end();
}
