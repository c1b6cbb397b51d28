// What peek shows of a screen: no control, escape, bidi or invisible character survives, and only
// the last lines, without the blank ones below the last text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { screenText } from './screen-text.js';

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('screenText', () => {
  it('removes escape sequences and controls, keeps the text', () => {
    expect(screenText('\u001b[31mred\u001b[0m and \u001b]0;title\u0007plain\u202e\r\nnext\u0008\n\n\n', 10)).toEqual(['red and plain', 'next']);
  });

  it('keeps the last lines only', () => {
    expect(screenText('a\nb\nc\nd\n', 2)).toEqual(['c', 'd']);
  });

  it('never lets a control through, whatever the screen holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (raw, n) => {
        const lines = screenText(raw, n);
        expect(lines.length).toBeLessThanOrEqual(n);
        for (const l of lines) expect(l).not.toMatch(RAW);
      }),
    );
  });
});
