import { describe, expect, it } from 'vitest';
import { CrosstalkError } from './errors.js';
import { checkName, conversationId, isValidName } from './names.js';

describe('names', () => {
  it.each(['a', 'linux-box', 'codex-linux', '0', 'a'.repeat(64), 'a-b-c'])('accepts %j', (n) => {
    expect(isValidName(n)).toBe(true);
  });
  it.each(['', 'A', 'Linux', '-a', 'a-', 'a.', '../x', 'a/b', 'a_b', 'a'.repeat(65), 'con', 'nul', 'com1', 'lpt9', 'prn', 'aux', 'ａ', 'a b', 'é'])(
    'refuses %j',
    (n) => {
      expect(isValidName(n)).toBe(false);
      expect(() => checkName('session', n)).toThrow(CrosstalkError);
    },
  );
  it('explains why a name is refused', () => {
    expect(() => checkName('host', 'CON')).toThrow(/lower case/);
    expect(() => checkName('host', 'con')).toThrow(/reserved device name/);
    expect(() => checkName('host', 'a'.repeat(65))).toThrow(/longer than 64/);
  });
  it('refuses non-strings', () => {
    for (const v of [undefined, null, 1, {}, ['a']]) expect(isValidName(v)).toBe(false);
  });
  it('makes ids that are valid names from any topic', () => {
    const rnd = new Uint8Array([1, 2, 3, 250]);
    expect(conversationId('PyTorch version sanity!', rnd)).toBe('pytorch-version-sanity-123y');
    expect(conversationId('', rnd)).toBe('talk-123y');
    expect(conversationId('../../etc/passwd', rnd)).toBe('etc-passwd-123y');
    expect(conversationId('\u001b[31mred\u001b[0m', rnd)).toBe('31mred-0m-123y');
    expect(conversationId('Ünïcødé tópic', rnd)).toBe('unic-de-topic-123y');
    expect(isValidName(conversationId('x'.repeat(500), rnd))).toBe(true);
    // A long topic is cut at a word, never inside one.
    expect(conversationId('run the test suite and tell me what fails, please', rnd)).toBe('run-the-test-suite-and-tell-me-what-123y');
    expect(conversationId('run the test suite and tell me what fail', rnd)).toBe('run-the-test-suite-and-tell-me-what-fail-123y');
    expect(isValidName(conversationId('con', rnd))).toBe(true);
  });
});
