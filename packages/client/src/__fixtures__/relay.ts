// Test support for the client: a real relay in this process (127.0.0.1, port 0, a temp data dir),
// a client signing with its admin key, and hosts enrolled through the client's own enroll route.
// `cleanup()` stops the relay and removes the data dir.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519, tokenSigner } from '@crosstalk/core/token';
import { readAdminKey, startRelay, type RunningRelay } from '@crosstalk/relay';
import { adminClient } from '../admin.js';
import { createRelayClient, type RelayClient } from '../client.js';

export interface Host {
  name: string;
  /** Signs as this host. */
  client: RelayClient;
}

export class TestRelay {
  private constructor(
    readonly relay: RunningRelay,
    readonly admin: RelayClient,
    private readonly dir: string,
  ) {}

  static async start(): Promise<TestRelay> {
    const dir = await mkdtemp(join(tmpdir(), 'ct-client-'));
    const dataDir = join(dir, 'relay');
    const relay = await startRelay({ dataDir, port: 0, logLevel: 'silent', rateLimit: false });
    const admin = await adminClient({ relayUrl: relay.url, adminKey: await readAdminKey(dataDir), relayId: relay.relayId });
    return new TestRelay(relay, admin, dir);
  }

  get url(): string {
    return this.relay.url;
  }

  /** A host enrolled with a fresh key through a fresh invite. */
  async host(name: string): Promise<Host> {
    const { invite } = await this.admin.createInvite({ host: name });
    const keys = await generateEd25519();
    const enrolled = await createRelayClient({ relayUrl: this.url }).enroll({ invite, host: name, publicKey: keys.publicJwk });
    const signer = await tokenSigner(keys.privateJwk, enrolled.host, enrolled.relayId);
    return { name, client: createRelayClient({ relayUrl: this.url, signer }) };
  }

  async cleanup(): Promise<void> {
    await this.relay.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export const key = () => randomBytes(9).toString('base64url');
