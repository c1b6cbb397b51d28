// The JSON texts a post is written as — its outbox line and its link `post` frame — put together
// around the body's JSON, which is made once per post (for the size check), not once per text.
// Each is byte for byte what JSON.stringify makes of the same object (json-text.test.ts).
import type { OutboxEntry } from './log.js';

/** `JSON.stringify({'+': entry})` plus the newline, from `bodyJson` = `JSON.stringify(entry.body)`. */
export function entryLine(entry: OutboxEntry, bodyJson: string): string {
  const conversation = entry.conversation === undefined ? '' : `,"conversation":${JSON.stringify(entry.conversation)}`;
  return `{"+":{"id":${JSON.stringify(entry.id)},"op":${JSON.stringify(entry.op)}${conversation},"body":${bodyJson},"at":${JSON.stringify(entry.at)}}}\n`;
}

/** `JSON.stringify({t: 'post', id, op, conversation?, body})`, from `bodyJson` = `JSON.stringify(body)`. */
export function postFrameJson(id: string, op: string, conversation: string | undefined, bodyJson: string): string {
  const c = conversation === undefined ? '' : `,"conversation":${JSON.stringify(conversation)}`;
  return `{"t":"post","id":${JSON.stringify(id)},"op":${JSON.stringify(op)}${c},"body":${bodyJson}}`;
}

/**
 * `JSON.stringify({...body, expectedTurn})` from `bodyJson` = `JSON.stringify(body)`, for a body
 * (a plain object, as parsed from JSON) that has no `expectedTurn` of its own.
 */
export function withExpectedTurn(bodyJson: string, expectedTurn: number): string {
  return `${bodyJson.slice(0, -1)}${bodyJson === '{}' ? '' : ','}"expectedTurn":${JSON.stringify(expectedTurn)}}`;
}
