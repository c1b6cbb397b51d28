// Malformed WebSocket frames: as the first frame of a link (instead of a hello) and after a
// good hello. Each case says which documented outcomes are acceptable.
import fc from 'fast-check';
import { CLOSE, OLDEST_PROTOCOL, PROTOCOL_VERSION } from '@crosstalk/core';
import { deepNesting, hostileInt, hostileName, invalidUtf8, notAString } from './hostile.js';

export type WsOutcome =
  /** An `{"t":"error"}` message with a catalogued code; the link stays. */
  | 'error'
  /** The link is closed with one of `codes`. */
  | 'close'
  /** A welcome that tells the client to start over (epoch or cursor from another log). */
  | 'resync';

export interface WsCase {
  kind: string;
  host: number;
  /** Sent as the first frame of a fresh link, or on a link that said hello (as agent or watch). */
  phase: 'first' | 'agent' | 'watch';
  data: string | Buffer;
  binary: boolean;
  expect: WsOutcome[];
  codes: number[];
  names: boolean;
}

export interface WsWorld {
  conversation: string;
  epoch: string;
  /** Head of the log when the cases were made (nothing a case does moves it). */
  head: number;
  hosts: number;
}

const json = (v: unknown) => JSON.stringify(v);
const OVERSIZE = 256 * 1024 + 1;

/** Frames that break the transport rules: binary, not UTF-8, too large, not JSON. */
function transportFrame(): fc.Arbitrary<Pick<WsCase, 'kind' | 'data' | 'binary' | 'expect' | 'codes'>> {
  return fc.oneof(
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((b) => ({ kind: 'binary', data: Buffer.from(b), binary: true, expect: ['close'] as WsOutcome[], codes: [CLOSE.badMessage] })),
    invalidUtf8.map((b) => ({
      kind: 'bad-utf8',
      data: Buffer.concat([Buffer.from('{"t":"ack","seq":'), b, Buffer.from('}')]),
      binary: false,
      expect: ['close'] as WsOutcome[],
      codes: [1007],
    })),
    fc
      .integer({ min: OVERSIZE, max: OVERSIZE + 100_000 })
      .map((n) => ({ kind: 'oversize', data: json({ t: 'ack', seq: 1, pad: 'x'.repeat(n) }), binary: false, expect: ['close'] as WsOutcome[], codes: [1009] })),
  );
}

const GARBAGE = fc
  .oneof(fc.constantFrom('', '{', 'hello', '{"t":', "{'t':'hello'}", 'NaN', 'undefined', '\u0000'), fc.string({ maxLength: 30 }))
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });

/** Everything a first frame can be that is not a usable hello. */
function firstFrames(w: WsWorld): fc.Arbitrary<WsCase> {
  const hello = { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: w.epoch, cursor: w.head };
  const badHello = fc
    .oneof(
      fc.constantFrom<[string, unknown]>(
        ['protocol', '1'],
        ['protocol', 0],
        ['protocol', 1.5],
        ['protocol', 1001],
        ['role', 'admin'],
        ['role', 'AGENT'],
        ['role', null],
        ['epoch', 5],
        ['epoch', 'e'.repeat(65)],
        ['t', 'HELLO'],
        ['extra', 1],
      ),
      hostileInt(0, Number.MAX_SAFE_INTEGER).map((c): [string, unknown] => ['cursor', c]),
    )
    .map(([k, v]) => ({ ...hello, [k]: v }));
  const first = (kind: string, data: string, expect: WsOutcome[], codes: number[], names = false) => ({
    kind: `first:${kind}`,
    data,
    binary: false,
    expect,
    codes,
    names,
  });
  return fc
    .tuple(
      fc.integer({ min: 0, max: w.hosts - 1 }),
      fc.oneof(
        badHello.map((h) => first('bad-hello', json(h), ['close'], [CLOSE.badHello])),
        fc.constantFrom('cursor', 'epoch', 'protocol', 'role', 't').map((k) => {
          const h: Record<string, unknown> = { ...hello };
          delete h[k];
          return first('hello-missing', json(h), ['close'], [CLOSE.badHello]);
        }),
        fc
          .integer({ min: 1, max: 1000 })
          // The relay serves its own version and the one before; any other is refused.
          .filter((p) => p !== PROTOCOL_VERSION && p !== OLDEST_PROTOCOL)
          .map((p) => first('other-protocol', json({ ...hello, protocol: p }), ['error', 'close'], [CLOSE.badHello])),
        GARBAGE.map((g) => first('garbage', g, ['close'], [CLOSE.badHello])),
        fc
          .constantFrom<unknown>({ t: 'ack', seq: 1 }, { t: 'replay', after: 0 }, { t: 'receipt' }, [], 1, null, 'hello')
          .map((m) => first('not-hello', json(m), ['close'], [CLOSE.badHello])),
        fc.integer({ min: 1000, max: 40_000 }).map((d) => first('deep', deepNesting(d, d % 2 === 0 ? 'array' : 'object'), ['close'], [CLOSE.badHello])),
        // Not errors: a client from another log is told to start over.
        fc.constantFrom('another-epoch', 'x').map((e) => first('epoch-mismatch', json({ ...hello, epoch: e }), ['resync'], [])),
        fc.integer({ min: w.head + 1, max: Number.MAX_SAFE_INTEGER }).map((c) => first('cursor-ahead', json({ ...hello, cursor: c }), ['resync'], [])),
        transportFrame().map((f) => ({ ...f, kind: `first:${f.kind}`, names: false })),
      ),
    )
    .map(([host, c]) => ({ ...c, host, phase: 'first' as const }));
}

