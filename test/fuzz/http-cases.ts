// Malformed HTTP requests for a relay that holds a known world: hosts h0..hN with sessions
// s0..sN (each on its own host) and one conversation between s0 and s1 where s1 speaks next.
// Every case is a request the relay must refuse; `names` marks the ones carrying a hostile name.
import fc from 'fast-check';
import { deepNesting, hostileName, invalidUtf8, notAString } from './hostile.js';
import { TEMPLATES, type Auth, type Template, type World } from './templates.js';

export { FRESH_KEY, type Auth, type World } from './templates.js';

export interface HttpCase {
  kind: string;
  method: string;
  path: string;
  auth: Auth;
  contentType: string | null;
  body: string | Buffer | null;
  names: boolean;
}

const WRONG_TYPES = fc.constantFrom(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/jsonx',
  'application/xml',
  'json',
  '',
);

const json = (value: unknown) => JSON.stringify(value);

/** Text that is not blank and does not parse to a JSON object (which could be a valid body). */
function notAnObjectText(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    const v: unknown = JSON.parse(text.replace(/^\ufeff/, ''));
    return typeof v !== 'object' || v === null || Array.isArray(v);
  } catch {
    return true;
  }
}

function withField(base: Record<string, unknown>, field: string, value: unknown): string {
  return json({ ...base, [field]: value });
}

/** One template turned into a refused request by one of several kinds of damage. */
function templateCase(t: Template, w: World): fc.Arbitrary<HttpCase> {
  const fields = Object.keys(t.hostile);
  const valid = t.body(w);
  const path = t.path(w);
  const make = (kind: string, body: string | Buffer | null, extra: Partial<HttpCase> = {}): HttpCase => ({
    kind: `${t.name}:${kind}`,
    method: t.method,
    path,
    auth: t.auth,
    contentType: 'application/json',
    body,
    names: false,
    ...extra,
  });
  const stringFields = fields.filter((f) => typeof valid[f] === 'string');
  const damaged: fc.Arbitrary<HttpCase>[] = [
    // One field hostile.
    fc
      .constantFrom(...fields)
      .chain((field) => t.hostile[field]!.map((value) => make(`field-${field}`, withField(valid, field, value), { names: t.nameFields.includes(field) }))),
    fc.constantFrom('extra', '__proto__', 'constructor', 'As', '').map((key) => make('unknown-field', `${json(valid).slice(0, -1)},${json(key)}:1}`)),
    fc
      .oneof(
        fc.constantFrom('[]', '7', '"text"', 'null', 'true', '{', '{"a":', '{"as":"s1",}', "{'as':'s1'}", 'NaN', '\u0000', '\ufeff[]'),
        fc.string({ maxLength: 40 }).filter(notAnObjectText),
      )
      .map((text) => make('not-an-object', text)),
    fc
      .tuple(fc.integer({ min: 2_000, max: 60_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, kind]) => make(`deep-${kind}`, deepNesting(depth, kind))),
    fc.integer({ min: 128 * 1024 + 1, max: 300 * 1024 }).map((size) => make('oversize', withField(valid, 'body', 'o'.repeat(size)))),
    WRONG_TYPES.map((type) => make('content-type', json(valid), { contentType: type === '' ? null : type })),
    fc
      .constantFrom<Auth>(
        { kind: 'none' },
        { kind: 'raw', value: 'Bearer not.a.jwt' },
        { kind: 'raw', value: 'Basic dXNlcjpwYXNz' },
        { kind: 'raw', value: 'Bearer' },
        { kind: 'raw', value: 'bearer a.b.c d' },
      )
      .map((auth) => make('auth', json(valid), { auth })),
  ];
  // The wrong identity: the admin where a host must act, a host where the admin must.
  if (!t.adminAllowed)
    damaged.push(fc.constant(make('identity', json(valid), { auth: t.auth.kind === 'admin' ? { kind: 'host', host: 4 } : { kind: 'admin' } })));
  if (t.required.length > 0) {
    damaged.push(
      fc.constantFrom(...t.required).map((field) => {
        const b = { ...valid };
        delete b[field];
        return make(`missing-${field}`, json(b));
      }),
    );
  }
  if (stringFields.length > 0) {
    damaged.push(
      fc.tuple(invalidUtf8, fc.constantFrom(...stringFields)).map(([bad, field]) => {
        const [before, after] = withField(valid, field, 'MARK').split('MARK') as [string, string];
        return make(`bad-utf8-${field}`, Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]));
      }),
    );
  }
  if (t.auth.kind === 'host') damaged.push(fc.constant(make('foreign-session', json(valid), { auth: { kind: 'host', host: 5 } })));
  return fc.oneof(...damaged);
}

export function httpCases(world: World): fc.Arbitrary<HttpCase> {
  return fc.oneof(
    { arbitrary: fc.oneof(...TEMPLATES.map((t) => templateCase(t, world))), weight: 10 },
    { arbitrary: queryCase(world), weight: 2 },
    { arbitrary: pathNameCase(world), weight: 3 },
    { arbitrary: unknownRouteCase(), weight: 1 },
  );
}

const HOSTILE_NUMBER_TEXT = fc.constantFrom('-1', '1.5', '1e3', 'abc', '0x10', '99999999999999999', ' 1', '+1', '\uff11', '1,2', 'null', '-0');

