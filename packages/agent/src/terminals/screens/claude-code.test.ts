import { describe, expect, it } from 'vitest';
import { capturedScreens, itReadsEveryScreen } from './__fixtures__/screens.js';
import { claudeCodeScreen } from './claude-code.js';
import type { ScreenVerdict } from './types.js';

// Every screen captured from the real Claude Code, and what a wake-up must make of it. A new
// capture without an entry here fails the test: each screen is classified on purpose.
const EXPECTED: Record<string, ScreenVerdict['state']> = {
  'styled-empty': 'ready',
  'styled-draft-cursor-home': 'draft',
  'empty-manual-welcome': 'ready',
  'empty-manual-after-turn': 'ready',
  'empty-auto-welcome': 'ready',
  'empty-auto-after-denied': 'ready',
  'empty-unset-mode-welcome': 'ready',
  'empty-after-ctrl-u': 'ready',
  'empty-after-esc-esc': 'ready',
  'real-empty-after-reply-auto': 'ready',
  'real-empty-after-reply-manual': 'ready',
  'busy-empty': 'busy',
  'busy-empty-hint-ctrl-y': 'busy',
  'busy-with-queued-wake': 'busy',
  'submitted-wake-busy': 'busy',
  'real-wake-replying-auto': 'busy',
  'real-wake-replying-manual': 'busy',
  'busy-with-draft': 'busy',
  'busy-pasted-wake': 'busy',
  'draft-one-line': 'draft',
  'draft-multi-line': 'draft',
  'draft-multi-line-cursor-up': 'draft',
  'draft-long-wrapped': 'draft',
  'draft-esc-once': 'draft',
  'interrupted-with-draft': 'draft',
  'pasted-wake-190': 'draft',
  'pasted-wake-250': 'draft',
  'pasted-wake-400': 'draft',
  'pasted-wake-600': 'draft',
  'pasted-wake-into-draft': 'draft',
  'real-wake-pasted-auto': 'draft',
  'real-wake-pasted-manual': 'draft',
  'submitted-wake-immediate': 'draft',
  'slash-menu': 'draft',
  'bash-mode-empty': 'draft',
  'bash-mode-pasted-wake': 'draft',
  'after-history-search-enter': 'draft',
  'bash-permission': 'waiting-input',
  'bash-permission-amend-pasted-wake': 'waiting-input',
  'bash-permission-cat-outside-project': 'waiting-input',
  'bash-permission-dangerous-rm': 'waiting-input',
  'bash-permission-nested-command': 'waiting-input',
  'bash-permission-reply-heredoc': 'waiting-input',
  'bash-permission-requires-approval': 'waiting-input',
  'bash-permission-unquoted-heredoc': 'waiting-input',
  'write-permission': 'waiting-input',
  'edit-permission': 'waiting-input',
  'read-permission-outside-project': 'waiting-input',
  'auto-cant-check': 'waiting-input',
  'auto-approval-no-default': 'waiting-input',
  'auto-read-outside-workdir': 'waiting-input',
  'ask-user-question': 'waiting-input',
  'ask-user-question-multiselect': 'waiting-input',
  'ask-user-question-pasted-wake': 'waiting-input',
  'exit-plan-mode': 'waiting-input',
  'plan-approval': 'waiting-input',
  'history-search-ctrl-r': 'waiting-input',
  'transcript-view-ctrl-o': 'waiting-input',
  'rewind-menu': 'waiting-input',
  'shortcuts-overlay': 'unknown',
  'agents-view-left-arrow': 'unknown',
  'agents-view-after-enter': 'unknown',
  'agents-view-pasted-wake': 'draft',
  'exit-confirm-empty': 'unknown',
  'exit-confirm-after-ctrl-c-on-draft': 'unknown',
};

const screens = capturedScreens('claude-code');

describe("Claude Code's screens, before typing", () => {
  itReadsEveryScreen(screens, claudeCodeScreen, EXPECTED);

  it('names the dialog a receipt reports', () => {
    const named = (name: string) => claudeCodeScreen.before(screens.find((s) => s.name === name)!.view);
    expect(named('bash-permission-120x40')).toEqual({ state: 'waiting-input', what: 'a permission prompt' });
    expect(named('ask-user-question-120x40')).toEqual({ state: 'waiting-input', what: 'a question' });
    expect(named('plan-approval-120x40')).toEqual({ state: 'waiting-input', what: 'a plan approval' });
    expect(named('auto-cant-check-120x40')).toEqual({ state: 'waiting-input', what: 'an auto-mode prompt' });
  });
});

describe("Claude Code's input, before Enter", () => {
  const pasted = screens.filter((s) => s.typed !== undefined);

  it('holds exactly the pasted line on every clean paste, at every width, also when the box scrolls', () => {
    const clean = pasted.filter((s) => /^(?:pasted-wake-\d|real-wake-pasted)/.test(s.name));
    expect(clean.length).toBeGreaterThanOrEqual(7);
    for (const s of clean) expect(claudeCodeScreen.input(s.view, s.typed!), s.name).toEqual({ holds: 'only-ours' });
  });

  it('never presses Enter when the line went into a draft, shell mode, a dialog, the agents view or a busy Claude', () => {
    for (const prefix of [
      'pasted-wake-into-draft',
      'bash-mode-pasted-wake',
      'ask-user-question-pasted-wake',
      'bash-permission-amend-pasted-wake',
      'agents-view-pasted-wake',
      'busy-pasted-wake',
    ]) {
      const s = pasted.find((p) => p.name.startsWith(prefix))!;
      expect(claudeCodeScreen.input(s.view, s.typed!).holds, s.name).toBe('other');
    }
  });

  it('does not take another line for the typed one', () => {
    const s = pasted.find((p) => p.name.startsWith('pasted-wake-190'))!;
    expect(claudeCodeScreen.input(s.view, s.typed!.replace('turn 3/20', 'turn 4/20')).holds).toBe('other');
  });
});
