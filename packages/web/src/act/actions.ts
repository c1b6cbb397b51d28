// What a person does from the page, through the same relay API and rules as the CLI: each form's
// fields are checked with core's checks (the errors the CLI gives for the same input), then sent
// with this host's client. A refusal is the relay's CrosstalkError, shown on the page in words.
import type { RelayClient } from '@crosstalk/client';
import { checkBody, checkLine, checkName, CrosstalkError, LIMITS, type ModerationAction } from '@crosstalk/core';

export type Form = Readonly<Record<string, string>>;

/** Browsers send a textarea's line breaks as CRLF; a turn is stored with the LF the CLI sends. */
const lines = (text: string | undefined) => (text ?? '').replace(/\r\n?/g, '\n');

function field(form: Form, name: string): string {
  const value = form[name];
  if (value === undefined || value.trim() === '')
    throw new CrosstalkError('INVALID_REQUEST', `${name} is required`, { hint: 'fill in the form and send it again' });
  return value;
}

function whole(form: Form, name: string, min: number, max: number): number {
  const text = field(form, name).trim();
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max))
    throw new CrosstalkError('INVALID_REQUEST', `${name} must be a whole number from ${min} to ${max}`, { hint: 'fix the number and send it again' });
  return n;
}

function names(text: string | undefined): string[] {
  const list = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Set(list.map((s) => checkName('session', s)))];
}

const optional = (form: Form, name: string) => (form[name]?.trim() ? form[name] : undefined);

export class Actions {
  constructor(
    private readonly client: RelayClient,
    readonly host: string,
  ) {}

  /** Each action resolves with the relay seq of its event. */
  async postTurn(id: string, form: Form): Promise<number> {
    const next = names(form.next);
    const propose = optional(form, 'propose');
    const answer = await this.client.postTurn(id, {
      as: checkName('session', form.as),
      expectedTurn: whole(form, 'expectedTurn', 1, 1_000_000),
      idempotencyKey: field(form, 'key'),
      body: checkBody(lines(form.body)),
      ...(next.length > 0 ? { next } : {}),
      ...(propose ? { propose: checkBody(lines(propose), 'proposal', LIMITS.resolutionBytes) } : {}),
      ...(form.agree === 'yes' ? { agree: true } : {}),
    });
    return answer.seq;
  }

  /** Opens a conversation; its id and seq. */
  async open(form: Form): Promise<{ id: string; seq: number }> {
    const withList = names(form.with);
    if (withList.length === 0) throw new CrosstalkError('TOO_FEW_PARTICIPANTS', 'name at least one session to talk with', { hint: 'fill in "With"' });
    const answer = await this.client.openConversation({
      as: checkName('session', form.as),
      topic: checkLine(form.topic ?? '', 'topic', LIMITS.topicChars),
      with: withList,
      ...(optional(form, 'maxTurns') ? { maxTurns: whole(form, 'maxTurns', 1, LIMITS.maxTurnsCeiling) } : {}),
      body: checkBody(lines(form.body)),
      idempotencyKey: field(form, 'key'),
    });
    return { id: answer.conversation.id, seq: answer.seq };
  }

  async moderate(id: string, form: Form): Promise<number> {
    return (await this.client.moderate(id, { as: checkName('session', form.as), action: this.action(form) })).seq;
  }

  private action(form: Form): ModerationAction {
    switch (form.action) {
      case 'next':
        return { type: 'next', next: [checkName('session', form.value)] };
      case 'extend':
        return { type: 'extend', by: whole(form, 'value', 1, LIMITS.maxTurnsCeiling) };
      case 'add':
        return { type: 'add', session: checkName('session', form.value) };
      case 'remove':
        return { type: 'remove', session: checkName('session', form.value) };
      default:
        throw new CrosstalkError('INVALID_REQUEST', 'unknown moderator action', { hint: 'reload the page and use its forms' });
    }
  }

  async close(id: string, form: Form): Promise<number> {
    const answer = await this.client.close(id, {
      as: checkName('session', form.as),
      resolution: checkBody(lines(form.resolution), 'resolution', LIMITS.resolutionBytes),
    });
    return answer.seq;
  }

  /** Registers a person on this host: a session of kind `human`, with no terminal. */
  async addHuman(form: Form): Promise<string> {
    const name = checkName('session', form.name?.trim());
    await this.client.registerSession({ name, kind: 'human', wake: { type: 'none' } });
    return name;
  }
}
