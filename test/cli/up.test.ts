// `crosstalk up`: a relay and an agent in one process, created on the first run and reused after;
// a session joins from a private tmux pane and is woken; the web view is served beside them, with
// its one-time login link in the banner; Ctrl-C stops everything cleanly.
import { readFile, rm } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { wakeText } from '@crosstalk/core';
import { explain, Lab, scriptedSession, type Proc } from '../harness/index.js';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.create('up');
});
afterAll(() => lab?.cleanup());

async function startUp(home: string, name: string): Promise<{ proc: Proc; url: string }> {
  const proc = lab.spawn(name, home, ['up', '--port', '0', '--web-port', '0']);
  const url = await lab.waitFor(`${name} to be up`, () => {
    if (!proc.running) throw new Error(`crosstalk up exited: ${proc.stderr()}`);
    return /crosstalk is up[\s\S]*relay\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stderr())?.[1];
  });
  return { proc, url };
}

const readConfig = async (home: string) => JSON.parse(await readFile(join(home, 'config.json'), 'utf8')) as { relayId: string; relayUrl: string; host: string };

it('starts a relay and an agent; a session in a tmux pane joins and is woken; Ctrl-C stops it', async () => {
  const home = join(lab.dir, 'up-home');
  lab.attachFile('up.log', join(home, 'logs', 'up.log'));
  const first = await startUp(home, 'up (first run)');
  const banner = first.proc.stderr();
  expect(banner).toContain('first run: created the relay and enrolled this machine');
  expect(banner).toContain(`(data in ${join(home, 'relay')})`);
  expect(banner).toContain(`markdown copies in ${join(home, 'conversations')}`);
  expect(banner).toContain('\n  crosstalk join --as <name> --kind claude-code\n');
  expect(first.proc.stdout()).toBe('');
  const web = /\n {2}web {5}(http:\/\/127\.0\.0\.1:\d+) {2}log in once with (\S+\/login\/\S+) \(until/.exec(banner);
  expect(web, banner).not.toBeNull();
  const [, webUrl, loginUrl] = web ?? [];
  expect((await fetch(`${webUrl}/`)).status).toBe(401);
  const login = await fetch(loginUrl ?? '');
  expect(login.status).toBe(200);
  expect(login.headers.get('set-cookie')).toMatch(/^crosstalk_login=.*; HttpOnly; SameSite=Strict$/);
  const config = await readConfig(home);
  expect(config.relayUrl).toBe(first.url);
  // Up means linked: doctor run as soon as the banner shows finds the agent connected.
  const doctor = await lab.run(home, ['doctor', '--json']);
  const checks = doctor.json<{ checks: Array<{ name: string; status: string; message: string }> }>().checks;
  expect(
    checks.find((c) => c.name === 'agent'),
    explain(doctor),
  ).toMatchObject({ status: 'ok', message: expect.stringContaining('connected') });

  const host = lab.hostAt(config.host, home);
  const pane = await scriptedSession(lab, host, { name: 'pane-one' });
  const joined = await pane.joined();
  expect(joined.exitCode, joined.stderr).toBe(0);
  expect(JSON.parse(joined.stdout)).toMatchObject({ session: 'pane-one', wake: { type: 'tmux', pane: pane.pane } });

  expect((await host.run(['join', '--as', 'opener', '--no-wake'])).exitCode).toBe(0);
  const open = await host.run(['open', '--as', 'opener', '--topic', 'wake me', '--with', 'pane-one', '--body', 'Your turn.']);
  expect(open.exitCode, explain(open)).toBe(0);
  const id = open.stdout.trim();
  const copy = join(home, 'conversations', `${id}.md`);
  const line = wakeText({ kind: 'turn', conversation: id, session: 'pane-one', turn: 2, maxTurns: 20, copyPath: copy, attempt: 1 });
  await lab.waitFor('the wake-up line in the pane', async () => (await pane.lines()).includes(line));
  await lab.waitFor('a delivered receipt', async () => {
    const r = await host.run(['status', id, '--json']);
    return r.json<{ receipts: Array<{ session: string; status: string }> }>().receipts.some((x) => x.session === 'pane-one' && x.status === 'delivered');
  });
  expect(await readFile(copy, 'utf8')).toContain('Your turn.');

  // doctor probes the pane: alive while the session runs, a failure once its pane is gone.
  const healthy = await host.run(['doctor', '--json']);
  expect(healthy.exitCode, explain(healthy)).toBe(0);
  const check = (r: typeof healthy) =>
    r.json<{ checks: Array<{ name: string; status: string; message: string }> }>().checks.find((c) => c.name === 'session pane-one');
  expect(check(healthy)).toMatchObject({ status: 'ok', message: expect.stringContaining(`tmux pane ${pane.pane}`) });
  await host.tmux.run(['kill-pane', '-t', pane.pane]);
  const broken = await host.run(['doctor', '--json']);
  expect(broken.exitCode, explain(broken)).toBe(1);
  expect(check(broken)).toMatchObject({ status: 'fail', hint: expect.stringContaining('crosstalk join --as pane-one') });

  const exit = await first.proc.stop('SIGINT');
  expect(exit.exitCode, first.proc.stderr()).toBe(0);
  expect(first.proc.stderr()).toContain('stopping');
  const log = await readFile(join(home, 'logs', 'up.log'), 'utf8');
  expect(log).toContain('relay stopped');
  expect(log).toContain('agent stopped');

  // The second run reuses the relay and the enrollment.
  const second = await startUp(home, 'up (second run)');
  expect(second.proc.stderr()).not.toContain('first run');
  const again = await readConfig(home);
  expect(again.relayId).toBe(config.relayId);
  expect(again.host).toBe(config.host);
  expect(again.relayUrl).toBe(second.url);
  const read = await host.run(['read', id]);
  expect(read.exitCode, explain(read)).toBe(0);
  expect(read.stdout).toContain('Your turn.');

  // Already up for this home; the port taken by it; a home that belongs to another relay.
  const twice = await lab.run(home, ['up', '--port', '0']);
  expect(twice.exitCode, explain(twice)).toBe(1);
  expect(twice.stderr).toContain(`crosstalk is already up for ${home}`);
  const port = new URL(second.url).port;
  const busy = await lab.run(join(lab.dir, 'other-home'), ['up', '--port', port]);
  expect(busy.exitCode, explain(busy)).toBe(1);
  expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  await lab.startRelay();
  const elsewhere = await lab.host('elsewhere');
  const foreign = await elsewhere.run(['up', '--port', '0']);
  expect(foreign.exitCode, explain(foreign)).toBe(1);
  expect(foreign.stderr).toContain(`${elsewhere.home} is enrolled with another relay (${lab.relay?.url}`);
  expect(foreign.stderr).toContain('crosstalk agent run');

  const stopped = await second.proc.stop('SIGTERM');
  expect(stopped.exitCode, second.proc.stderr()).toBe(0);

  // A relay whose log was replaced no longer knows this machine: up enrolls it again.
  await rm(join(home, 'relay', 'events.log'));
  const third = await startUp(home, 'up (after the log was replaced)');
  expect(third.proc.stderr()).toContain('enrolled this machine again: the relay no longer knew it');
  expect((await readConfig(home)).relayId).toBe(config.relayId);
  const sessions = await host.run(['sessions', '--json']);
  expect(sessions.exitCode, explain(sessions)).toBe(0);
  expect((await third.proc.stop('SIGINT')).exitCode).toBe(0);
});

it('up --host 0.0.0.0 lets other machines join; on a loopback up, invite says how to restart it', async () => {
  const home = join(lab.dir, 'lan-home');
  const local = await startUp(home, 'up (loopback)');
  const loopback = await lab.run(home, ['relay', 'invite', '--host', 'lan-box']);
  expect(loopback.exitCode, explain(loopback)).toBe(0);
  expect(loopback.stderr).toContain('the relay listens only on this machine');
  expect(loopback.stderr).toContain('`crosstalk up --host 0.0.0.0`');
  expect(local.proc.stderr()).not.toContain('other machines:');
  expect((await local.proc.stop('SIGINT')).exitCode).toBe(0);

  const proc = lab.spawn('up (every interface)', home, ['up', '--host', '0.0.0.0', '--port', '0']);
  const url = await lab.waitFor('up on every interface', () => {
    if (!proc.running) throw new Error(`crosstalk up exited: ${proc.stderr()}`);
    return /crosstalk is up[\s\S]*relay\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stderr())?.[1];
  });
  expect(proc.stderr()).toContain('other machines: ');
  expect(proc.stderr()).toContain('crosstalk relay invite --host <name>');
  // The relay answers on a non-loopback address of this machine, when it has one.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
  if (lan) {
    const health = await fetch(`http://${lan}:${new URL(url).port}/v1/health`);
    expect(health.status).toBe(200);
    const invite = await lab.run(home, ['relay', 'invite', '--host', 'lan-box', '--json']);
    expect(invite.json<{ relayUrl: string }>().relayUrl).toBe(`http://${lan}:${new URL(url).port}`);
  }
  expect((await proc.stop('SIGINT')).exitCode).toBe(0);
});
