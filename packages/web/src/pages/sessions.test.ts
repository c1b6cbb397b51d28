// The Sessions page shows what each session is doing and since when, once the relay reports it;
// without any state (an older relay, or every host's agent away) the column stays out.
import { describe, expect, it } from 'vitest';
import { text } from '../html.js';
import { type SessionRow, sessionsRegion } from './sessions.js';

const base = { wake: { type: 'tmux' as const }, joinedAt: '2026-11-21T14:00:00.000Z', online: true };
const none = () => undefined;

describe('the Sessions table', () => {
  it('has a State column with the state and since when, when the relay reports states', () => {
    const rows: SessionRow[] = [
      { ...base, name: 'bob', host: 'beta', kind: 'claude-code', state: 'working', stateSince: '2026-11-21T14:03:07.000Z' },
      { ...base, name: 'carl', host: 'beta', kind: 'codex', state: 'unknown', stateSince: '2026-11-21T14:01:00.000Z' },
      { ...base, name: 'alice', host: 'alpha', kind: 'human', wake: { type: 'none' }, state: 'unknown' },
      { ...base, name: 'dora', host: 'gamma', kind: 'codex', online: false },
    ];
    const html = text(sessionsRegion(rows, none, 'alpha'));
    expect(html).toContain('<th>State</th>');
    expect(html).toMatch(
      /<tr id="s-bob">[\s\S]*<span class="st-working">working<\/span> <span class="since">since <time datetime="2026-11-21T14:03:07.000Z">2026-11-21 14:03:07<\/time>/,
    );
    expect(html).toMatch(/<tr id="s-carl">[\s\S]*<span class="st-unknown">unknown<\/span><\/td>/);
    expect(html).toMatch(/<tr id="s-alice" class="here">[\s\S]*?<td>person<\/td><td>—<\/td>/);
    expect(html).toMatch(/<tr id="s-dora">[\s\S]*?<td>offline<\/td><td>—<\/td>/);
  });

  it('leaves the State column out while no session has a state', () => {
    const html = text(sessionsRegion([{ ...base, name: 'bob', host: 'beta', kind: 'codex' }], none, 'alpha'));
    expect(html).not.toContain('State');
    expect(html).toMatch(/<td>online<\/td><td>—<\/td><td><time/);
  });
});
