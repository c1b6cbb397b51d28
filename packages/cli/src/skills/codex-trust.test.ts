import { describe, expect, it } from 'vitest';
import { editTrust, handlerHash, isTrusted, recordedHashes, TRUST_BEGIN, TRUST_END, tomlString, trustEntries } from './codex-trust.js';
import { editHooks } from './hooks.js';

const OURS = 'crosstalk hook codex';
const sha = (hex: string) => `sha256:${hex}`;

describe('the hash Codex trusts a hook by', () => {
  // What Codex 0.169.1 itself wrote to config.toml after "Trust all and continue" on these hooks.
  const recorded: Array<[event: string, group: Record<string, unknown>, handler: Record<string, unknown>, hash: string]> = [
    ['PreToolUse', {}, { type: 'command', command: OURS, timeout: 10 }, 'a5c51d2cd7c9e6bab18146f32ea9242e630ff10e448507acaf7779b5993a4054'],
    ['PermissionRequest', {}, { type: 'command', command: OURS, timeout: 10 }, '5c885e161806da5dbb41fd9707c4fda5267e9abeda0dc7a020b3732c1655731c'],
    ['PostToolUse', {}, { type: 'command', command: OURS, timeout: 10 }, '08e0e362e412768054983f07d82e10450f02ff5b4ec72bcf3403b5838713d68c'],
    ['SessionStart', {}, { type: 'command', command: OURS, timeout: 10 }, 'dfa17e4818565b824363d9576c84ec26e15533db4c62abaf5984e85f1248fe31'],
    ['UserPromptSubmit', {}, { type: 'command', command: OURS, timeout: 10 }, '92fea970941057e9bf8f81e061965f1eab359dfd893f08b40eda4aa4de199de5'],
    ['Stop', {}, { type: 'command', command: OURS, timeout: 10 }, 'e0db6029a9b4d1761668b2fdc77456e3ec7585634f5e8b8e424f5528712a8fab'],
    // A Stop matcher is ignored by Codex, and so by its hash.
    ['Stop', { matcher: 'x' }, { type: 'command', command: OURS, timeout: 10 }, 'e0db6029a9b4d1761668b2fdc77456e3ec7585634f5e8b8e424f5528712a8fab'],
    ['Stop', {}, { type: 'command', command: OURS, timeout: 86_400 }, '558c353e0b3299cdb65ba8776bf4d19c6a8ba1911e909c31568f59455496e17b'],
    ['Stop', {}, { type: 'command', command: 'a' }, 'c75a850480544f28d4a0e3e73be3b2659a93058c0746b3a82ad494187e86ecbc'],
    // Interrupt and SessionEnd: 3 seconds at most, 1 by default.
    ['SessionEnd', {}, { type: 'command', command: OURS, timeout: 10 }, 'df5b538a8caa6b8cffbdbf4e13c2026adcaf27d5ef47e5cae2cebd0aa08e8bb1'],
    ['SessionEnd', {}, { type: 'command', command: OURS, timeout: 4 }, 'df5b538a8caa6b8cffbdbf4e13c2026adcaf27d5ef47e5cae2cebd0aa08e8bb1'],
    ['SessionEnd', {}, { type: 'command', command: OURS, timeout: 2 }, '95768214483ced5ef6ffcfd5d0a86cc4a95e43a523adce09a52f2e2046f59f40'],
    ['SessionEnd', {}, { type: 'command', command: OURS }, 'd3ca4141ece648ff4ddb5da883e6fd36f8f453e59c105df601875152f3c3fdc5'],
    ['Interrupt', {}, { type: 'command', command: OURS, timeout: 10 }, '761298c20d0c0db4d35ad2ec319258dc7dd1f1d6b6e393f37bff02bb9578a9c2'],
    ['Interrupt', {}, { type: 'command', command: OURS, timeout: 2 }, '41c0947c4d533ae5529bd46924194529afb51a40b0fd986d2dcf8f6d5f1ac2c0'],
    ['Interrupt', {}, { type: 'command', command: OURS }, '27614f55b33f8f80762ce9822ceda2f7a9247e829a97a2436e465eb109f6d15f'],
    // A matcher counts where Codex honours it, an empty one too.
    ['PreToolUse', { matcher: '' }, { type: 'command', command: OURS, timeout: 10 }, '80081f95ed46f23aafd2fdcba799b0f16a09bc33a22a44fa6e3bfaaf136c23aa'],
    ['PreToolUse', { matcher: 'Bash' }, { type: 'command', command: OURS, timeout: 10 }, 'ab9463b7252b2df184a1e4d6723a6acd356a9215b9475a37c8fb61fc3b5b34d7'],
  ];
  for (const [event, group, handler, hash] of recorded) {
    it(`${event} ${JSON.stringify(group)} ${JSON.stringify(handler)}`, () => expect(handlerHash(event, group, handler)).toBe(sha(hash)));
  }
});

