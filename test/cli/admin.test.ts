// The admin commands: relay serve (and its clean stop), invites, enrollment, hosts, revocation,
// log repair, the agent's status, doctor, and skill install.
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, Lab, type AgentProc, type Host } from '../harness/index.js';
import { documentedFields, keys } from './fields.js';

let lab: Lab;

beforeAll(async () => {
  lab = await Lab.create('admin');
});
afterAll(() => lab?.cleanup());

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('relay serve', () => {
  it('listens, and stops cleanly on SIGINT and SIGTERM with exit 0', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const relay = await lab.startRelay({ home: join(lab.dir, `serve-${signal}`) });
      expect(relay.proc.stderr()).toContain(`crosstalk relay listening on ${relay.url} (data dir ${relay.dataDir})`);
      const exit = await relay.proc.stop(signal);
      expect(exit.exitCode, relay.proc.stderr()).toBe(0);
      expect(relay.proc.stderr()).toContain('relay stopped');
      expect(await exists(join(relay.dataDir, 'listen.json'))).toBe(false);
      expect(await exists(join(relay.dataDir, 'LOCK'))).toBe(false);
    }
  });

  it('a busy port and a data dir in use are clear errors', async () => {
    const relay = await lab.startRelay({ home: join(lab.dir, 'busy') });
    const port = await lab.run(join(lab.dir, 'other'), ['relay', 'serve', '--port', String(relay.port)]);
    expect(port.exitCode, explain(port)).toBe(1);
    expect(port.stderr).toContain(`port ${relay.port} on 127.0.0.1 is already in use [CONFIG_INVALID]`);
    const dir = await lab.run(relay.home, ['relay', 'serve', '--port', '0']);
    expect(dir.exitCode, explain(dir)).toBe(1);
    expect(dir.stderr).toContain('[DATA_DIR_LOCKED]');
    const badPort = await lab.run(relay.home, ['relay', 'serve', '--port', '99999']);
    expect(badPort.exitCode, explain(badPort)).toBe(2);
    await relay.proc.stop();
  });
});

