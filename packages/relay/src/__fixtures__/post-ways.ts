// The two doors a post comes through — an HTTP request, or a `post` frame on the host's agent link —
// behind one function, so the HTTP API's rule tests run against both from one table and prove the
// same answers and the same errors. The admin key has no agent link: its requests stay on HTTP.
import type { TokenSigner } from '@crosstalk/core/token';
import type { ApiAnswer, TestLink, TestRelay } from './harness.js';

export const POST_WAYS = ['http', 'link'] as const;
export type PostWay = (typeof POST_WAYS)[number];

type Route = { op: string; conversation?: string };

/** The link op a posting route is, or null for any other request. */
function routeOf(method: string, path: string): Route | null {
  if (method !== 'POST') return null;
  if (path === '/v1/conversations') return { op: 'open' };
  if (path === '/v1/receipts') return { op: 'receipt' };
  const m = /^\/v1\/conversations\/([^/?]+)\/(turns|moderate|close)$/.exec(path);
  if (!m) return null;
  return { op: m[2] === 'turns' ? 'turn' : (m[2] as string), conversation: decodeURIComponent(m[1] as string) };
}

/**
 * Makes `relay.request` send its posts the given way (each host over its own agent link, opened on
 * first use); everything else goes over HTTP as before.
 */
export function postThrough(relay: TestRelay, way: PostWay, openLink: (signer: TokenSigner) => Promise<TestLink>): { overLink: number } {
  const counts = { overLink: 0 };
  if (way === 'http') return counts;
  const http = relay.request.bind(relay);
  const links = new Map<TokenSigner, Promise<TestLink>>();
  let n = 0;
  relay.request = async (auth, method, path, body, headers) => {
    const route = routeOf(method, path);
    if (route === null || typeof auth !== 'object' || auth === null || auth === relay.admin || typeof body === 'string')
      return http(auth, method, path, body, headers);
    let pending = links.get(auth);
    if (!pending) {
      pending = openLink(auth).then(async (l) => {
        await l.welcome();
        return l;
      });
      links.set(auth, pending);
    }
    const link = await pending;
    const id = `post-${++n}`;
    counts.overLink++;
    link.send({ t: 'post', id, op: route.op, ...(route.conversation === undefined ? {} : { conversation: route.conversation }), body });
    const m = await link.waitForMessage((x) => (x.t === 'posted' || x.t === 'refused') && x.id === id, `the answer to ${route.op} ${id}`);
    const answer = m.t === 'posted' ? m.answer : { code: m.code, message: m.message, hint: m.hint, ...(m.details === undefined ? {} : { details: m.details }) };
    return { status: m.status, body: answer, text: JSON.stringify(answer), headers: new Headers({ 'content-type': 'application/json' }) } satisfies ApiAnswer;
  };
  return counts;
}
