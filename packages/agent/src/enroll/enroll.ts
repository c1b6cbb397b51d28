// Enrollment: prove an invite to the relay with a key pair made here, then keep the private key
// (owner-only) and the config. Nothing is written unless the relay accepted the enrollment.
import { hostname } from 'node:os';
import { checkName, CrosstalkError, PROTOCOL_VERSION, relayMismatch } from '@crosstalk/core';
import { generateEd25519 } from '@crosstalk/core/token';
import { createRelayClient, type FetchLike } from '@crosstalk/client';
import { AgentConfigSchema, protectHostKey, writeAgentConfig, writeHostKey, type AgentConfig, type HomeLayout, type KeyProtection } from '../home/index.js';
import { defaultHostName } from './host-name.js';

export interface EnrollOptions {
  relayUrl: string;
  invite: string;
  /** This host's name; defaults to the machine's hostname made to fit the name rule. */
  host?: string | undefined;
  layout: HomeLayout;
  /** Where the markdown copies go; defaults to the home's `conversations/`. */
  conversationsDir?: string | undefined;
  /** The machine's hostname, for the default host name (defaults to os.hostname()). */
  machineHostname?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: FetchLike | undefined;
  /** Windows: runs icacls to make the key owner-only (after the config is written, so a failure keeps the enrollment). */
  protectKey?: KeyProtection | undefined;
}

export interface EnrollResult {
  config: AgentConfig;
  relayId: string;
  epoch: string;
}

/** `http://host:port` as given, without a trailing slash; refuses anything but http(s). */
export function normalizeRelayUrl(input: string): string {
  if (!URL.canParse(input.trim())) {
    throw new CrosstalkError('INVALID_REQUEST', `${JSON.stringify(input.slice(0, 200))} is not a URL`, {
      hint: 'give the relay URL, e.g. http://192.168.1.10:7717',
    });
  }
  const url = new URL(input.trim());
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new CrosstalkError('INVALID_REQUEST', `the relay URL must be http(s) without credentials, query or fragment`, {
      hint: 'give the relay URL, e.g. http://192.168.1.10:7717',
    });
  }
  return url.href.replace(/\/+$/, '');
}

export async function enroll(options: EnrollOptions): Promise<EnrollResult> {
  const relayUrl = normalizeRelayUrl(options.relayUrl);
  const host = checkName('host', options.host ?? defaultHostName(options.machineHostname ?? hostname()));
  const invite = options.invite.trim();
  if (invite === '') throw new CrosstalkError('INVITE_INVALID', 'the invite code is empty');
  const conversationsDir = options.conversationsDir ?? options.layout.conversationsDir;
  // Check the settings before the invite is spent, so a typo never costs a new invite.
  const planned = AgentConfigSchema.safeParse({ version: 1, relayUrl, relayId: 'pending', host, conversationsDir });
  if (!planned.success) {
    const issues = planned.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CrosstalkError('INVALID_REQUEST', `cannot enroll with these settings: ${issues}`, {
      hint: 'fix the value named in the message (e.g. --conversations-dir)',
    });
  }
  const client = createRelayClient({ relayUrl, timeoutMs: options.timeoutMs, fetch: options.fetch });

  const health = await client.health();
  if (health.protocol !== PROTOCOL_VERSION) throw relayMismatch(relayUrl, health.protocol, health.version);

  const keys = await generateEd25519();
  const answer = await client.enroll({ invite, host, publicKey: keys.publicJwk });

  await writeHostKey(options.layout.hostKey, keys.privateJwk);
  const config = await writeAgentConfig(options.layout.config, {
    version: 1,
    relayUrl,
    relayId: answer.relayId,
    host: answer.host,
    conversationsDir,
  });
  if (options.protectKey) await protectHostKey(options.layout.hostKey, options.protectKey);
  return { config, relayId: answer.relayId, epoch: answer.epoch };
}
