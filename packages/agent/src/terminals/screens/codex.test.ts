import { describe, expect, it } from 'vitest';
import { capturedScreens, itReadsEveryScreen } from './__fixtures__/screens.js';
import { codexScreen } from './codex.js';
import type { ScreenVerdict } from './types.js';

// Every screen captured from the real Codex, and what a wake-up must make of it. A new capture
// without an entry here fails the test: each screen is classified on purpose.
const EXPECTED: Record<string, ScreenVerdict['state']> = {
  'styled-empty': 'ready',
  'styled-draft-cursor-home': 'draft',
  'startup-empty': 'ready',
  'startup-empty-bypass': 'ready',
  'idle-after-turn': 'ready',
  'idle-after-declined': 'ready',
  'after-ctrl-c-clears-draft': 'ready',
  'plan-mode-empty': 'ready',
  'idle-after-wake-reply-eperm': 'busy',
  'after-enter-wake-busy': 'busy',
  'busy-empty': 'busy',
  'busy-draft': 'busy',
  'busy-paste-wake-before-enter': 'busy',
  'busy-paste-wake-after-enter': 'busy',
  'busy-after-enter-steer': 'busy',
  'busy-after-tab-queued': 'busy',
  'draft-one-line': 'draft',
  'draft-multi-line': 'draft',
  'draft-long-wrapping': 'draft',
  'draft-then-paste-wake': 'draft',
  'paste-wake-248': 'draft',
  'paste-wake-398': 'draft',
  'paste-wake-599': 'draft',
  'paste-1200-collapsed': 'draft',
  'slash-popup': 'draft',
  'approval-exec-dangerous': 'waiting-input',
  'approval-exec-escalation': 'waiting-input',
  'approval-exec-rule-prompt': 'waiting-input',
  'approval-patch': 'waiting-input',
  'question-request-user-input': 'waiting-input',
  'question-after-paste': 'waiting-input',
  'trust-folder-prompt': 'waiting-input',
  'picker-model': 'waiting-input',
  'picker-permissions': 'waiting-input',
  'agents-panel': 'waiting-input',
  'history-search': 'waiting-input',
  'history-search-after-paste': 'waiting-input',
  'shortcuts-overlay': 'waiting-input',
  'backtrack-browsing': 'waiting-input',
  'esc-once-hint': 'unknown',
  'exited-after-ctrl-c': 'unknown',
};

const screens = capturedScreens('codex');

describe("Codex's screens, before typing", () => {
  itReadsEveryScreen(screens, codexScreen, EXPECTED);

  it('tells a draft with the cursor at its start from the placeholder by its style alone', () => {
    const draft = screens.find((s) => s.name.startsWith('styled-draft-cursor-home'))!;
    expect(draft.view.cursorX).toBe(2);
    expect(codexScreen.before(draft.view).state).toBe('draft');
    // Without the styles (a plain capture) the two look alike: the agent always captures with them.
    expect(codexScreen.before({ ...draft.view, styled: undefined }).state).toBe('ready');
  });

  it('names the dialog a receipt reports', () => {
    const named = (name: string) => codexScreen.before(screens.find((s) => s.name === name)!.view);
    expect(named('approval-exec-dangerous-120x40')).toEqual({ state: 'waiting-input', what: 'an approval prompt for a command' });
    expect(named('approval-patch-120x40')).toEqual({ state: 'waiting-input', what: 'an approval prompt for file edits' });
    expect(named('question-request-user-input-120x40')).toEqual({ state: 'waiting-input', what: 'a question' });
  });
});

describe("Codex's input, before Enter", () => {
  const pasted = screens.filter((s) => s.typed !== undefined);

  it('holds exactly the pasted line on every clean paste, at every width', () => {
    const clean = pasted.filter((s) => /^paste-wake-/.test(s.name));
    expect(clean.length).toBeGreaterThanOrEqual(5);
    for (const s of clean) expect(codexScreen.input(s.view, s.typed!), s.name).toEqual({ holds: 'only-ours' });
  });

  it('sees a draft the line was glued to, and can take the line back', () => {
    const s = pasted.find((p) => p.name.startsWith('draft-then-paste-wake'))!;
    expect(codexScreen.input(s.view, s.typed!)).toEqual({ holds: 'ours-after-other', other: 'my unfinished draft' });
  });

  it('never presses Enter into a question, a search or a busy Codex', () => {
    for (const prefix of ['question-after-paste', 'history-search-after-paste', 'busy-paste-wake-before-enter']) {
      const s = pasted.find((p) => p.name.startsWith(prefix))!;
      expect(codexScreen.input(s.view, s.typed!).holds, s.name).toBe('other');
    }
  });

  it('does not take another line for the typed one', () => {
    const s = pasted.find((p) => p.name.startsWith('paste-wake-248'))!;
    expect(codexScreen.input(s.view, s.typed!.replace('turn 3/20', 'turn 4/20')).holds).toBe('other');
  });
});
