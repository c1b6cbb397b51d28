// `crosstalk web --listen`: anything but loopback is served only with a warning that it belongs
// behind TLS; loopback, in any of its spellings, is not warned about.
import { isLoopback } from '@crosstalk/web';
import { describe, expect, it } from 'vitest';
import { listenWarning } from './web.js';

describe('crosstalk web --listen', () => {
  it('warns beyond loopback that the link and cookie would cross the network in clear text', () => {
    for (const address of ['0.0.0.0', '::', '192.168.1.20', 'fd00::1']) {
      expect(listenWarning(address, isLoopback)).toMatch(
        new RegExp(`^warning: the web view listens on ${address.replace(/\./g, '\\.')}, beyond this machine.*behind TLS`),
      );
    }
  });

  it('says nothing on loopback', () => {
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(listenWarning(address, isLoopback)).toBeNull();
  });
});
