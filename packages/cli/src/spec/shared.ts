// Options several commands share.
import type { OptionSpec } from '../commands.js';

export const AS: OptionSpec = { flags: '--as <session>', description: 'act as this session (default: the session joined in this tmux pane)' };
export const BODY: OptionSpec[] = [
  { flags: '--body <text>', description: 'the text (default: read from stdin)' },
  { flags: '--body-file <path>', description: 'read the text from a file' },
];
