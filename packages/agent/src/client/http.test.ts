import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, unreachableHint } from './http.js';

describe('what to do about an unreachable relay', () => {
  it('tells a relay on this machine from one elsewhere', () => {
    for (const url of ['http://127.0.0.1:7717', 'http://localhost:7717/', 'http://127.1.2.3:80', 'http://[::1]:7717']) expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of ['http://192.168.1.20:7717', 'https://crosstalk.lan', 'http://127.0.0.1.evil.example', 'not a url']) expect(isLoopbackUrl(url), url).toBe(false);
  });

  it('says to start a local relay, and to check the way to a remote one', () => {
    expect(unreachableHint('http://127.0.0.1:7717')).toContain('`crosstalk up`');
    expect(unreachableHint('https://crosstalk.lan/')).toBe(
      'check that the relay runs and that this machine reaches https://crosstalk.lan (address, firewall, VPN); `crosstalk doctor` checks the whole setup',
    );
    expect(unreachableHint('https://crosstalk.lan/', { suggestDoctor: false })).toBe('check that the relay runs and that this machine reaches https://crosstalk.lan (address, firewall, VPN)');
  });
});