describe('trust entries', () => {
  it('are keyed by the hooks file, the event, and the indices of group and handler in the file as written', () => {
    const mine = {
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }], SessionEnd: [{ hooks: [{ type: 'command', command: 'x' }] }] },
    };
    const hooks = editHooks(JSON.stringify(mine), 'codex', 'h', false);
    const entries = trustEntries(hooks, '/home/me/.codex/hooks.json', 'h');
    expect(entries.map((e) => e.key)).toEqual([
      '/home/me/.codex/hooks.json:stop:1:0',
      '/home/me/.codex/hooks.json:session_end:1:0',
      '/home/me/.codex/hooks.json:session_start:0:0',
      '/home/me/.codex/hooks.json:user_prompt_submit:0:0',
      '/home/me/.codex/hooks.json:pre_tool_use:0:0',
      '/home/me/.codex/hooks.json:post_tool_use:0:0',
      '/home/me/.codex/hooks.json:permission_request:0:0',
      '/home/me/.codex/hooks.json:interrupt:0:0',
    ]);
    expect(entries[0]?.hash).toBe(sha('e0db6029a9b4d1761668b2fdc77456e3ec7585634f5e8b8e424f5528712a8fab'));
    // A handler of ours beside one of the user's in the same group: its own index.
    const shared = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: 'command', command: 'mine' },
              { type: 'command', command: OURS, timeout: 10 },
            ],
          },
        ],
      },
    };
    expect(trustEntries(JSON.stringify(shared), '/p/.codex/hooks.json', 'h').map((e) => e.key)).toEqual(['/p/.codex/hooks.json:stop:0:1']);
  });

  it('quote any path as a valid TOML basic string', () => {
    expect(tomlString('/home/me/.codex/hooks.json:stop:0:0')).toBe('"/home/me/.codex/hooks.json:stop:0:0"');
    expect(tomlString('C:\\Users\\me "x"\\hooks.json')).toBe('"C:\\\\Users\\\\me \\"x\\"\\\\hooks.json"');
    expect(tomlString('a\tb\u0001\u007f')).toBe('"a\\u0009b\\u0001\\u007f"');
    // Every escape TOML's basic strings share with JSON reads back to the same text.
    expect(JSON.parse(tomlString('C:\\a "b"\n/c'))).toBe('C:\\a "b"\n/c');
  });
});

const entry = (key: string, hex = 'aa') => ({ key, hash: sha(hex) });
const HOOKS = '/home/me/.codex/hooks.json';
const PROJECT = '/work/p/.codex/hooks.json';
const block = (...lines: string[]) => [TRUST_BEGIN, ...lines, TRUST_END].join('\n');

