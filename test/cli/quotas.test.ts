// The relay's per-host quotas as an operator sets them (`crosstalk relay serve --quota-…`) and as
// a host meets them: a clear QUOTA_EXCEEDED naming the limit, exit 1, and what to do.
import { afterAll, describe, expect, it } from 'vitest';
import { explain, type Lab } from '../harness/index.js';
import { twoHosts } from './two-hosts.js';

let lab: Lab;
afterAll(() => lab?.cleanup());

describe('relay quotas from the command line', () => {
  it('--quota-open 2: the third open conversation of a host is refused, naming the limit', async () => {
    const hosts = await twoHosts('quotas', { serveArgs: ['--quota-open', '2', '--quota-mib-per-hour', '8', '--quota-stored-mib', '64'] });
    ({ lab } = hosts);
    const { alpha, beta } = hosts;
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
