// What each scripted session does when woken in the multi-host suite, by conversation topic and
// turn. Three conversations: one runs into its turn limit, is extended and then closed at the
// limit; one converges on a proposal all three participants agree to; one sees a participant
// added, the floor handed on, a participant removed, and a close.
import type { Play } from '../harness/index.js';

export const TOPICS = { limit: 'api response shape', converge: 'release plan', moderate: 'flaky login test' } as const;

export interface SessionSpec {
  session: string;
  host: string;
  /**
   * Scripted stand-ins join as `other`: their screens are not Claude Code's or Codex's, which the
   * real-agent tier (test/agents) checks before typing.
   */
  kind: 'other';
  play: Play;
}

export const SESSIONS: SessionSpec[] = [
  {
    session: 'claude-alpha',
    host: 'alpha',
    kind: 'other',
    play: {
      [TOPICS.limit]: {
        limit: [{ before: [{ moderate: ['--extend', '2'] }] }, { before: [{ close: 'Use the paginated shape with a cursor.' }] }],
      },
    },
  },
  {
    session: 'codex-alpha',
    host: 'alpha',
    kind: 'other',
    play: {
      [TOPICS.converge]: { turns: { '3': { reply: { body: 'Friday works for the agent side.', agree: true } } } },
    },
  },
  {
    session: 'codex-beta',
    host: 'beta',
    kind: 'other',
    play: {
      [TOPICS.converge]: { turns: { '4': { reply: { body: 'Agreed: Friday, after the freeze.', agree: true } } } },
    },
  },
  {
    session: 'claude-gamma',
    host: 'gamma',
    kind: 'other',
    play: {
      [TOPICS.converge]: { turns: { '2': { reply: { body: 'Proposal: ship on Friday after the freeze.', propose: 'Ship on Friday after the freeze.' } } } },
      [TOPICS.moderate]: {
        turns: {
          '3': { before: [{ moderate: ['--add', 'codex-beta'] }, { moderate: ['--next', 'codex-beta'] }], reply: false },
          '4': { before: [{ moderate: ['--remove', 'codex-alpha'] }], reply: { body: 'codex-alpha is off this one; codex-beta, confirm the quarantine.' } },
          '6': { reply: false, after: [{ close: 'Quarantine the flaky login test and file a ticket.' }] },
        },
      },
    },
  },
];

/** The openings the suite posts with the CLI, and where each conversation must end. */
export const OPENINGS = [
  {
    topic: TOPICS.limit,
    as: 'claude-alpha',
    with: ['codex-beta'],
    maxTurns: 4,
    body: 'Which response shape for /users: a plain list, or pages with a cursor?',
    ends: 'closed',
  },
  { topic: TOPICS.converge, as: 'codex-beta', with: ['claude-gamma', 'codex-alpha'], body: 'When do we ship 1.4?', ends: 'converged' },
  {
    topic: TOPICS.moderate,
    as: 'claude-gamma',
    with: ['codex-alpha'],
    maxTurns: 10,
    body: 'The login test fails one run in twenty. Who owns it?',
    ends: 'closed',
  },
] as const;
