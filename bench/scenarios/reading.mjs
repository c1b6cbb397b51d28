// What a woken session is told to read, in bytes, over a scripted conversation: two sessions,
// 20 turns of 2 KB each. Before: the wake-up line sent it to the whole copy every turn (what it
// costs grows with the square of the length). Now: `crosstalk read --new`, the state and the
// turns after its own last one. Both are the product's own renderings of the same states.
import { decideOpen, decidePost, renderConversation, unseenBy } from '../../packages/core/dist/index.js';
import { MemoryRelay } from '../../packages/core/dist/test-support.js';
import { formatUnseen } from '../../packages/cli/dist/lib/format.js';

const TURNS = 20;
const TURN_BYTES = 2048;

/** A body of about 2 KB that reads like prose, different for every turn. */
function body(n) {
  const sentence = `Turn ${n}: the paginated shape with next_cursor keeps the mobile client simple, and the web frontend can page lazily. `;
  return sentence.repeat(Math.ceil(TURN_BYTES / sentence.length)).slice(0, TURN_BYTES);
}

export async function reading() {
  const r = new MemoryRelay();
  r.register('claude-linux', 'linux-box', 'claude-code');
  r.register('codex-mac', 'mac-box', 'codex');
  const actor = (session) => ({ kind: /** @type {const} */ ('session'), session, host: session === 'claude-linux' ? 'linux-box' : 'mac-box' });
  r.commit(
    decideOpen(r.state, {
      actor: actor('claude-linux'),
      id: 'users-api-shape-7f3a',
      topic: 'users API shape',
      with: ['codex-mac'],
      maxTurns: TURNS,
      body: body(1),
      key: 'k1',
      at: r.now(),
    }),
  );
  let whole = 0;
  let fresh = 0;
  const perTurn = [];
  for (let n = 2; n <= TURNS; n++) {
    const c = r.state.conversations.get('users-api-shape-7f3a');
    const session = c.next[0];
    // The session is woken for turn n: what it is told to read, then it answers.
    const copy = Buffer.byteLength(renderConversation(c));
    const news = Buffer.byteLength(formatUnseen(c, unseenBy(c, session)));
    whole += copy;
    fresh += news;
    perTurn.push(news / copy);
    r.commit(decidePost(r.state, { actor: actor(session), conversation: c.id, expectedTurn: n, key: `k${n}`, body: body(n), at: r.now() }));
  }
  const note = `${TURNS} turns of ${TURN_BYTES / 1024} KiB, two sessions, ${TURNS - 1} wake-ups`;
  return [
    { name: 'bytes a woken session is told to read, whole copy each turn (before)', unit: 'KiB', median: whole / 1024, p95: null, target: null, note },
    { name: 'bytes a woken session is told to read, `read --new` (now)', unit: 'KiB', median: fresh / 1024, p95: null, target: null, note },
    { name: 'reading: now / before', unit: '×', median: fresh / whole, p95: null, target: null, note: `last turn alone: ${perTurn.at(-1).toFixed(3)}×` },
  ];
}
