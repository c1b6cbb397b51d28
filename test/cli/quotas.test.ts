// The relay's per-host quotas as an operator sets them (`crosstalk relay serve --quota-…`) and as
// a host meets them: a clear QUOTA_EXCEEDED naming the limit, exit 1, and what to do.
import { afterAll, describe, expect, it } from 'vitest';
import { explain, Lab } from '../harness/index.js';

let lab: Lab;
afterAll(() => lab?.cleanup());

describe('relay quotas from the command line', () => {
  it('--quota-open 2: the third open conversation of a host is refused, naming the limit', async () => {
    lab = await Lab.create('quotas');
    await lab.startRelay({ serveArgs: ['--quota-open', '2', '--quota-mib-per-hour', '8', '--quota-stored-mib', '64'] });
    const alpha = await lab.host('alpha');
    const beta = await lab.host('beta');
    await Promise.all([lab.startAgent(alpha), lab.startAgent(beta)]);
    for (const [host, session] of [
      [alpha, 'a1'],
      [beta, 'b1'],
    ] as const) {
      const r = await host.run(['join', '--as', session, '--no-wake']);
      expect(r.exitCode, explain(r)).toBe(0);
    }
    const open = (n: number) => alpha.run(['open', '--as', 'a1', '--topic', `topic ${n}`, '--with', 'b1', '--body', `body ${n}`]);
    expect((await open(1)).exitCode).toBe(0);
    expect((await open(2)).exitCode).toBe(0);
    const refused = await open(3);
    expect(refused.exitCode, explain(refused)).toBe(1);
    expect(refused.stderr).toContain('crosstalk: host alpha has 2 open conversations; the limit (openConversations) is 2 [QUOTA_EXCEEDED]');
    expect(refused.stderr).toContain('hint: close conversations you no longer need');
    // Another host is not bound by alpha's use.
    const other = await beta.run(['open', '--as', 'b1', '--topic', 'mine', '--with', 'a1', '--body', 'hello']);
    expect(other.exitCode, explain(other)).toBe(0);
  });
});
