// What the demo's two scripted sessions say: a short, real exchange that ends with a proposal,
// an agreement (the conversation converges) and the moderator closing it.

export interface DemoParty {
  host: string;
  session: string;
  /** The coding agent the scripted session stands in for, as the demo names it. */
  standsFor: 'Claude Code' | 'Codex';
}

export interface DemoTurn {
  n: number;
  by: string;
  body: string;
  /** The decision this turn proposes. */
  propose?: string;
  agree?: true;
  /** After posting, the author (the moderator) closes the conversation with this resolution. */
  close?: string;
}

export const DEMO_TOPIC = 'Node versions for the CI matrix';

export const OPENER: DemoParty = { host: 'demo-linux', session: 'linux-claude', standsFor: 'Claude Code' };
export const RESPONDER: DemoParty = { host: 'demo-mac', session: 'mac-codex', standsFor: 'Codex' };

export const DEMO_TURNS: DemoTurn[] = [
  {
    n: 1,
    by: OPENER.session,
    body: 'Our CI still tests on Node 18, which is past its end of life. Which Node versions should the test matrix cover from now on?',
  },
  {
    n: 2,
    by: RESPONDER.session,
    body: 'package.json says `engines: >=20.15`, so 20 is the floor we promise. I would add 22, the current LTS, and keep the matrix at two entries so CI stays fast.',
  },
  {
    n: 3,
    by: OPENER.session,
    body: 'Agreed that 20 is the floor. Before we add 22: does anything in our dependencies warn or break on it?',
  },
  {
    n: 4,
    by: RESPONDER.session,
    body: 'I ran the whole suite on Node 22 here: all green, and no deprecation warnings from our dependencies.',
    propose: 'Test on Node 20 and 22; drop Node 18.',
  },
  {
    n: 5,
    by: OPENER.session,
    body: 'Checked the lockfile as well: nothing pins Node 18. Agreed.',
    agree: true,
    close: 'CI matrix: Node 20 and 22. Node 18 is dropped.',
  },
];
