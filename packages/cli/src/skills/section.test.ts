import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { removeSection, SECTION_BEGIN, SECTION_END, upsertSection } from './section.js';

const BODY = '## crosstalk\n\nline one\nline two';
const where = '/p/AGENTS.md';

// Any text a user might have, line endings of every kind included, without our markers.
const userText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\n', '\r\n', '\r', '\n\n', '<!-- x -->', '\uFEFF')), { maxLength: 12 })
  .map((parts) => parts.join(''));

describe('the marked AGENTS.md section', () => {
  it('is added after the text, kept as is on a second run, and removed to the original bytes', () => {
    fc.assert(
      fc.property(userText, (original) => {
        const added = upsertSection(original, BODY, where);
        expect(added.startsWith(original)).toBe(true);
        expect(added.endsWith(`${SECTION_END}${original.includes('\r\n') ? '\r\n' : '\n'}`)).toBe(true);
        expect(upsertSection(added, BODY, where)).toBe(added);
        expect(removeSection(added, where)).toBe(original);
      }),
      { numRuns: 500 },
    );
  });

  it('creates a file holding only the section, whose removal leaves nothing', () => {
    const created = upsertSection(undefined, BODY, where);
    expect(created).toBe(`${SECTION_BEGIN}\n## crosstalk\n\nline one\nline two\n${SECTION_END}\n`);
    expect(removeSection(created, where)).toBe('');
  });

  it('replaces an older section in place, keeping the text around it and its line breaks', () => {
    const file = `# Rules\r\n\r\n${SECTION_BEGIN}\r\nold text\r\n${SECTION_END}\r\n\r\n## Mine, after it\r\n`;
    const updated = upsertSection(file, BODY, where);
    expect(updated).toBe(`# Rules\r\n\r\n${SECTION_BEGIN}\r\n## crosstalk\r\n\r\nline one\r\nline two\r\n${SECTION_END}\r\n\r\n## Mine, after it\r\n`);
    expect(removeSection(updated, where)).toBe('# Rules\r\n\r\n## Mine, after it\r\n');
  });

  it('says there is nothing to remove when the file has no section', () => {
    expect(removeSection('# only mine\n', where)).toBeUndefined();
  });

  it('refuses damaged markers instead of guessing what to replace', () => {
    for (const text of [
      `${SECTION_BEGIN}\nx\n`,
      `x\n${SECTION_END}\n`,
      `${SECTION_END}\n${SECTION_BEGIN}\n`,
      `${SECTION_BEGIN}\n${SECTION_END}\n${SECTION_BEGIN}\n${SECTION_END}\n`,
    ]) {
      expect(() => upsertSection(text, BODY, where)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(where) }));
      expect(() => removeSection(text, where)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
