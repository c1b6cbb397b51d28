// Options several commands share.
import { option, options } from '../options/types.js';
import { logLevel, name, timeoutMs } from '../options/values.js';

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
/** The commands that post: through this host's agent when one runs, else straight to the relay. */
export const POSTING = options(
  {
    flags: '--post-timeout <seconds>',
    description: 'wait this long for the relay to acknowledge the post, across relay restarts (default 60)',
    default: '60',
    parse: timeoutMs,
  },
  { flags: '--verbose', description: "say on stderr which way the post went: through this host's agent, or straight to the relay" },
);
