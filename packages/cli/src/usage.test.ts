// The nearest command to a typo, and which words of a command line name a command.
import { describe, expect, it } from 'vitest';
import { commandPath, nearest, unknownCommand } from './usage.js';

describe('usage', () => {
  it('finds the nearest command to a typo or a prefix, and nothing for a different word', () => {
    expect(nearest('statu', ['status', 'sessions', 'reply'])).toBe('status');
    expect(nearest('sesions', ['status', 'sessions'])).toBe('sessions');
    expect(nearest('mod', ['moderate', 'open'])).toBe('moderate');
    expect(nearest('frobnicate', ['status', 'open'])).toBeNull();
  });

  it('knows the command words of argv', () => {
    expect(commandPath(['relay', 'invite', '--host', 'x'])).toEqual(['relay', 'invite']);
    expect(commandPath(['status', 'abc'])).toEqual(['status']);
    expect(commandPath(['nope'])).toEqual([]);
    expect(unknownCommand(['status', 'anything'])).toBeNull();
    expect(unknownCommand(['--version'])).toBeNull();
    expect(unknownCommand(['agent', 'runn'])?.hint).toContain('`crosstalk agent run`');
  });
});
