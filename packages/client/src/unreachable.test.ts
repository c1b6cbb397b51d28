import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, unreachable, unreachableHint } from './unreachable.js';

describe('what to do about an unreachable relay', () => {
  it('tells a relay on this machine from one elsewhere', () => {
    for (const url of ['http://127.0.0.1:7717', 'http://localhost:7717/', 'http://127.1.2.3:80', 'http://[::1]:7717'])
      expect(isLoopbackUrl(url), url).toBe(true);
    for (const url of ['http://192.168.1.20:7717', 'https://crosstalk.lan', 'http://127.0.0.1.evil.example', 'not a url'])
      expect(isLoopbackUrl(url), url).toBe(false);
  });

  it('says to start a local relay, and to check the way to a remote one', () => {
    expect(unreachableHint('http://127.0.0.1:7717')).toContain('`crosstalk up`');
    expect(unreachableHint('https://crosstalk.lan/')).toBe(
      'check that the relay runs and that this machine reaches https://crosstalk.lan (address, firewall, VPN); `crosstalk doctor` checks the whole setup',
    );
    expect(unreachableHint('https://crosstalk.lan/', { suggestDoctor: false })).toBe(
      'check that the relay runs and that this machine reaches https://crosstalk.lan (address, firewall, VPN)',
    );
  });

  it('says a sandbox blocked the connection when the system refused it (EPERM, EACCES), not to start the relay', () => {
    for (const why of ['EPERM', 'EACCES']) {
      const err = unreachable('http://127.0.0.1:7717', why);
      expect(err.code).toBe('RELAY_UNREACHABLE');
      expect(err.message).toBe(`could not connect to the relay at http://127.0.0.1:7717: the connection was not allowed (${why})`);
      expect(err.hint).toContain('sandbox');
      expect(err.hint).toContain('crosstalk skill install');
      expect(err.hint).not.toContain('crosstalk up');
    }
    expect(unreachable('http://127.0.0.1:7717', 'ECONNREFUSED').hint).toContain('`crosstalk up`');
  });
});
