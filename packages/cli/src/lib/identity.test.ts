import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeLayout, type HomeLayout } from '@crosstalk/agent/home';
import { writeLocalSessions, type LocalSession } from '@crosstalk/agent/local-sessions';
import { CrosstalkError } from '@crosstalk/core';
import { resolveSession, sessionsInPane } from './identity.js';

let dir: string;
let layout: HomeLayout;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ct-identity-'));
  layout = homeLayout(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const tmuxSession = (name: string, pane: string, socket: string, joinedAt: string): LocalSession => ({
  name,
  kind: 'codex',
  wake: { type: 'tmux', pane, socket },
  joinedAt,
});
const tmux = { env: '/tmp/tmux-1000/default,4242,0', pane: '%3' };

describe('who is acting', () => {
  it('--as wins (its value is checked as a name by the options, before this)', async () => {
    expect(await resolveSession({ tmux }, layout, 'codex-linux')).toBe('codex-linux');
  });

  it('else the session joined in this pane on this socket, the newest when the pane was joined twice', async () => {
    await writeLocalSessions(layout.sessions, [
      tmuxSession('old', '%3', '/tmp/tmux-1000/default', '2026-11-21T10:00:00.000Z'),
      tmuxSession('new', '%3', '/tmp/tmux-1000/default', '2026-11-21T11:00:00.000Z'),
      tmuxSession('other-socket', '%3', '/tmp/tmux-1000/work', '2026-11-21T12:00:00.000Z'),
      tmuxSession('other-pane', '%4', '/tmp/tmux-1000/default', '2026-11-21T12:00:00.000Z'),
    ]);
    expect(await resolveSession({ tmux }, layout, undefined)).toBe('new');
    expect(sessionsInPane([], undefined)).toEqual([]);
  });

  it('else NO_SESSION, saying how to join', async () => {
    const outside = await resolveSession({ tmux: undefined }, layout, undefined).catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(CrosstalkError);
    expect(outside).toMatchObject({ code: 'NO_SESSION' });
    const inPane = await resolveSession({ tmux: { ...tmux, pane: '%9' } }, layout, undefined).catch((e: CrosstalkError) => e);
    expect(inPane).toMatchObject({ code: 'NO_SESSION', message: expect.stringContaining('tmux pane %9') });
    expect((inPane as CrosstalkError).hint).toContain('crosstalk join --as <name>');
  });
});
