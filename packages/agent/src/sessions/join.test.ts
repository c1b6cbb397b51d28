import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_MAIN, Lab, type Home } from '../__fixtures__/lab.js';
import { joinSession, leaveSession } from './join.js';
import { readLocalSessions, sessionForTarget } from './local-sessions.js';

let lab: Lab;
let home: Home;
beforeEach(async () => {
  lab = await Lab.start();
  home = await lab.home('joiner');
});
afterEach(async () => {
  await lab.cleanup();
});

describe('join and leave', () => {
  it('registers a session with the relay and records its wake target here', async () => {
    const wake = { type: 'tmux' as const, pane: '%7', socket: '/tmp/tmux-1000/default', panePid: 4242, agentCommand: 'claude' };
    const { session, local } = await joinSession({ layout: home.layout, name: 'claude-linux', kind: 'claude-code', wake });
    expect(session).toMatchObject({ name: 'claude-linux', host: 'joiner', kind: 'claude-code', wake: { type: 'tmux' } });
    expect(local).toEqual({ name: 'claude-linux', kind: 'claude-code', wake, joinedAt: session.joinedAt });
    expect(await readLocalSessions(home.layout.sessions)).toEqual([local]);
    expect(sessionForTarget([local], { type: 'tmux', pane: '%7', socket: '/tmp/tmux-1000/default' })?.name).toBe('claude-linux');
    expect(sessionForTarget([local], { type: 'tmux', pane: '%7', socket: '/tmp/other' })).toBeUndefined();
    expect((await home.client.listSessions()).sessions.map((s) => s.name)).toEqual(['claude-linux']);

    // Joining again updates the registration.
    await joinSession({ layout: home.layout, name: 'claude-linux', kind: 'claude-code', wake: { type: 'none' } });
    expect((await readLocalSessions(home.layout.sessions)).map((s) => s.wake)).toEqual([{ type: 'none' }]);

    expect(await leaveSession({ layout: home.layout, name: 'claude-linux' })).toEqual({ removedOnRelay: true, removedLocally: true });
    expect(await readLocalSessions(home.layout.sessions)).toEqual([]);
    expect((await home.client.listSessions()).sessions).toEqual([]);
    expect(await leaveSession({ layout: home.layout, name: 'claude-linux' })).toEqual({ removedOnRelay: false, removedLocally: false });
  });

  it('refuses a name another host holds, recording nothing', async () => {
    const other = await lab.home('elsewhere');
    await other.client.registerSession({ name: 'taken', kind: 'other', wake: { type: 'none' } });
    await expect(joinSession({ layout: home.layout, name: 'taken', kind: 'other', wake: { type: 'none' } })).rejects.toMatchObject({ code: 'SESSION_TAKEN' });
    await expect(joinSession({ layout: home.layout, name: 'Bad Name', kind: 'other', wake: { type: 'none' } })).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(await readLocalSessions(home.layout.sessions)).toEqual([]);
  });

  it('works from the main.js entry, outside tmux', async () => {
    const env = { CROSSTALK_HOME: home.layout.home, TMUX: '', TMUX_PANE: '' };
    const joined = await execa(process.execPath, [AGENT_MAIN, 'join', '--as', 'poller', '--kind', 'codex'], { env, timeout: 30_000 });
    expect(JSON.parse(joined.stdout)).toMatchObject({ session: { name: 'poller', host: 'joiner', kind: 'codex' }, wake: { type: 'none' } });
    const status = await execa(process.execPath, [AGENT_MAIN, 'status'], { env, timeout: 30_000, reject: false });
    expect(status.exitCode).toBe(5);
    expect(JSON.parse(status.stdout)).toEqual({ running: false, status: null });
    const bad = await execa(process.execPath, [AGENT_MAIN, 'join', '--as', 'x', '--kind', 'robot'], { env, timeout: 30_000, reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--kind must be one of claude-code, codex, other/);
    const left = await execa(process.execPath, [AGENT_MAIN, 'leave', '--as', 'poller'], { env, timeout: 30_000 });
    expect(JSON.parse(left.stdout)).toEqual({ removedOnRelay: true, removedLocally: true });
  });
});