describe('invites, enrollment, hosts, revocation', () => {
  let host: Host;
  let agent: AgentProc;

  beforeAll(async () => {
    await lab.startRelay();
  });

  it('relay invite prints the exact agent join line; --json its documented fields', async () => {
    const relay = lab.relay!;
    const human = await lab.run(relay.home, ['relay', 'invite', '--host', 'win-laptop']);
    expect(human.exitCode, explain(human)).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^crosstalk agent join ${relay.url} --invite \\S+ --host win-laptop\\n$`));
    expect(human.stderr).toContain('invite for host win-laptop, valid once until');
    expect(human.stderr).toContain('the relay listens only on this machine');

    const r = await lab.run(relay.home, ['relay', 'invite', '--host', 'gamma', '--expires', '30m', '--url', 'http://relay.lan:7717', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<Record<string, string>>();
    expect(keys(data)).toEqual(documentedFields('relay invite'));
    expect(data).toMatchObject({ host: 'gamma', relayUrl: 'http://relay.lan:7717' });
    expect(data.command).toBe(`crosstalk agent join http://relay.lan:7717 --invite ${data.invite} --host gamma`);
    const minutes = (Date.parse(data.expiresAt as string) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(25);
    expect(minutes).toBeLessThan(31);

    // The address the operator configured (docker compose passes CROSSTALK_PUBLIC_URL on); --url wins.
    const configured = await lab.run(relay.home, ['relay', 'invite', '--host', 'delta'], { env: { CROSSTALK_PUBLIC_URL: 'https://crosstalk.lan' } });
    expect(configured.exitCode, explain(configured)).toBe(0);
    expect(configured.stdout).toMatch(/^crosstalk agent join https:\/\/crosstalk\.lan --invite \S+ --host delta\n$/);
    expect(configured.stderr).not.toContain('listens only on this machine');
    const overridden = await lab.run(relay.home, ['relay', 'invite', '--url', 'http://10.0.0.5:7717'], {
      env: { CROSSTALK_PUBLIC_URL: 'https://crosstalk.lan' },
    });
    expect(overridden.stdout).toMatch(/^crosstalk agent join http:\/\/10\.0\.0\.5:7717 --invite \S+\n$/);

    const bad = await lab.run(relay.home, ['relay', 'invite', '--expires', 'soon']);
    expect(bad.exitCode, explain(bad)).toBe(2);
    const noRelay = await lab.run(join(lab.dir, 'nowhere'), ['relay', 'invite']);
    expect(noRelay.exitCode, explain(noRelay)).toBe(1);
    expect(noRelay.stderr).toContain('is not a relay data dir');
    // On a machine that is not the relay's, both say where to run them.
    for (const args of [
      ['relay', 'invite', '--host', 'x'],
      ['relay', 'hosts'],
    ]) {
      const elsewhere = await lab.run(join(lab.dir, 'nowhere'), args);
      expect(elsewhere.exitCode, explain(elsewhere)).toBe(1);
      expect(elsewhere.stderr).toContain("relay admin commands run on the relay's machine");
      expect(elsewhere.stderr).toContain('docker compose exec relay crosstalk');
      expect(elsewhere.stderr).not.toContain('start the relay once');
    }
  });

  it('agent join enrolls with an invite, once; a bad invite is refused (exit 4)', async () => {
    const relay = lab.relay!;
    const invite = (await lab.run(relay.home, ['relay', 'invite', '--host', 'delta', '--json'])).json<{ invite: string }>().invite;
    const home = join(lab.dir, 'host-delta');
    const wrongHost = await lab.run(home, ['agent', 'join', relay.url, '--invite', invite, '--host', 'epsilon']);
    expect(wrongHost.exitCode, explain(wrongHost)).toBe(4);
    expect(wrongHost.stderr).toContain('[INVITE_HOST_MISMATCH]');
    const r = await lab.run(home, ['agent', 'join', relay.url, '--invite', invite, '--host', 'delta', '--conversations-dir', 'talks', '--json'], {
      cwd: lab.dir,
    });
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<Record<string, string>>();
    expect(keys(data)).toEqual(documentedFields('agent join'));
    expect(data).toMatchObject({ host: 'delta', relayUrl: relay.url, conversationsDir: join(lab.dir, 'talks'), home });
    const keyMode = (await stat(join(home, 'host-key.json'))).mode & 0o777;
    expect(keyMode).toBe(0o600);

    const again = await lab.run(home, ['agent', 'join', relay.url, '--invite', invite, '--host', 'delta']);
    expect(again.exitCode, explain(again)).toBe(2);
    expect(again.stderr).toContain(`${home} is already enrolled as host delta`);
    const used = await lab.run(join(lab.dir, 'host-zeta'), ['agent', 'join', relay.url, '--invite', invite, '--host', 'delta']);
    expect(used.exitCode, explain(used)).toBe(4);
    const garbage = await lab.run(join(lab.dir, 'host-eta'), ['agent', 'join', relay.url, '--invite', 'not-an-invite']);
    expect(garbage.exitCode, explain(garbage)).toBe(4);
    expect(garbage.stderr).toContain('[INVITE_INVALID]');
  });

  it('agent status and doctor report a running, connected agent', async () => {
    host = await lab.host('omega');
    const before = await host.run(['agent', 'status', '--json']);
    expect(before.exitCode, explain(before)).toBe(5);
    expect(before.json<{ running: boolean }>().running).toBe(false);

    agent = await lab.startAgent(host);
    const joined = await host.run(['join', '--as', 'o1', '--no-wake']);
    expect(joined.exitCode, explain(joined)).toBe(0);
    const status = await lab.waitFor('the agent to list its session', async () => {
      const r = await host.run(['agent', 'status', '--json']);
      return r.exitCode === 0 && r.json<{ status: { sessions: unknown[] } }>().status.sessions.length === 1 ? r : undefined;
    });
    const data = status.json<{ running: boolean; status: Record<string, unknown>; service: unknown } & Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('agent status'));
    expect(data).toMatchObject({
      running: true,
      host: 'omega',
      relayUrl: lab.relay!.url,
      status: { pid: agent.proc.pid, state: 'connected', connected: true, host: 'omega', sessions: [{ name: 'o1', wake: 'none' }] },
    });
    const human = await host.run(['agent', 'status']);
    expect(human.stdout).toContain(`agent: running (pid ${agent.proc.pid}) as host omega, connected to ${lab.relay!.url}`);

    const doctor = await host.run(['doctor', '--json']);
    expect(doctor.exitCode, explain(doctor)).toBe(0);
    const checks = doctor.json<{ ok: boolean; checks: Array<{ name: string; status: string; message: string }> }>();
    expect(checks.ok).toBe(true);
    const byName = Object.fromEntries(checks.checks.map((c) => [c.name, c]));
    for (const name of ['enrollment', 'relay', 'clock', 'keys', 'auth', 'agent', 'copies']) expect(byName[name]?.status, name).toBe('ok');
    expect(byName['session o1']).toMatchObject({ status: 'ok' });
    for (const c of checks.checks) expect(keys(c).filter((k) => k !== 'hint')).toEqual(['message', 'name', 'status']);
    const text = await host.run(['doctor']);
    expect(text.stdout).toMatch(/^ok\s+agent\s+running \(pid \d+\), connected, cursor \d+, lag \d+$/m);
    expect(text.stdout).toMatch(/all checks passed/);

    // A key others can read is a failure, with the fix.
    await chmod(join(host.home, 'host-key.json'), 0o644);
    const loose = await host.run(['doctor']);
    expect(loose.exitCode, explain(loose)).toBe(1);
    expect(loose.stdout).toMatch(/^fail\s+keys\s+.*host-key\.json is readable by others \(mode 644\); run: chmod 600 /m);
    await chmod(join(host.home, 'host-key.json'), 0o600);
  });

  it('agent run stops cleanly on SIGINT (exit 0) and can start again', async () => {
    const other = await lab.host('sigma');
    const first = await lab.startAgent(other);
    const exit = await first.proc.stop('SIGINT');
    expect(exit.exitCode, first.proc.stderr()).toBe(0);
    expect(first.proc.stderr()).toContain('agent stopped');
    const report = await first.status();
    expect(report).toMatchObject({ running: false, status: { state: 'stopped' } });
    const second = await lab.startAgent(other);
    expect((await second.status()).running).toBe(true);
  });

  it('relay hosts lists the hosts; revoke closes a host out at once', async () => {
    const relay = lab.relay!;
    const hosts = await lab.run(relay.home, ['relay', 'hosts', '--json']);
    expect(hosts.exitCode, explain(hosts)).toBe(0);
    const data = hosts.json<{ hosts: Array<Record<string, unknown>> }>();
    expect(keys(data)).toEqual(documentedFields('relay hosts'));
    const omega = data.hosts.find((h) => h.name === 'omega');
    expect(keys(omega)).toEqual(['connected', 'cursor', 'enrolledAt', 'lastSeenAt', 'name', 'revokedAt']);
    expect(omega).toMatchObject({ connected: true, revokedAt: null });
    const human = await lab.run(relay.home, ['relay', 'hosts']);
    expect(human.stdout).toMatch(/^omega\s+connected\s/m);

    const r = await lab.run(relay.home, ['relay', 'revoke', 'omega', '--json']);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.json()).toEqual({ host: 'omega', revoked: true });
    expect(keys(r.json())).toEqual(documentedFields('relay revoke'));
    // The agent is told at once and stops; the host's requests are refused.
    const exit = await agent.proc.exited;
    expect(exit.exitCode, agent.proc.stderr()).toBe(4);
    const refused = await host.run(['sessions']);
    expect(refused.exitCode, explain(refused)).toBe(4);
    expect(refused.stderr).toContain('[HOST_REVOKED]');
    expect(refused.stderr).toContain('--replace');

    // Back in with a new invite: join refuses an enrolled home and says how; --replace enrolls it again.
    const invite = await lab.run(relay.home, ['relay', 'invite', '--host', 'omega', '--url', relay.url, '--json']);
    const code = invite.json<{ invite: string }>().invite;
    const before = JSON.parse(await readFile(join(host.home, 'config.json'), 'utf8')) as { conversationsDir: string };
    const refusedJoin = await host.run(['agent', 'join', relay.url, '--invite', code]);
    expect(refusedJoin.exitCode, explain(refusedJoin)).toBe(2);
    expect(refusedJoin.stderr).toContain('is already enrolled as host omega');
    expect(refusedJoin.stderr).toContain('--replace');
    const oldKey = await readFile(join(host.home, 'host-key.json'), 'utf8');
    const replaced = await host.run(['agent', 'join', relay.url, '--invite', code, '--replace', '--json']);
    expect(replaced.exitCode, explain(replaced)).toBe(0);
    expect(replaced.json()).toMatchObject({ host: 'omega', conversationsDir: before.conversationsDir });
    expect(await readFile(join(host.home, 'host-key.json'), 'utf8')).not.toBe(oldKey);
    const back = await host.run(['sessions']);
    expect(back.exitCode, explain(back)).toBe(0);
    // An invite for a host that is enrolled again warns that it can only be refused.
    const taken = await lab.run(relay.home, ['relay', 'invite', '--host', 'omega', '--url', relay.url]);
    expect(taken.exitCode, explain(taken)).toBe(0);
    expect(taken.stderr).toContain('warning: host omega is enrolled');
    expect(taken.stderr).toContain('`crosstalk relay revoke omega`');
    const fresh = await lab.run(relay.home, ['relay', 'invite', '--host', 'brand-new', '--url', relay.url]);
    expect(fresh.stderr).not.toContain('warning');
    const unknown = await lab.run(relay.home, ['relay', 'revoke', 'nobody']);
    expect(unknown.exitCode, explain(unknown)).toBe(1);
    expect(unknown.stderr).toContain('[HOST_NOT_FOUND]');
  });
});

