// Posts on their way to the relay over the agent's link: each gets an id, goes out as a `post`
// frame when the link is up, and is answered by the relay's `posted` or `refused` frame with the
// same id. Opens, turns and receipts are kept in the outbox on disk (log.ts) until answered and sent
// again after every reconnect under the same id (the relay answers a repeated id with its first
// answer; an open's or a turn's idempotency key also holds across a relay restart). A moderation or a close has no key: it is sent once, and a link that drops before its
// answer leaves its outcome unknown, which its caller is told.
import { randomBytes } from 'node:crypto';
import type { LinkPostOp } from '@crosstalk/core';
import { postFrameJson } from './json-text.js';
import type { OutboxEntry, OutboxLog } from './log.js';

export type PostResult =
  | { ok: true; status: number; answer: Record<string, unknown> }
  | { ok: false; status: number; code: string; message: string; hint: string; details?: Record<string, unknown> };

export interface ForwarderDeps {
  /** Sends a `post` frame (its JSON) on the link; false when the link is down. */
  send(frameJson: string): boolean;
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  store: OutboxLog;
  /** Entries kept (on disk and in memory) before new ones are refused. */
  maxPending?: number;
}

interface Pending {
  entry: OutboxEntry;
  /** `JSON.stringify(entry.body)`, made once for the outbox line and every sending. */
  bodyJson: string;
  durable: boolean;
  sent: boolean;
  waiters: Array<(r: PostResult) => void>;
}

/** The relay refused because it is stopping: the post is sent again after the reconnect. */
const RESEND_CODES = new Set(['SHUTTING_DOWN']);

export class OutboxFullError extends Error {}

/** A post's id: random for this process, then counted (the relay answers a repeated id with its first answer, so ids never repeat). */
const ID_PREFIX = `${randomBytes(12).toString('base64url')}-`;

export class PostForwarder {
  private readonly pending = new Map<string, Pending>();
  private linked = false;
  private ids = 0;

  constructor(
    private readonly deps: ForwarderDeps,
    restored: OutboxEntry[] = [],
  ) {
    for (const entry of restored) this.pending.set(entry.id, { entry, bodyJson: JSON.stringify(entry.body), durable: true, sent: false, waiters: [] });
  }

  get size(): number {
    return this.pending.size;
  }

  get isLinked(): boolean {
    return this.linked;
  }

  /**
   * Takes a post. `kept` settles when it is safe (on disk, for a durable one; at once otherwise);
   * `result` when the relay answered. `bodyJson`, when the caller has it, is `JSON.stringify(body)`.
   */
  submit(
    op: LinkPostOp,
    conversation: string | undefined,
    body: object,
    durable: boolean,
    bodyJson: string = JSON.stringify(body),
  ): { id: string; kept: Promise<boolean>; result: Promise<PostResult> } {
    if (this.pending.size >= (this.deps.maxPending ?? 10_000))
      throw new OutboxFullError(`the agent already holds ${this.pending.size} posts the relay has not answered`);
    const id = `${ID_PREFIX}${(++this.ids).toString(36)}`;
    const entry: OutboxEntry = { id, op, ...(conversation === undefined ? {} : { conversation }), body, at: new Date().toISOString() };
    const p: Pending = { entry, bodyJson, durable, sent: false, waiters: [] };
    const result = new Promise<PostResult>((resolve) => p.waiters.push(resolve));
    this.pending.set(id, p);
    const kept = durable ? this.deps.store.add(entry, bodyJson) : Promise.resolve();
    // Sent at once, while the outbox line goes to disk: the relay's own fsync and the outbox's
    // overlap. Nobody is told the post is kept before its line is on disk, and a `-` line is
    // queued after its `+` line, so the file never holds an answer without its post.
    if (this.linked) this.sendOne(p);
    const go = kept.then(
      () => true,
      (err: unknown) => {
        this.deps.log.warn({ err: String(err), op }, 'could not keep a post in the outbox');
        // Already with the relay: its answer still comes while the link holds.
        if (p.sent) return false;
        this.pending.delete(id);
        this.settle(p, {
          ok: false,
          status: 500,
          code: 'INTERNAL',
          message: `the agent could not keep the post on disk: ${String(err)}`,
          hint: 'check the disk of this host',
        });
        return false;
      },
    );
    return { id, kept: go, result };
  }

  /** Gives up on a post nobody waits for any more, if it was never sent; whether it was dropped. */
  cancel(id: string): boolean {
    const p = this.pending.get(id);
    if (!p || p.durable || p.sent) return false;
    this.pending.delete(id);
    return true;
  }

  /** Whether the relay has the post in hand (sent and not yet answered). */
  wasSent(id: string): boolean {
    return this.pending.get(id)?.sent === true;
  }

  /** The link is up (welcomed): everything pending goes, oldest first. */
  linkUp(): void {
    this.linked = true;
    for (const p of this.pending.values()) if (!p.sent) this.sendOne(p);
  }

  /** The link is down: what was sent and not answered is sent again after the reconnect, or given up. */
  linkDown(): void {
    this.linked = false;
    for (const [id, p] of this.pending) {
      if (!p.sent) continue;
      p.sent = false;
      if (p.durable) continue;
      this.pending.delete(id);
      this.settle(p, {
        ok: false,
        status: 503,
        code: 'RELAY_UNREACHABLE',
        message: `the link to the relay dropped before it answered this ${p.entry.op}: it may or may not have been made`,
        hint: `check with \`crosstalk read ${p.entry.conversation ?? '<id>'}\` before trying again`,
      });
    }
  }

  /** The relay's answer to a post. */
  answer(
    frame:
      | { t: 'posted'; id: string; status: number; answer: Record<string, unknown> }
      | { t: 'refused'; id: string; status: number; code: string; message: string; hint: string; details?: unknown },
  ): void {
    const p = this.pending.get(frame.id);
    if (!p) return this.deps.log.debug({ id: frame.id }, 'an answer to a post no longer pending');
    if (frame.t === 'refused' && RESEND_CODES.has(frame.code) && p.durable) {
      // Stays pending, unsent: the next welcome sends it again.
      p.sent = false;
      return;
    }
    this.pending.delete(frame.id);
    if (p.durable) this.deps.store.done(frame.id);
    this.settle(
      p,
      frame.t === 'posted'
        ? { ok: true, status: frame.status, answer: frame.answer }
        : { ok: false, status: frame.status, code: frame.code, message: frame.message, hint: frame.hint, ...detailsOf(frame.details) },
    );
  }

  private sendOne(p: Pending): void {
    p.sent = this.deps.send(postFrameJson(p.entry.id, p.entry.op, p.entry.conversation, p.bodyJson));
  }

  private settle(p: Pending, r: PostResult): void {
    for (const w of p.waiters.splice(0)) w(r);
  }
}

/** The details of a refusal, when they are an object (as the relay sends them). */
function detailsOf(details: unknown): { details?: Record<string, unknown> } {
  return typeof details === 'object' && details !== null && !Array.isArray(details) ? { details: details as Record<string, unknown> } : {};
}
