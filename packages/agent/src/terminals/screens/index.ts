// The screen readers by kind of coding agent. `other` agents have none: they keep the pane
// checks alone and get no dialog protection (docs/WAKE.md).
import type { SessionKind } from '@crosstalk/core';
import { deferred, type WakeOutcome } from '../types.js';
import { claudeCodeScreen } from './claude-code.js';
import { codexScreen } from './codex.js';
import type { ScreenReader, ScreenVerdict } from './types.js';

export type { ScreenReader, ScreenVerdict } from './types.js';

export function screenReaderFor(kind: SessionKind | undefined): ScreenReader | undefined {
  switch (kind) {
    case 'claude-code':
      return claudeCodeScreen;
    case 'codex':
      return codexScreen;
    default:
      return undefined;
  }
}

/** A verdict as a wake-up outcome: null when the line may be typed. */
export function verdictOutcome(verdict: ScreenVerdict): WakeOutcome | null {
  switch (verdict.state) {
    case 'ready':
      return null;
    case 'waiting-input':
      return deferred('waiting-input', verdict.what);
    case 'draft':
      return deferred('draft');
    case 'busy':
      return deferred('busy', verdict.what);
    case 'unknown':
      return deferred('screen-unknown', verdict.what);
  }
}
