import { describe, expect, it } from 'vitest';
import { editHooks, isOurHandler, wantedHooks } from './hooks.js';

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const parse = (text: string | undefined) => JSON.parse(text ?? 'null');
const plain = (command: string, timeout = 10) => ({ type: 'command', command, timeout });
const waiter = { type: 'command', command: 'crosstalk hook claude-code --wait', asyncRewake: true, timeout: 86_400 };

describe('the hooks crosstalk wants', () => {
  it('Claude Code: every event reports to `crosstalk hook claude-code`; SessionStart and Stop also get a background waiter', () => {
    const wanted = Object.fromEntries(wantedHooks('claude'));
    expect(Object.keys(wanted)).toEqual([
      'SessionStart',
      'UserPromptSubmit',
      'PreToolUse',
      'PostToolUse',
      'PostToolUseFailure',
      'PermissionRequest',
      'Notification',
      'Stop',
      'StopFailure',
      'SessionEnd',
    ]);
    for (const [event, handlers] of Object.entries(wanted)) {
      expect(handlers, event).toEqual(
        ['SessionStart', 'Stop'].includes(event) ? [plain('crosstalk hook claude-code'), waiter] : [plain('crosstalk hook claude-code')],
      );
    }
  });

  it('Codex: every event reports to `crosstalk hook codex`; Interrupt and SessionEnd say the 3 seconds Codex allows them', () => {
    expect(wantedHooks('codex')).toEqual([
      ['SessionStart', [plain('crosstalk hook codex')]],
      ['UserPromptSubmit', [plain('crosstalk hook codex')]],
      ['PreToolUse', [plain('crosstalk hook codex')]],
      ['PostToolUse', [plain('crosstalk hook codex')]],
      ['PermissionRequest', [plain('crosstalk hook codex')]],
      ['Stop', [plain('crosstalk hook codex')]],
      ['Interrupt', [plain('crosstalk hook codex', 3)]],
      ['SessionEnd', [plain('crosstalk hook codex', 3)]],
    ]);
  });

  it('knows its own handlers by their command, and nothing else', () => {
    expect(isOurHandler(plain('crosstalk hook codex'))).toBe(true);
    expect(isOurHandler({ type: 'command', command: 'crosstalk hook claude-code --wait' })).toBe(true);
    for (const other of [
      plain('crosstalk hooks'),
      plain('./crosstalk hook codex'),
      plain('echo crosstalk hook x'),
      { type: 'prompt' },
      null,
      'crosstalk hook x',
    ])
      expect(isOurHandler(other)).toBe(false);
  });
});

