// A network of "machines" for the multi-host suite. Where the machine allows it (root, or
// CAP_NET_ADMIN + CAP_SYS_ADMIN, and `ip netns`), each host gets its own network namespace with
// its own address on a veth pair into a bridge in the root namespace, where the relay listens on
// the bridge's address; hosts then reach the relay only over their own link. Elsewhere everything
// runs on loopback, with a note saying so. Names and the subnet carry this process's pid, so
// concurrent runs never collide; namespaces left by a killed run are swept at the next start.
import { execa } from 'execa';
import { processAlive as alive } from './process.js';

export interface HostNet {
  /** Namespace to run the host's processes in, or undefined on loopback. */
  netns: string | undefined;
  address: string;
}

export interface Network {
  mode: 'netns' | 'loopback';
  /** Why the suite fell back to loopback, when it did. */
  note: string | null;
  /** The address the relay listens on. */
  relayAddress: string;
  hosts: Map<string, HostNet>;
  cleanup(): Promise<void>;
}

const PREFIX = 'ct';

async function ip(args: string[]): Promise<void> {
  await execa('ip', args, { timeout: 10_000, stdin: 'ignore' });
}

async function ipOut(args: string[]): Promise<string> {
  const r = await execa('ip', args, { timeout: 10_000, stdin: 'ignore', reject: false });
  return r.exitCode === 0 ? String(r.stdout) : '';
}

/** Removes namespaces and bridges of runs whose process is gone. */
async function sweep(): Promise<void> {
  for (const line of (await ipOut(['netns', 'list'])).split('\n')) {
    const m = new RegExp(`^(${PREFIX}(\\d+)-[a-z0-9-]+)`).exec(line.trim());
    if (m && !alive(Number(m[2]))) await ip(['netns', 'del', m[1] as string]).catch(() => {});
  }
  for (const line of (await ipOut(['-o', 'link', 'show', 'type', 'bridge'])).split('\n')) {
    const m = new RegExp(`^\\d+: (${PREFIX}b(\\d+)):`).exec(line.trim());
    if (m && !alive(Number(m[2]))) await ip(['link', 'del', m[1] as string]).catch(() => {});
  }
}

/** Whether namespaces can be made here: try one. */
async function capable(): Promise<string | null> {
  const probe = `${PREFIX}${process.pid}-probe`;
  const r = await execa('ip', ['netns', 'add', probe], { timeout: 10_000, reject: false, stdin: 'ignore' }).catch((e: Error) => ({
    exitCode: -1,
    stderr: e.message,
  }));
  if (r.exitCode !== 0) return `cannot create network namespaces here (${String(r.stderr).trim().slice(0, 200) || 'ip failed'})`;
  await ip(['netns', 'del', probe]).catch(() => {});
  return null;
}

export function loopback(names: string[], note: string): Network {
  return {
    mode: 'loopback',
    note,
    relayAddress: '127.0.0.1',
    hosts: new Map(names.map((n) => [n, { netns: undefined, address: '127.0.0.1' }])),
    cleanup: async () => {},
  };
}

export async function setupNetwork(names: string[]): Promise<Network> {
  if (process.platform !== 'linux') return loopback(names, 'network namespaces need Linux; running every host on loopback');
  const which = await execa('ip', ['-V'], { timeout: 5_000, reject: false, stdin: 'ignore' }).catch(() => ({ exitCode: -1 }));
  if (which.exitCode !== 0) return loopback(names, '`ip` (iproute2) is not installed; running every host on loopback');
  await sweep().catch(() => {});
  const why = await capable();
  if (why) return loopback(names, `${why}; running every host on loopback`);

  const pid = process.pid;
  // 10.<100..199>.<0..255>.0/24, from the pid: concurrent runs get different subnets.
  const net = `10.${100 + ((pid >> 8) % 100)}.${pid % 256}`;
  const bridge = `${PREFIX}b${pid}`;
  const made: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const undo of made.reverse()) await undo().catch(() => {});
    made.length = 0;
  };
  try {
    await ip(['link', 'add', bridge, 'type', 'bridge']);
    made.push(() => ip(['link', 'del', bridge]));
    await ip(['addr', 'add', `${net}.1/24`, 'dev', bridge]);
    await ip(['link', 'set', bridge, 'up']);
    const hosts = new Map<string, HostNet>();
    for (const [i, name] of names.entries()) {
      const ns = `${PREFIX}${pid}-${name}`;
      const outside = `${PREFIX}v${pid}${i}`.slice(0, 15);
      const inside = `${PREFIX}p${pid}${i}`.slice(0, 15);
      await ip(['netns', 'add', ns]);
      made.push(() => ip(['netns', 'del', ns]));
      await ip(['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside]);
      made.push(() => ip(['link', 'del', outside]));
      await ip(['link', 'set', inside, 'netns', ns]);
      await ip(['link', 'set', outside, 'master', bridge]);
      await ip(['link', 'set', outside, 'up']);
      const address = `${net}.${10 + i}`;
      await ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', inside]);
      await ip(['-n', ns, 'link', 'set', inside, 'up']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      hosts.set(name, { netns: ns, address });
    }
    return { mode: 'netns', note: null, relayAddress: `${net}.1`, hosts, cleanup };
  } catch (err) {
    await cleanup();
    return loopback(names, `setting up namespaces failed (${String((err as Error).message).slice(0, 200)}); running every host on loopback`);
  }
}
