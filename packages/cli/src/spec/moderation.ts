// For humans and moderators.
import type { CommandSpec } from '../commands.js';
import { AS } from './shared.js';

export const MODERATION_COMMANDS: CommandSpec[] = [
  {
    path: ['tail'],
    args: '<id>',
    group: 'moderation',
    summary: 'print a conversation; with -f, follow new turns live',
    description: 'With -f it keeps printing turns, moderation notes and the decision as they happen, until Ctrl-C or the conversation closes. With --json -f it prints one JSON object per line.',
    options: [{ flags: '-f, --follow', description: 'keep printing turns as they arrive' }],
    json: true,
    examples: ['crosstalk tail api-shape-x1y2 -f'],
    load: () => import('../commands/tail.js'),
  },
  {
    path: ['moderate'],
    args: '<id>',
    group: 'moderation',
    summary: 'moderator actions: hand the floor, extend the limit, add or remove participants',
    options: [
      { flags: '--next <sessions>', description: 'hand the floor to these sessions' },
      { flags: '--extend <n>', description: 'raise the turn limit by n' },
      { flags: '--add <session>', description: 'add a participant' },
      { flags: '--remove <session>', description: 'remove a participant' },
      { flags: '--admin', description: 'act with the relay admin key (on the relay machine)' },
      AS,
    ],
    json: true,
    examples: ['crosstalk moderate api-shape-x1y2 --extend 10', 'crosstalk moderate api-shape-x1y2 --next claude-win'],
    load: () => import('../commands/moderate.js'),
  },
  {
    path: ['close'],
    args: '<id>',
    group: 'moderation',
    summary: 'close a conversation with a resolution',
    options: [
      { flags: '--resolution <text>', description: 'what was decided (required)' },
      { flags: '--admin', description: 'act with the relay admin key (on the relay machine)' },
      AS,
    ],
    json: true,
    examples: ['crosstalk close api-shape-x1y2 --resolution "Use the paginated shape"'],
    load: () => import('../commands/close.js'),
  },
];
