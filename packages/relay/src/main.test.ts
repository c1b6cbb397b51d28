// The relay as a real process: it starts, serves, and on SIGTERM flushes its log and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@crosstalk/core/test-support';
import { tokenSigner } from '@crosstalk/core/token';
import { describe, expect, it } from 'vitest';
import { relays, TestRelay } from './__fixtures__/harness.js';
import { readAdminKey, readRelayInfo } from './datadir/datadir.js';
import type { RunningRelay } from './relay.js';
import { EventLog } from './store/event-log.js';

const r = relays();
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(kill));
  return { child, stderr: () => stderr, exited };
}

describe('main.js', () => {
  it('is built', () => {
    expect(existsSync(MAIN), `${MAIN} is missing: build with \`tsc -b packages/relay\``).toBe(true);
  });

  it('serves until SIGTERM, then flushes every acknowledged post and exits 0', async () => {
    const dataDir = join(await r.dir(), 'relay');
    const proc = run(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'info']);
    try {
      const info = await waitFor(
        'the relay to listen',
        async () => {
          const i = await readRelayInfo(dataDir).catch(() => null);
          // listen.json is written just before main.js prints its line: wait for both.
          return i?.url && i.pid === proc.child.pid && proc.stderr().includes('listening on') ? i : undefined;
        },
        { logs: () => proc.stderr() },
      );
      expect(proc.stderr()).toContain(`listening on ${info.url}`);

      // Drive it through the same client code the tests use for in-process relays.
      const fake = { url: info.url, relayId: info.relayId } as RunningRelay;
      const client = new TestRelay(fake, dataDir, []);
      client.admin = await tokenSigner(await readAdminKey(dataDir), 'admin', info.relayId);
      const host = await client.enroll('linux-box');
      await client.join(host, 'codex-linux');
      await client.join(host, 'claude-linux');
      const id = await client.open(host, 'codex-linux', ['claude-linux']);
      const link = r.track(await client.link(host.signer));
      await link.welcome();

      // A burst of posts; SIGTERM goes out as soon as the first is answered.
      const answered: number[] = [];
      const posts = Array.from({ length: 30 }, (_, _i) =>
        client
          .request(host.signer, 'POST', `/v1/conversations/${id}/moderate`, { as: 'codex-linux', action: { type: 'extend', by: 1 } })
          .then((res) => {
            if (res.status === 200) answered.push(res.body.seq);
            return res.status;
          })
          .catch(() => 0),
      );
      await waitFor('a first answer', () => answered.length > 0);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      await Promise.all(posts);
      expect((await link.closed).code).toBe(1001);

      // Everything acknowledged is in the log, which is whole (no torn tail).
      const seqs: number[] = [];
      const { log, scan } = await EventLog.open({ file: join(dataDir, 'events.log'), onRecord: (rec) => seqs.push(rec.seq) });
      await log.close();
      expect(scan.tornTail).toBeNull();
      for (const seq of answered) expect(seqs).toContain(seq);
      await expect(stat(join(dataDir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await readRelayInfo(dataDir)).url).toBeNull();
    } finally {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });

  it('uses $CROSSTALK_HOME/relay by default and refuses a data dir in use', async () => {
    const home = await r.dir();
    const first = run(['serve', '--port', '0'], { CROSSTALK_HOME: home });
    try {
      await waitFor('the relay to listen', async () => (await readRelayInfo(join(home, 'relay')).catch(() => null))?.url, { logs: () => first.stderr() });
      const second = run(['serve', '--port', '0', '--data-dir', join(home, 'relay')]);
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain('another relay');
      const usage = run(['serve', '--port', 'x']);
      expect(await usage.exited).toBe(2);
      const port = new URL((await readRelayInfo(join(home, 'relay'))).url ?? '').port;
      const busy = run(['serve', '--port', port, '--data-dir', join(await r.dir(), 'relay')]);
      expect(await busy.exited).toBe(1);
      expect(busy.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
  });
});
