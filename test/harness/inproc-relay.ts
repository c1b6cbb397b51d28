// A relay in this process (for the storage suites, which watch its file writes), with its logs
// kept for failure messages, an admin client, and hosts enrolled with fresh keys.
import { Writable } from 'node:stream';
import { createRelayClient, type RelayClient } from '@crosstalk/client';
import { generateEd25519, tokenSigner, type Ed25519PrivateJwk } from '@crosstalk/core/token';
import { readAdminKey, startRelay, type RelayOptions, type RunningRelay } from '@crosstalk/relay';

class Lines extends Writable {
  constructor(private readonly lines: string[]) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString().trimEnd());
    if (this.lines.length > 2000) this.lines.splice(0, 1000);
    done();
  }
}

export interface EnrolledHost {
  name: string;
  key: Ed25519PrivateJwk;
  client: RelayClient;
}

export interface InprocRelay {
  relay: RunningRelay;
  admin: RelayClient;
  /** A fresh admin token, for raw requests. */
  adminToken(): Promise<string>;
  logs: string[];
  /** A newly enrolled host, with a client signing as it. */
  enroll(host: string): Promise<EnrolledHost>;
  /** A client signing as an already enrolled host (e.g. on a relay restored from a copy). */
  clientFor(host: EnrolledHost): Promise<RelayClient>;
}

export async function startInprocRelay(options: Partial<RelayOptions> & { dataDir: string }): Promise<InprocRelay> {
  const logs: string[] = [];
  const relay = await startRelay({ port: 0, rateLimit: false, logLevel: 'warn', logDestination: new Lines(logs), ...options });
  const adminSigner = await tokenSigner(await readAdminKey(options.dataDir), 'admin', relay.relayId);
  const admin = createRelayClient({ relayUrl: relay.url, signer: adminSigner, timeoutMs: 30_000 });
  return {
    relay,
    admin,
    adminToken: () => adminSigner.mint(),
    logs,
    async enroll(name) {
      const { invite } = await admin.createInvite({ host: name });
      const { privateJwk, publicJwk } = await generateEd25519();
      await createRelayClient({ relayUrl: relay.url }).enroll({ invite, host: name, publicKey: publicJwk });
      const client = createRelayClient({ relayUrl: relay.url, signer: await tokenSigner(privateJwk, name, relay.relayId), timeoutMs: 30_000 });
      return { name, key: privateJwk, client };
    },
    async clientFor(host) {
      return createRelayClient({ relayUrl: relay.url, signer: await tokenSigner(host.key, host.name, relay.relayId), timeoutMs: 30_000 });
    },
  };
}

/** The in-process relays one test started, so that a failure half-way never leaves one running. */
export class InprocRelays {
  private readonly running = new Set<InprocRelay>();

  async start(options: Partial<RelayOptions> & { dataDir: string }): Promise<InprocRelay> {
    const r = await startInprocRelay(options);
    this.running.add(r);
    return r;
  }

  async close(r: InprocRelay): Promise<void> {
    this.running.delete(r);
    await r.relay.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.running];
    this.running.clear();
    await Promise.all(all.map((r) => r.relay.close().catch(() => undefined)));
  }
}