/** Frames after a good hello on an agent link. */
function agentFrames(w: WsWorld, host: number): fc.Arbitrary<Omit<WsCase, 'host' | 'phase'>> {
  // The host's own session: a receipt made bad by one field only.
  const own = `s${host}`;
  const foreign = `s${(host + 1) % w.hosts}`;
  const receipt = { session: own, conversation: w.conversation, turn: 2, status: 'delivered', attempt: 1 };
  const err = (kind: string, message: unknown, names = false) => ({
    kind: `agent:${kind}`,
    data: json(message),
    binary: false,
    expect: ['error'] as WsOutcome[],
    codes: [],
    names,
  });
  const hostileReceiptField = fc.oneof(
    hostileName.map((v): [string, unknown, boolean] => ['session', v, true]),
    hostileName.map((v): [string, unknown, boolean] => ['conversation', v, true]),
    hostileInt(1, 1_000_000).map((v): [string, unknown, boolean] => ['turn', v, false]),
    fc.constantFrom('ok', 'DELIVERED', '', 3).map((v): [string, unknown, boolean] => ['status', v, false]),
    fc.constantFrom('Bad', 'x'.repeat(201), 'a:b', 7).map((v): [string, unknown, boolean] => ['reason', v, false]),
    hostileInt(1, 100).map((v): [string, unknown, boolean] => ['attempt', v, false]),
    fc.constant<[string, unknown, boolean]>(['extra', 1, false]),
  );
  return fc.oneof(
    hostileReceiptField.map(([k, v, names]) => err(`receipt-${k}`, { t: 'receipt', receipt: { ...receipt, [k]: v } }, names)),
    // A receipt for another host's session, or for a conversation that does not exist.
    fc.constant(err('receipt-foreign', { t: 'receipt', receipt: { ...receipt, session: foreign } })),
    fc.constant(err('receipt-unknown-conversation', { t: 'receipt', receipt: { ...receipt, conversation: 'no-such-talk-zzzz' } })),
    hostileName.filter((n) => n !== '__proto__').map((n) => err('presence-name', { t: 'presence', sessions: { [n]: 'online' } }, true)),
    fc.constantFrom<unknown>('away', 1, null, true).map((v) => err('presence-value', { t: 'presence', sessions: { [own]: v } })),
    fc.constant(err('presence-foreign', { t: 'presence', sessions: { [foreign]: 'online' } })),
    fc.oneof(hostileInt(0, Number.MAX_SAFE_INTEGER), fc.integer({ min: w.head + 1, max: 2 ** 40 })).map((after) => err('replay', { t: 'replay', after })),
    fc.oneof(hostileInt(0, Number.MAX_SAFE_INTEGER), fc.integer({ min: w.head + 1, max: 2 ** 40 })).map((seq) => err('ack', { t: 'ack', seq })),
    fc.constant(err('second-hello', { t: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', epoch: w.epoch, cursor: w.head })),
    fc.constantFrom<unknown>({ t: 'subscribe' }, { t: 1 }, {}, { t: 'events', events: [] }, { t: 'welcome' }, [], 1, 'x', null).map((m) => err('unknown', m)),
    notAString.map((v) => err('receipt-not-object', { t: 'receipt', receipt: v })),
    fc.integer({ min: 1000, max: 40_000 }).map((d) => ({ ...err('deep', null), data: `{"t":"receipt","receipt":${deepNesting(d, 'array')}}` })),
    GARBAGE.map((g) => ({ kind: 'agent:garbage', data: g, binary: false, expect: ['close'] as WsOutcome[], codes: [CLOSE.badMessage], names: false })),
    transportFrame().map((f) => ({ ...f, kind: `agent:${f.kind}`, names: false })),
  );
}

/** A watch link is read-only: anything but a replay is refused. */
function watchFrames(w: WsWorld): fc.Arbitrary<Omit<WsCase, 'host' | 'phase'>> {
  return fc
    .constantFrom<unknown>(
      { t: 'receipt', receipt: { session: 's1', conversation: w.conversation, turn: 2, status: 'delivered', attempt: 1 } },
      { t: 'presence', sessions: { s1: 'online' } },
      { t: 'ack', seq: 0 },
      { t: 'replay', after: -1 },
    )
    .map((m) => ({ kind: 'watch:write', data: json(m), binary: false, expect: ['error'] as WsOutcome[], codes: [], names: false }));
}

export function wsCases(w: WsWorld): fc.Arbitrary<WsCase> {
  const host = fc.integer({ min: 0, max: w.hosts - 1 });
  return fc.oneof(
    { arbitrary: firstFrames(w), weight: 4 },
    { arbitrary: host.chain((h) => agentFrames(w, h).map((c) => ({ ...c, host: h, phase: 'agent' as const }))), weight: 6 },
    { arbitrary: fc.tuple(host, watchFrames(w)).map(([h, c]) => ({ ...c, host: h, phase: 'watch' as const })), weight: 1 },
  );
}
