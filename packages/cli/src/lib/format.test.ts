import { describe, expect, it } from 'vitest';
import { renderConversation, type Conversation } from '@crosstalk/core';
import { formatSince, table } from './format.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 21, 14, 0, s)).toISOString();

function conversation(): Conversation {
  return {
    id: 'api-shape-x1y2',
    topic: 'api shape',
    openedBy: 'a',
    openedAt: at(0),
    participants: ['a', 'b'],
    moderator: 'a',
    status: 'in-progress',
    maxTurns: 20,
    next: ['a'],
    turns: [
      { n: 1, author: 'a', host: 'h1', at: at(1), body: 'Which shape?', next: ['b'] },
      { n: 2, author: 'b', host: 'h2', at: at(2), body: 'Paginated.\n', next: ['a'], proposes: 'Use the paginated shape' },
      { n: 3, author: 'a', host: 'h1', at: at(3), body: 'Agreed', next: ['b'], agrees: 2 },
    ],
    notes: [{ afterTurn: 1, by: 'a', at: at(4), text: 'Extended the turn limit to 20.' }],
    proposal: null,
    decision: null,
    resolution: null,
    seq: 9,
  };
}

describe('formatting', () => {
  it('turns and notes look exactly as in the markdown copy', () => {
    const c = conversation();
    const rendered = renderConversation(c);
    expect(rendered.endsWith(formatSince(c, 0))).toBe(true);
    expect(rendered.endsWith(formatSince(c, 1))).toBe(true);
    expect(formatSince(c, 2)).toBe(rendered.slice(rendered.indexOf('\n## Reply — a @')));
  });

  it('tables align columns and leave the last one unpadded', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xx', 'y'],
          ['z', 'w'],
        ],
      ),
    ).toBe('A   LONG\nxx  y\nz   w');
  });
});
