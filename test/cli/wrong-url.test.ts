// A relay URL one step off says what is wrong and which URL answers: https to a plain-http relay,
// a URL with a path, a port where nothing listens while a relay answers on the default port.
// All from a home that is not enrolled, as a newcomer's `agent join` would be.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { explain, Lab } from '../harness/index.js';

let lab: Lab;
let url: string;
beforeAll(async () => {
  lab = await Lab.create('wrong-url');
  url = (await lab.startRelay()).url;
});
afterAll(() => lab?.cleanup());

const joinAt = (relayUrl: string) => lab.run(join(lab.dir, 'newcomer'), ['agent', 'join', relayUrl, '--invite', 'abc']);

it('https to a plain-http relay says to use http, not to start a relay', async () => {
  const r = await joinAt(url.replace('http://', 'https://'));
  expect(r.exitCode, explain(r)).toBe(5);
  expect(r.stderr).toContain('does not speak https');
  expect(r.stderr).toContain(`use ${url} (http, not https)`);
  expect(r.stderr).not.toContain('start it with');
});

it('a URL with a path says the relay answers at the bare origin, not to check the version', async () => {
  const r = await joinAt(`${url}/crosstalk`);
  expect(r.exitCode, explain(r)).toBe(1);
  expect(r.stderr).toContain('[NOT_FOUND]');
  expect(r.stderr).toContain(`the relay URL has a path (/crosstalk), and a crosstalk relay answers at ${url}`);
  expect(r.stderr).toContain(`use ${url}`);
  expect(r.stderr).not.toContain('crosstalk doctor');
});

/** A loopback port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('a port where nothing listens names the default port, where a relay answers', async (ctx) => {
  const usual = await Lab.create('wrong-url-7717');
  try {
    const started = await usual.startRelay({ port: 7717 }).catch(() => null);
    if (!started) {
      // CI runs every test: there, a machine that holds the port is a failure to see, not a skip.
      if (process.env.CI === 'true' || process.env.CI === '1') throw new Error('port 7717 is in use on this machine: this test needs it');
      ctx.skip('port 7717 is in use on this machine');
    }
    const port = await freePort();
    const r = await joinAt(`http://127.0.0.1:${port}`);
    expect(r.exitCode, explain(r)).toBe(5);
    expect(r.stderr).toContain(`nothing listens on port ${port} of 127.0.0.1 (ECONNREFUSED); a crosstalk relay answers on port 7717`);
    expect(r.stderr).toContain('use http://127.0.0.1:7717');
    expect(r.stderr).not.toContain('start it with `crosstalk up`');
  } finally {
    await usual.cleanup();
  }
});