describe('editHooks', () => {
  it("installs into an empty file in each product's shape: one group per event, Claude Code's with an empty matcher", () => {
    const claude = parse(editHooks(undefined, 'claude', 's', false));
    expect(Object.keys(claude)).toEqual(['hooks']);
    expect(claude.hooks.Stop).toEqual([{ matcher: '', hooks: [plain('crosstalk hook claude-code'), waiter] }]);
    expect(claude.hooks.Notification).toEqual([{ matcher: '', hooks: [plain('crosstalk hook claude-code')] }]);
    const codex = parse(editHooks('', 'codex', 'h', false));
    expect(codex.hooks.Stop).toEqual([{ hooks: [plain('crosstalk hook codex')] }]);
    expect(Object.keys(codex.hooks)).toHaveLength(8);
  });

  it("keeps the user's settings and hooks, adds ours after theirs, once, and uninstall gives the bytes back", () => {
    const mine = {
      model: 'opus',
      hooks: {
        Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './check.sh', timeout: 5 }] }],
        SubagentStop: [{ hooks: [{ type: 'command', command: 'log' }] }],
      },
      permissions: { allow: ['Bash(npm test)'] },
    };
    const original = pretty(mine);
    const installed = editHooks(original, 'claude', 's', false);
    const settings = parse(installed);
    expect(settings.model).toBe('opus');
    expect(settings.permissions).toEqual(mine.permissions);
    expect(settings.hooks.Stop).toEqual([mine.hooks.Stop[0], { matcher: '', hooks: [plain('crosstalk hook claude-code'), waiter] }]);
    expect(settings.hooks.PreToolUse[0]).toEqual(mine.hooks.PreToolUse[0]);
    expect(settings.hooks.SubagentStop).toEqual(mine.hooks.SubagentStop);
    expect(Object.keys(settings)).toEqual(['model', 'hooks', 'permissions']);

    expect(editHooks(installed, 'claude', 's', false)).toBeUndefined();
    expect(editHooks(installed, 'claude', 's', true)).toBe(original);
    expect(editHooks(original, 'claude', 's', true)).toBeUndefined();
  });

  it('takes away a list, a table and a file that held only ours, and touches nothing when none of ours is there', () => {
    expect(editHooks(editHooks(undefined, 'codex', 'h', false), 'codex', 'h', true)).toBe('');
    expect(parse(editHooks(editHooks(pretty({ model: 'x' }), 'codex', 'h', false), 'codex', 'h', true))).toEqual({ model: 'x' });
    expect(editHooks(undefined, 'codex', 'h', true)).toBeUndefined();
    expect(editHooks(pretty({ hooks: {} }), 'codex', 'h', true)).toBeUndefined();
    expect(editHooks(pretty({ hooks: { Stop: [] } }), 'codex', 'h', true)).toBeUndefined();
  });

  it('replaces an older handler of ours where it stands, and keeps the handlers the user put beside ours', () => {
    const old = {
      hooks: {
        Stop: [
          { hooks: [{ type: 'command', command: 'notify-send done' }] },
          {
            matcher: '',
            hooks: [
              { type: 'command', command: 'say hi' },
              { type: 'command', command: 'crosstalk hook claude-code', timeout: 5 },
            ],
          },
          { hooks: [{ type: 'command', command: 'last' }] },
        ],
      },
    };
    const updated = parse(editHooks(pretty(old), 'claude', 's', false));
    expect(updated.hooks.Stop).toEqual([
      old.hooks.Stop[0],
      { matcher: '', hooks: [{ type: 'command', command: 'say hi' }, plain('crosstalk hook claude-code'), waiter] },
      old.hooks.Stop[2],
    ]);
    const removed = parse(editHooks(pretty(updated), 'claude', 's', true));
    expect(removed.hooks.Stop).toEqual([old.hooks.Stop[0], { matcher: '', hooks: [{ type: 'command', command: 'say hi' }] }, old.hooks.Stop[2]]);
  });

  it('takes ours off an event this version no longer hooks', () => {
    const old = { hooks: { PreCompact: [{ hooks: [plain('crosstalk hook codex')] }, { hooks: [plain('mine')] }] } };
    const edited = parse(editHooks(pretty(old), 'codex', 'h', false));
    expect(edited.hooks.PreCompact).toEqual([{ hooks: [plain('mine')] }]);
  });

  it('counts a handler of ours with its keys in another order as in place, and drops a duplicate', () => {
    const reordered = { hooks: { Stop: [{ hooks: [{ timeout: 10, command: 'crosstalk hook codex', type: 'command' }, plain('crosstalk hook codex')] }] } };
    const edited = parse(editHooks(pretty(reordered), 'codex', 'h', false));
    expect(edited.hooks.Stop).toEqual([{ hooks: [{ timeout: 10, command: 'crosstalk hook codex', type: 'command' }] }]);
  });

  it('refuses a file that is not JSON, or whose hooks are not a table of lists', () => {
    expect(() => editHooks('{ "hooks": ', 'claude', 'settings.json', false)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => editHooks('[]', 'codex', 'hooks.json', false)).toThrow(/does not hold a JSON object/);
    expect(() => editHooks('{"hooks": []}', 'codex', 'hooks.json', true)).toThrow(/"hooks" is not an object/);
    expect(() => editHooks('{"hooks": {"Stop": {}}}', 'codex', 'hooks.json', false)).toThrow(/"hooks.Stop" is not a list/);
    // What is not ours and not in our way is left as it is, however odd.
    const odd = pretty({ hooks: { Stop: 'x', PreToolUse: [1, { hooks: 'y' }] } });
    expect(editHooks(odd, 'codex', 'hooks.json', true)).toBeUndefined();
  });
});

describe('editHooks with groups of the user around ours', () => {
  it('moves no group of the user, even an empty one; ours in place stays, an old one of ours goes with its group', () => {
    const before = {
      hooks: {
        Stop: [
          { hooks: [] },
          { hooks: [plain('crosstalk hook codex', 99)] },
          { hooks: [{ type: 'command', command: 'mine' }] },
          { hooks: [plain('crosstalk hook codex')] },
        ],
      },
    };
    const after = parse(editHooks(pretty(before), 'codex', 'h', false));
    expect(after.hooks.Stop).toEqual([{ hooks: [] }, { hooks: [{ type: 'command', command: 'mine' }] }, { hooks: [plain('crosstalk hook codex')] }]);
  });
});