function queryCase(w: World): fc.Arbitrary<HttpCase> {
  const get = (kind: string, path: string, auth: Auth = { kind: 'host', host: 6 }, names = false): HttpCase => ({
    kind: `query:${kind}`,
    method: 'GET',
    path,
    auth,
    contentType: null,
    body: null,
    names,
  });
  const q = encodeURIComponent;
  return fc.oneof(
    HOSTILE_NUMBER_TEXT.map((v) => get('events-after', `/v1/events?after=${q(v)}`)),
    fc.oneof(HOSTILE_NUMBER_TEXT, fc.constantFrom('0', '1001', '100000')).map((v) => get('events-limit', `/v1/events?limit=${q(v)}`)),
    HOSTILE_NUMBER_TEXT.map((v) => get('since', `/v1/conversations/${w.conversation}?since=${q(v)}`)),
    fc.constantFrom('open', 'CLOSED', 'in progress', 'in-progress ', 'x').map((v) => get('status', `/v1/conversations?status=${q(v)}`)),
    hostileName.filter((n) => n !== '').map((n) => get('participant', `/v1/conversations?participant=${q(n)}`, { kind: 'host', host: 6 }, true)),
    fc.constantFrom('token', 'access_token', 'jwt', 'auth', 'JWT', 'Access_Token', 'Auth').map((k) => get('token-in-url', `/v1/sessions?${k}=abc.def.ghi`)),
  );
}

function pathNameCase(w: World): fc.Arbitrary<HttpCase> {
  // Names that survive URL parsing as a path segment (dot segments are the URL parser's business).
  const name = hostileName.filter((n) => n !== '' && n !== '.' && n !== '..' && n.trim() !== '' && !n.startsWith('./') && !/^(\.|%2e)+$/i.test(n));
  const seg = encodeURIComponent;
  const post = json({ as: 's1', expectedTurn: 2, idempotencyKey: 'k', body: 'x' });
  return fc.tuple(name, fc.integer({ min: 0, max: 7 })).map(([n, which]): HttpCase => {
    const c: HttpCase = { kind: '', method: 'GET', path: '', auth: { kind: 'host', host: 6 }, contentType: null, body: null, names: true };
    switch (which) {
      case 0:
        return { ...c, kind: 'path:conversation', path: `/v1/conversations/${seg(n)}` };
      case 1:
        return { ...c, kind: 'path:markdown', path: `/v1/conversations/${seg(n)}/markdown` };
      case 2:
        return { ...c, kind: 'path:receipts', path: `/v1/conversations/${seg(n)}/receipts` };
      case 3:
        return {
          ...c,
          kind: 'path:turns',
          method: 'POST',
          path: `/v1/conversations/${seg(n)}/turns`,
          auth: { kind: 'host', host: 1 },
          contentType: 'application/json',
          body: post,
        };
      case 4:
        return {
          ...c,
          kind: 'path:close',
          method: 'POST',
          path: `/v1/conversations/${seg(n)}/close`,
          auth: { kind: 'admin' },
          contentType: 'application/json',
          body: json({ resolution: 'x' }),
        };
      case 5:
        return { ...c, kind: 'path:session-delete', method: 'DELETE', path: `/v1/sessions/${seg(n)}` };
      case 6:
        return { ...c, kind: 'path:revoke', method: 'POST', path: `/v1/hosts/${seg(n)}/revoke`, auth: { kind: 'admin' } };
      default:
        return {
          ...c,
          kind: 'path:moderate',
          method: 'POST',
          path: `/v1/conversations/${w.conversation}/moderate`,
          auth: { kind: 'host', host: 0 },
          contentType: 'application/json',
          body: json({ as: n, action: { type: 'extend', by: 1 } }),
        };
    }
  });
}

function unknownRouteCase(): fc.Arbitrary<HttpCase> {
  return fc
    .tuple(
      fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS'),
      fc.constantFrom(
        '/v1/conversations',
        '/v1/health',
        '/v1/hosts',
        '/v2/health',
        '/',
        '/v1',
        '/v1/link',
        '/v1/events/1',
        '/v1/enroll',
        '/admin',
        '/v1/sessions/s1/x',
      ),
    )
    .filter(
      ([m, p]) =>
        !((m === 'GET' && ['/v1/conversations', '/v1/health', '/v1/hosts'].includes(p)) || (m === 'POST' && ['/v1/conversations', '/v1/enroll'].includes(p))),
    )
    .map(
      ([method, path]): HttpCase => ({ kind: `route:${method}`, method, path, auth: { kind: 'host', host: 7 }, contentType: null, body: null, names: false }),
    );
}

/** Hostile enrollments: each one spends the per-address enrollment budget, so only a few. */
export function enrollCases(): fc.Arbitrary<HttpCase> {
  return fc
    .oneof(
      hostileName.map((host) => ({ invite: 'x'.repeat(20), host, publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } })),
      fc.constantFrom<unknown>(
        { invite: '', host: 'h9', publicKey: {} },
        { invite: 'x', host: 'h9', publicKey: { kty: 'RSA' } },
        { invite: 'x', host: 'h9', publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } },
        [],
        null,
      ),
      notAString.map((invite) => ({ invite, host: 'h9', publicKey: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) } })),
    )
    .map(
      (body): HttpCase => ({
        kind: 'enroll',
        method: 'POST',
        path: '/v1/enroll',
        auth: { kind: 'none' },
        contentType: 'application/json',
        body: json(body),
        names: true,
      }),
    );
}
