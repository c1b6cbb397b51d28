// Every scenario, in the order the table shows them. `figures` names what a scenario reports,
// so a failed scenario still has its rows in the table.
import { cliStart } from './cli-start.mjs';
import { compact } from './compact.mjs';
import { fanout } from './fanout.mjs';
import { hook } from './hook.mjs';
import { inbound } from './inbound.mjs';
import { memory } from './memory.mjs';
import { posts } from './posts.mjs';
import { reading } from './reading.mjs';
import { restart } from './restart.mjs';
import { wake } from './wake.mjs';
import { web } from './web.mjs';

export const SCENARIOS = [
  {
    name: 'wake',
    run: wake,
    figures: [
      'turn → wake-up in the pane, from the HTTP post (relay + agent)',
      'turn → wake-up in the pane, from starting `crosstalk reply`',
      'turn → wake-up in the pane, from starting `crosstalk reply`, direct HTTP (no agent)',
    ],
  },
  {
    name: 'reading',
    run: reading,
    figures: [
      'bytes a woken session is told to read, whole copy each turn (before)',
      'bytes a woken session is told to read, `read --new` (now)',
      'reading: now / before',
    ],
  },
  { name: 'cli', run: cliStart, figures: ['CLI start: `crosstalk --help` / `node -e 0`'] },
  {
    name: 'web',
    run: web,
    figures: [
      'web view: list of 500 conversations, first contentful paint (cold load, Chromium)',
      'web view: turn posted → on the open conversation page (SSE)',
    ],
  },
  { name: 'hook', run: hook, figures: ['`crosstalk hook` on a Stop event, answered by the agent'] },
  {
    name: 'posts',
    run: posts,
    figures: [
      'durable posts/s, 1 concurrent poster',
      'durable posts/s, 10 concurrent posters',
      'durable posts/s, 100 concurrent posters',
      'durable posts/s, 100 concurrent posters, through host agents',
    ],
  },
  { name: 'inbound', run: inbound, figures: ['agent CPU per event received (parse, apply, write state and copies, cursor)'] },
  { name: 'fanout', run: fanout, figures: ['fan-out deliveries/s to 200 agent links', 'fan-out delivery delay (post → link) at that load'] },
  { name: 'memory', run: memory, figures: ['relay memory per idle agent link', 'relay RSS with 1,000 idle agent links'] },
  {
    name: 'restart',
    run: restart,
    figures: ['relay restart, 1,000,000-event log, from the snapshot of a clean stop', 'relay restart, 1,000,000-event log, whole log folded (no snapshot)'],
  },
  {
    name: 'compact',
    run: compact,
    figures: ['log compaction, 1,000,000 events, half the conversations deleted', 'log compaction: bytes after / before'],
  },
];