describe('relay repair', () => {
  it('reports a sound log, cuts a damaged one, and refuses while the relay runs', async () => {
    const relay = await lab.startRelay({ home: join(lab.dir, 'repair') });
    await lab.run(relay.home, ['relay', 'invite', '--host', 'one']);
    await lab.run(relay.home, ['relay', 'invite', '--host', 'two']);
    const running = await lab.run(relay.home, ['relay', 'repair']);
    expect(running.exitCode, explain(running)).toBe(1);
    expect(running.stderr).toContain('[DATA_DIR_LOCKED]');
    await relay.proc.stop();

    const sound = await lab.run(relay.home, ['relay', 'repair', '--json']);
    expect(sound.exitCode, explain(sound)).toBe(0);
    const data = sound.json<Record<string, unknown>>();
    expect(keys(data)).toEqual(documentedFields('relay repair'));
    expect(data).toMatchObject({ records: 2, lastSeq: 2, truncatedAt: null, removedBytes: 0, damage: null, newEpoch: null });

    // Damage the first record; repair keeps nothing after it and gives the relay a new epoch.
    const log = join(relay.dataDir, 'events.log');
    const text = await readFile(log, 'utf8');
    await writeFile(log, text.replace(/^([0-9a-f]{8}) /, '00000000 '));
    const cut = await lab.run(relay.home, ['relay', 'repair']);
    expect(cut.exitCode, explain(cut)).toBe(0);
    expect(cut.stdout).toMatch(/^cut .*events\.log at byte 0 \(\d+ bytes removed\); kept 0 records up to seq 0; new epoch \S+/);
  });
});