describe('editTrust', () => {
  const user = 'model = "o3"\n\n[projects."/work/p"]\ntrust_level = "trusted"\n';

  it('appends a marked block after everything, once, and uninstall gives every byte back', () => {
    const installed = editTrust(user, HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'config.toml');
    expect(installed).toBe(`${user}\n${block(`[hooks.state."${HOOKS}:stop:0:0"]`, 'trusted_hash = "sha256:aa"')}\n`);
    expect(editTrust(installed, HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'c')).toBeUndefined();
    expect(editTrust(installed, HOOKS, [], 'c')).toBe(user);
    expect(editTrust(user, HOOKS, [], 'c')).toBeUndefined();
  });

  it('gives back a file without a final line break, one with CRLF, and an empty or absent one', () => {
    for (const original of ['model = "o3"', 'model = "o3"\r\n[tui]\r\nx = 1\r\n', 'a = 1\n\n\n']) {
      const installed = editTrust(original, HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'c');
      expect(editTrust(installed, HOOKS, [], 'c')).toBe(original);
    }
    expect(editTrust('model = "o3"\r\n', HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'c')).toContain(`\r\n${TRUST_BEGIN}\r\n[hooks.state.`);
    const fresh = editTrust(undefined, HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'c');
    expect(fresh).toBe(`${block(`[hooks.state."${HOOKS}:stop:0:0"]`, 'trusted_hash = "sha256:aa"')}\n`);
    expect(editTrust(fresh, HOOKS, [], 'c')).toBe('');
  });

  it('keeps the entries of another hooks file, replaces stale ones of this file, and leaves what the user added after the block', () => {
    const both = editTrust(editTrust(user, HOOKS, [entry(`${HOOKS}:stop:0:0`)], 'c'), PROJECT, [entry(`${PROJECT}:stop:0:0`, 'bb')], 'c');
    const later = `${both}\n[tui]\nshow_tooltips = false\n`;
    const updated = editTrust(later, HOOKS, [entry(`${HOOKS}:stop:1:0`, 'cc')], 'c') as string;
    expect(updated).toContain(
      block(`[hooks.state."${PROJECT}:stop:0:0"]`, 'trusted_hash = "sha256:bb"', `[hooks.state."${HOOKS}:stop:1:0"]`, 'trusted_hash = "sha256:cc"'),
    );
    expect(updated.endsWith('\n[tui]\nshow_tooltips = false\n')).toBe(true);
    const projectGone = editTrust(updated, PROJECT, [], 'c') as string;
    expect(projectGone).not.toContain(PROJECT);
    expect(editTrust(projectGone, HOOKS, [], 'c')).toBe(`${user}\n[tui]\nshow_tooltips = false\n`);
  });

  it("never duplicates a key the user's config already has outside the block, whatever its hash", () => {
    const theirs = `${user}\n[hooks.state."${HOOKS}:stop:0:0"]\ntrusted_hash = "sha256:old"\n`;
    const installed = editTrust(theirs, HOOKS, [entry(`${HOOKS}:stop:0:0`), entry(`${HOOKS}:interrupt:0:0`)], 'c') as string;
    expect(installed.split(`[hooks.state."${HOOKS}:stop:0:0"]`)).toHaveLength(2);
    expect(installed).toContain(`[hooks.state."${HOOKS}:interrupt:0:0"]`);
    // Doctor sees their stale hash.
    const recorded = recordedHashes(installed);
    expect(isTrusted(recorded, entry(`${HOOKS}:stop:0:0`))).toBe(false);
    expect(isTrusted(recorded, entry(`${HOOKS}:interrupt:0:0`))).toBe(true);
    expect(isTrusted(recordedHashes(theirs), { key: `${HOOKS}:stop:0:0`, hash: 'sha256:old' })).toBe(true);
  });

  it('writes keys with quotes and backslashes so that they are found again', () => {
    const odd = 'C:\\Users\\me "x"\\.codex\\hooks.json';
    const installed = editTrust(user, odd, [entry(`${odd}:stop:0:0`)], 'c') as string;
    expect(installed).toContain('[hooks.state."C:\\\\Users\\\\me \\"x\\"\\\\.codex\\\\hooks.json:stop:0:0"]');
    expect(editTrust(installed, odd, [entry(`${odd}:stop:0:0`)], 'c')).toBeUndefined();
    expect(isTrusted(recordedHashes(installed), entry(`${odd}:stop:0:0`))).toBe(true);
    expect(editTrust(installed, odd, [], 'c')).toBe(user);
  });

  it('refuses damaged markers', () => {
    for (const damaged of [`${TRUST_BEGIN}\n`, `x\n${TRUST_END}\n`, `${TRUST_END}\n${TRUST_BEGIN}\n`, `${block()}\n${block()}\n`]) {
      expect(() => editTrust(damaged, HOOKS, [], 'config.toml')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
