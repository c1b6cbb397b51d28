import { describe, expect, it } from 'vitest';
import { isValidName } from '@crosstalk/core';
import { defaultHostName } from './host-name.js';

describe('defaultHostName', () => {
  it('makes any hostname fit the name rule', () => {
    expect(defaultHostName('Linux-Box')).toBe('linux-box');
    expect(defaultHostName('MacBook-Pro.local')).toBe('macbook-pro');
    expect(defaultHostName('DESKTOP_7Q2 (work)')).toBe('desktop-7q2-work');
    expect(defaultHostName('Ünïcode')).toBe('unicode');
    expect(defaultHostName('')).toBe('host');
    expect(defaultHostName('---')).toBe('host');
    expect(defaultHostName('CON')).toBe('con-host');
    expect(defaultHostName('x'.repeat(100))).toBe('x'.repeat(64));
    for (const h of ['a', 'CON', 'nul.example', '-a-', 'z'.repeat(70), '日本']) expect(isValidName(defaultHostName(h))).toBe(true);
  });
});