describe('skill install', () => {
  it('installs the Claude Code skill and the Codex section for the project, and removes them', async () => {
    const project = join(lab.dir, 'project');
    await mkdir(join(project, '.git'), { recursive: true });
    await mkdir(join(project, 'src'), { recursive: true });
    const r = await lab.run(undefined, ['skill', 'install', '--project', '--json'], { cwd: join(project, 'src') });
    expect(r.exitCode, explain(r)).toBe(0);
    const data = r.json<{ actions: Array<Record<string, string>>; warnings: string[] }>();
    expect(keys(data)).toEqual(documentedFields('skill install'));
    expect(data.actions).toEqual([
      { product: 'claude', part: 'instructions', path: join(project, '.claude', 'skills', 'crosstalk', 'SKILL.md'), change: 'create' },
      { product: 'claude', part: 'permissions', path: join(project, '.claude', 'settings.json'), change: 'create' },
      { product: 'claude', part: 'hooks', path: join(project, '.claude', 'settings.json'), change: 'create' },
      { product: 'codex', part: 'instructions', path: join(project, 'AGENTS.md'), change: 'create' },
      { product: 'codex', part: 'permissions', path: join(project, '.codex', 'rules', 'crosstalk.rules'), change: 'create' },
      { product: 'codex', part: 'hooks', path: join(project, '.codex', 'hooks.json'), change: 'create' },
      // Codex keeps the trust of every hook, a project's too, in the user's config.toml.
      { product: 'codex', part: 'hook-trust', path: join(lab.userHome, '.codex', 'config.toml'), change: 'create' },
    ]);
    const settings = JSON.parse(await readFile(join(project, '.claude', 'settings.json'), 'utf8')) as { permissions: { allow: string[] } };
    expect(settings.permissions.allow).toContain('Bash(crosstalk reply *)');
    expect(settings.permissions.allow).not.toContain('Bash(crosstalk relay *)');
    expect(await readFile(join(project, 'AGENTS.md'), 'utf8')).toContain('crosstalk reply');
    const again = await lab.run(undefined, ['skill', 'install', '--project'], { cwd: project });
    expect(again.stdout).toMatch(/^unchanged\s+Claude Code\s/m);
    const removed = await lab.run(undefined, ['skill', 'install', '--project', '--uninstall', '--codex'], { cwd: project });
    expect(removed.stdout).toMatch(/^remove\s+Codex\s/m);
    expect(await exists(join(project, 'AGENTS.md'))).toBe(false);
    expect(await exists(join(project, '.codex'))).toBe(false);
    expect(await readFile(join(lab.userHome, '.codex', 'config.toml'), 'utf8').catch(() => '')).not.toContain('crosstalk hook');
    const global = await lab.run(undefined, ['skill', 'install', '--claude']);
    expect(global.exitCode, explain(global)).toBe(0);
    expect(await exists(join(lab.userHome, '.claude', 'skills', 'crosstalk', 'SKILL.md'))).toBe(true);
    const both = await lab.run(undefined, ['skill', 'install', '--global', '--project']);
    expect(both.exitCode, explain(both)).toBe(2);
  });
});
