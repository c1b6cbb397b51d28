// A typed client for every route of docs/PROTOCOL.md. One client speaks for one identity: a
// host (signing with its key) or the relay admin (signing with the admin key).
import {
  API_PREFIX,
  checkName,
  LIMITS,
  type CloseRequest,
  type CompactAnswer,
  type CompactionStatusAnswer,
  type ConversationAnswer,
  type ConversationsAnswer,
  type EnrollAnswer,
  type EnrollRequest,
  type EventsAnswer,
  type Health,
  type HostsAnswer,
  type InviteAnswer,
  type InviteRequest,
  type KeyRotatedAnswer,
  type ModerateAnswer,
  type ModerateRequest,
  type OpenRequest,
  type PostAnswer,
  type PostRequest,
  type ReceiptAnswer,
  type ReceiptBody,
  type ReceiptsAnswer,
  type RegisterSessionRequest,
  type RemovalAnswer,
  type RemovalRequest,
  type RevokeAnswer,
  type RotateKeyRequest,
  type Schema,
  type SessionAnswer,
  type SessionsAnswer,
} from '@crosstalk/core';
// Every answer is checked with core's schema of it, the same one the relay's answer is typed by.
import * as answers from '@crosstalk/core/answers';
import type { TokenSigner } from '@crosstalk/core/token';
import { requestJson, requestText, type FetchLike, type RequestSpec } from './http.js';

export interface RelayClientOptions {
  relayUrl: string;
  /** Signs every authenticated request; a host signer or the admin signer. */
  signer?: TokenSigner | undefined;
  /** Deadline of one ordinary request (default 10 s). */
  timeoutMs?: number | undefined;
  /** Deadline of requests that may carry a whole log page or conversation (default 60 s). */
  bulkTimeoutMs?: number | undefined;
  fetch?: FetchLike | undefined;
}

export interface RelayClient {
  readonly relayUrl: string;
  health(): Promise<Health>;
  enroll(body: EnrollRequest): Promise<EnrollAnswer>;
  /** Admin. */
  createInvite(body?: InviteRequest): Promise<InviteAnswer>;
  listHosts(): Promise<HostsAnswer>;
  /** Admin. */
  revokeHost(name: string): Promise<RevokeAnswer>;
  /** The host itself, signing with its current key: replaces that key with `body.publicKey`. */
  rotateHostKey(name: string, body: RotateKeyRequest): Promise<KeyRotatedAnswer>;
  /** Admin, signing with the current admin key: the relay makes a new admin key in its data dir. */
  rotateAdminKey(): Promise<KeyRotatedAnswer>;
  listSessions(): Promise<SessionsAnswer>;
  registerSession(body: RegisterSessionRequest): Promise<SessionAnswer>;
  unregisterSession(name: string): Promise<SessionAnswer>;
  listConversations(filter?: { status?: string | undefined; participant?: string | undefined; archived?: boolean | undefined }): Promise<ConversationsAnswer>;
  openConversation(body: OpenRequest): Promise<PostAnswer>;
  getConversation(id: string, options?: { since?: number | undefined }): Promise<ConversationAnswer>;
  getMarkdown(id: string): Promise<string>;
  listReceipts(id: string): Promise<ReceiptsAnswer>;
  postTurn(id: string, body: PostRequest): Promise<PostAnswer>;
  moderate(id: string, body: ModerateRequest): Promise<ModerateAnswer>;
  close(id: string, body: CloseRequest): Promise<ModerateAnswer>;
  postReceipt(body: ReceiptBody): Promise<ReceiptAnswer>;
  archive(id: string, body: RemovalRequest): Promise<RemovalAnswer>;
  deleteConversation(id: string, body: RemovalRequest): Promise<RemovalAnswer>;
  /** Admin: asks the running relay to compact its log (it restarts for it). */
  requestCompaction(): Promise<CompactAnswer>;
  compactionStatus(): Promise<CompactionStatusAnswer>;
  events(after: number, options?: { limit?: number | undefined }): Promise<EventsAnswer>;
}

const SMALL = 1024 * 1024;
// A conversation may hold up to maxTurnsCeiling * 2 turns of 64 KiB; a log page 1000 events.
const BULK = 256 * 1024 * 1024;

/** Path segments are names; checking them first keeps a stray `/` or `..` out of the URL. */
const seg = (kind: 'host' | 'session' | 'conversation', value: string) => encodeURIComponent(checkName(kind, value));

