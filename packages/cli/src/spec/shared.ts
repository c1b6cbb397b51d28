// Options several commands share.
import { option, options } from '../options/types.js';
import { logLevel, name } from '../options/values.js';

export const AS = option({
  flags: '--as <session>',
  description: 'act as this session (default: the session joined in this tmux pane)',
  parse: name('session'),
});
export const BODY = options(
  { flags: '--body <text>', description: 'the text (default: read from stdin)' },
  { flags: '--body-file <path>', description: 'read the text from a file' },
);
export const DATA_DIR = option({ flags: '--data-dir <dir>', description: 'relay data directory (default: ~/.crosstalk/relay)' });
export const LOG_LEVEL = option({ flags: '--log-level <level>', description: 'trace, debug, info, warn, error', default: 'info', parse: logLevel });
