import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHookRequest, type HookAgent } from './report.js';

const FIXTURES = new URL('./__fixtures__/', import.meta.url).pathname;

function fixture(agent: HookAgent, name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, agent, `${name}.json`), 'utf8'));
}

function request(agent: HookAgent, payload: unknown, extra: Record<string, unknown> = {}) {
  return {
    t: 'hook',
    agent,
    event: null,
    wait: false,
    pid: 4242,
    ppid: 4241,
    env: { TMUX: '/tmp/tmux-1000/default,123,0', TMUX_PANE: '%7', CLAUDE_PID: '4000' },
    payload,
    ...extra,
  };
}

// What every payload recorded from the real coding agents says about its session.
const CLAUDE: Record<string, string | null> = {
  SessionStart: 'started',
  'SessionStart-clear': 'started',
  UserPromptSubmit: 'prompt',
  'UserPromptSubmit-asyncRewake': 'prompt',
  PreToolUse: 'tool',
  PostToolUse: 'tool',
  PostToolUseFailure: 'tool',
  PermissionRequest: 'asking',
  'Notification-permission_prompt': 'asking',
  'Notification-idle_prompt': 'idle',
  Stop: 'stopped',
  'Stop-stop_hook_active': 'stopped',
  'StopFailure-server_error': 'stopped',
  'SessionEnd-clear': 'ended',
  'SessionEnd-other': 'ended',
  'SessionEnd-prompt_input_exit': 'ended',
};
const CODEX: Record<string, string | null> = {
  SessionStart: 'started',
  'SessionStart.clear': 'started',
  'SessionStart.resume': 'started',
  UserPromptSubmit: 'prompt',
  PreToolUse: 'tool',
  PostToolUse: 'tool',
  PermissionRequest: 'asking',
  Stop: 'stopped',
  'Stop.stop_hook_active': 'stopped',
  Interrupt: 'stopped',
  SessionEnd: 'ended',
  PreCompact: null,
  PostCompact: null,
  'notify.agent-turn-complete': 'stopped',
  'notify.title-thread': 'stopped',
};

describe('hook reports', () => {
  it('covers every recorded payload', () => {
    expect(
      readdirSync(join(FIXTURES, 'claude-code'))
        .map((f) => f.replace(/\.json$/, ''))
        .sort(),
    ).toEqual(Object.keys(CLAUDE).sort());
    expect(
      readdirSync(join(FIXTURES, 'codex'))
        .map((f) => f.replace(/\.json$/, ''))
        .sort(),
    ).toEqual(Object.keys(CODEX).sort());
  });

  for (const [agent, table] of [
    ['claude-code', CLAUDE],
    ['codex', CODEX],
  ] as const) {
    for (const [name, signal] of Object.entries(table)) {
      it(`${agent} ${name} → ${signal}`, () => {
        const payload = fixture(agent, name) as Record<string, unknown>;
        const report = readHookRequest(request(agent, payload));
        expect(report?.signal).toBe(signal);
        expect(report?.agentSession).toBe(payload.session_id ?? payload['thread-id']);
        expect(report?.stop).toBe(payload.hook_event_name === 'Stop');
      });
    }
  }

  it('reads the pane, the Stop hook loop flag and the prompt', () => {
    const report = readHookRequest(request('claude-code', fixture('claude-code', 'Stop-stop_hook_active')));
    expect(report).toMatchObject({ tmuxSocket: '/tmp/tmux-1000/default', tmuxPane: '%7', agentPid: 4000, stopHookActive: true, pid: 4242, ppid: 4241 });
    expect(readHookRequest(request('codex', fixture('codex', 'UserPromptSubmit')))?.prompt).toBe('RUN: echo hi');
  });

  it('takes the event from the command line when the payload does not name it', () => {
    expect(readHookRequest(request('codex', null, { event: 'Stop' }))).toMatchObject({ event: 'Stop', signal: 'stopped', agentSession: null });
    expect(readHookRequest(request('codex', null))).toBeNull();
  });

  it('refuses what no hook sends, and ignores what it cannot use', () => {
    expect(readHookRequest({ ...request('claude-code', {}), agent: 'vim' })).toBeNull();
    expect(readHookRequest({ ...request('claude-code', {}), pid: -1 })).toBeNull();
    expect(readHookRequest({ ...request('claude-code', {}), t: 'post' })).toBeNull();
    // A session id that could be anything is not taken as one; the event still counts.
    const odd = readHookRequest(request('claude-code', { hook_event_name: 'Stop', session_id: '../../etc' }));
    expect(odd).toMatchObject({ signal: 'stopped', agentSession: null });
    const pane = readHookRequest(request('claude-code', { hook_event_name: 'Stop' }, { env: { TMUX_PANE: 'pane; rm -rf', CLAUDE_PID: 'x' } }));
    expect(pane).toMatchObject({ tmuxPane: null, tmuxSocket: null, agentPid: null });
  });

  it('marks a waiting hook', () => {
    expect(readHookRequest(request('claude-code', fixture('claude-code', 'Stop'), { wait: true, waitMs: 60_000 }))).toMatchObject({
      wait: true,
      waitMs: 60_000,
    });
  });
});
