// The valid requests the HTTP fuzz cases start from, and for each field the hostile values
// that make the request one the relay must refuse.
import fc from 'fast-check';
import { brokenText, hostileBody, hostileInt, hostileKey, hostileLine, hostileName, hostileNameList, hostileResolution } from './hostile.js';

export type Auth = { kind: 'host'; host: number } | { kind: 'admin' } | { kind: 'none' } | { kind: 'raw'; value: string };

/** Stands for a fresh idempotency key, put in by the sender: one request's mistake never answers for another. */
export const FRESH_KEY = '@fresh-key@';

export interface World {
  conversation: string;
}

export type Fields = Record<string, fc.Arbitrary<unknown>>;

export interface Template {
  name: string;
  method: string;
  path: (w: World) => string;
  auth: Auth;
  body: (w: World) => Record<string, unknown>;
  /** Which fields are required (dropping one must be refused). */
  required: string[];
  /** A hostile value for each field. */
  hostile: Fields;
  /** Fields holding names. */
  nameFields: string[];
  /** The admin key may do this too (moderation), so swapping in the admin would make it valid. */
  adminAllowed?: boolean;
}

const NOT_A_BOOLEAN = fc.constantFrom('true', 1, 0, null, 'yes', [], {});

const HOSTILE_WAKE = fc.constantFrom<unknown>(
  { type: 'tmux', pane: '1', socket: '/tmp/s' },
  { type: 'tmux', pane: '%1', socket: '' },
  { type: 'tmux', pane: '%1', socket: '/tmp/s\u0000' },
  { type: 'tmux', pane: '%1;rm', socket: '/tmp/s' },
  { type: 'tmux', pane: '%1', socket: '/tmp/s', agentCommand: 'a b' },
  { type: 'tmux', pane: '%1', socket: '/tmp/s', panePid: 0 },
  { type: 'tmux', pane: '%1', socket: '/tmp/s', panePid: -3 },
  { type: 'tmux', pane: '%1', socket: 's'.repeat(1025) },
  { type: 'console', pid: 0 },
  { type: 'console', pid: 1.5 },
  { type: 'console', pid: 2 ** 33 },
  { type: 'console', pid: 12, agentCommand: 'x\u001b' },
  { type: 'none', extra: true },
  { type: 'ssh' },
  'none',
  null,
  [],
);

const HOSTILE_ACTION = fc.oneof(
  hostileInt(1, 1000).map((by) => ({ type: 'extend', by })),
  hostileNameList.map((next) => ({ type: 'next', next })),
  fc.constant({ type: 'next', next: [] }),
  hostileName.map((session) => ({ type: 'add', session })),
  hostileName.map((session) => ({ type: 'remove', session })),
  fc.constantFrom<unknown>({ type: 'close' }, { type: 'EXTEND', by: 1 }, { type: 'extend', by: 1, extra: 1 }, { by: 1 }, 'extend', null, 7),
);

export const TEMPLATES: Template[] = [
  {
    name: 'open',
    method: 'POST',
    path: () => '/v1/conversations',
    auth: { kind: 'host', host: 2 },
    body: () => ({ as: 's2', topic: 'a fuzzed topic', with: ['s3'], body: 'hello', idempotencyKey: FRESH_KEY }),
    required: ['as', 'topic', 'with', 'body', 'idempotencyKey'],
    hostile: {
      as: hostileName,
      topic: hostileLine,
      with: fc.oneof(hostileNameList, fc.constant([])),
      moderator: hostileName,
      maxTurns: hostileInt(1, 1000),
      body: hostileBody,
      next: hostileNameList,
      idempotencyKey: hostileKey,
    },
    nameFields: ['as', 'with', 'moderator', 'next'],
  },
  {
    name: 'post',
    method: 'POST',
    path: (w) => `/v1/conversations/${w.conversation}/turns`,
    auth: { kind: 'host', host: 1 },
    body: () => ({ as: 's1', expectedTurn: 2, idempotencyKey: FRESH_KEY, body: 'a reply' }),
    required: ['as', 'expectedTurn', 'idempotencyKey', 'body'],
    hostile: {
      as: hostileName,
      expectedTurn: hostileInt(1, 1_000_000),
      idempotencyKey: hostileKey,
      body: hostileBody,
      next: hostileNameList,
      propose: fc.oneof(brokenText, fc.constant('p'.repeat(4097))),
      agree: NOT_A_BOOLEAN,
    },
    nameFields: ['as', 'next'],
  },
  {
    name: 'moderate',
    method: 'POST',
    path: (w) => `/v1/conversations/${w.conversation}/moderate`,
    auth: { kind: 'host', host: 0 },
    body: () => ({ as: 's0', action: { type: 'extend', by: 1 } }),
    required: ['action'],
    hostile: { as: hostileName, action: HOSTILE_ACTION },
    nameFields: ['as'],
    adminAllowed: true,
  },
  {
    name: 'close',
    method: 'POST',
    path: (w) => `/v1/conversations/${w.conversation}/close`,
    auth: { kind: 'host', host: 0 },
    body: () => ({ as: 's0', resolution: 'done' }),
    required: ['resolution'],
    hostile: { as: hostileName, resolution: hostileResolution },
    nameFields: ['as'],
    adminAllowed: true,
  },
  {
    name: 'session',
    method: 'POST',
    path: () => '/v1/sessions',
    auth: { kind: 'host', host: 3 },
    body: () => ({ name: 's3', kind: 'other', wake: { type: 'none' } }),
    required: ['name', 'kind', 'wake'],
    hostile: { name: hostileName, kind: fc.constantFrom('claude', 'CODEX', '', 'other ', 1, null), wake: HOSTILE_WAKE },
    nameFields: ['name'],
  },
  {
    name: 'receipt',
    method: 'POST',
    path: () => '/v1/receipts',
    auth: { kind: 'host', host: 1 },
    body: (w) => ({ session: 's1', conversation: w.conversation, turn: 2, status: 'delivered', attempt: 1 }),
    required: ['session', 'conversation', 'turn', 'status', 'attempt'],
    hostile: {
      session: hostileName,
      conversation: hostileName,
      turn: hostileInt(1, 1_000_000),
      status: fc.constantFrom('ok', 'DELIVERED', '', 1, null),
      reason: fc.constantFrom('Bad Reason', 'busy: caf\u00e9', 'x'.repeat(201), 'a:b', '\u0000', 1, 'busy:\nsecond line'),
      attempt: hostileInt(1, 100),
    },
    nameFields: ['session', 'conversation'],
  },
  {
    name: 'invite',
    method: 'POST',
    path: () => '/v1/invites',
    auth: { kind: 'admin' },
    body: () => ({ host: 'newcomer', expiresIn: 3600 }),
    required: [],
    hostile: { host: fc.oneof(hostileName, fc.constant('admin')), expiresIn: hostileInt(60, 30 * 24 * 3600) },
    nameFields: ['host'],
  },
];