export function createRelayClient(options: RelayClientOptions): RelayClient {
  const http = { relayUrl: options.relayUrl, signer: options.signer, timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch };
  const bulkTimeoutMs = options.bulkTimeoutMs ?? 60_000;

  const json = <T>(
    method: RequestSpec['method'],
    path: string,
    schema: Schema<T>,
    more: { body?: unknown; auth?: boolean; query?: RequestSpec['query']; bulk?: boolean } = {},
  ): Promise<T> =>
    requestJson(
      http,
      {
        method,
        path: `${API_PREFIX}${path}`,
        query: more.query,
        body: more.body,
        auth: more.auth ?? true,
        maxBytes: more.bulk ? BULK : SMALL,
        timeoutMs: more.bulk ? bulkTimeoutMs : undefined,
      },
      schema,
    );

  return {
    relayUrl: options.relayUrl,
    health: () => json('GET', '/health', answers.HealthSchema, { auth: false }),
    enroll: (body) => json('POST', '/enroll', answers.EnrollAnswerSchema, { body, auth: false }),
    createInvite: (body = {}) => json('POST', '/invites', answers.InviteAnswerSchema, { body }),
    listHosts: () => json('GET', '/hosts', answers.HostsAnswerSchema, { bulk: true }),
    revokeHost: async (name) => json('POST', `/hosts/${seg('host', name)}/revoke`, answers.RevokeAnswerSchema),
    rotateHostKey: async (name, body) => json('POST', `/hosts/${seg('host', name)}/key`, answers.KeyRotatedAnswerSchema, { body }),
    rotateAdminKey: () => json('POST', '/admin/key', answers.KeyRotatedAnswerSchema),
    listSessions: () => json('GET', '/sessions', answers.SessionsAnswerSchema, { bulk: true }),
    registerSession: (body) => json('POST', '/sessions', answers.SessionAnswerSchema, { body }),
    unregisterSession: async (name) => json('DELETE', `/sessions/${seg('session', name)}`, answers.SessionAnswerSchema),
    listConversations: (filter = {}) =>
      json('GET', '/conversations', answers.ConversationsAnswerSchema, {
        query: { status: filter.status, participant: filter.participant, archived: filter.archived ? 1 : undefined },
        bulk: true,
      }),
    openConversation: (body) => json('POST', '/conversations', answers.PostAnswerSchema, { body }),
    getConversation: async (id, opts = {}) =>
      json('GET', `/conversations/${seg('conversation', id)}`, answers.ConversationAnswerSchema, { query: { since: opts.since }, bulk: true }),
    getMarkdown: async (id) =>
      requestText(http, {
        method: 'GET',
        path: `${API_PREFIX}/conversations/${seg('conversation', id)}/markdown`,
        auth: true,
        maxBytes: BULK,
        timeoutMs: bulkTimeoutMs,
      }),
    listReceipts: async (id) => json('GET', `/conversations/${seg('conversation', id)}/receipts`, answers.ReceiptsAnswerSchema, { bulk: true }),
    postTurn: async (id, body) => json('POST', `/conversations/${seg('conversation', id)}/turns`, answers.PostAnswerSchema, { body }),
    moderate: async (id, body) => json('POST', `/conversations/${seg('conversation', id)}/moderate`, answers.ModerateAnswerSchema, { body }),
    close: async (id, body) => json('POST', `/conversations/${seg('conversation', id)}/close`, answers.ModerateAnswerSchema, { body }),
    postReceipt: (body) => json('POST', '/receipts', answers.ReceiptAnswerSchema, { body }),
    archive: async (id, body) => json('POST', `/conversations/${seg('conversation', id)}/archive`, answers.RemovalAnswerSchema, { body }),
    requestCompaction: () => json('POST', '/admin/compact', answers.CompactAnswerSchema, { body: {} }),
    compactionStatus: () => json('GET', '/admin/compaction', answers.CompactionStatusAnswerSchema),
    deleteConversation: async (id, body) => json('POST', `/conversations/${seg('conversation', id)}/delete`, answers.RemovalAnswerSchema, { body }),
    events: (after, opts = {}) => json('GET', '/events', answers.EventsAnswerSchema, { query: { after, limit: opts.limit }, bulk: true }),
  };
}

/** Bodies larger than this are refused by the relay; the CLI checks before sending. */
export const MAX_REQUEST_BYTES = LIMITS.httpBodyBytes;
