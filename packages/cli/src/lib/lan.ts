// The address other machines can use to reach this one, for the line `relay invite` prints.
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { createRelayClient, isLoopbackUrl } from '@crosstalk/client';
import { CrosstalkError } from '@crosstalk/core';

/** This machine's first non-internal IPv4 address, if it has one. */
export function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Whether this process runs in a container (docker, podman), whose own addresses other machines cannot use. */
export function inContainer(): boolean {
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}

export interface JoinUrl {
  url: string;
  /** Why this URL, when it is not simply the relay's own. */
  note?: string;
}

/**
 * The relay URL for another machine. The relay records where it listens as a loopback URL both
 * when it listens on 127.0.0.1 and on 0.0.0.0, so a loopback URL is tried on the LAN address:
 * if the same relay answers there, it listens on every interface.
 */
export async function joinUrlFor(
  localUrl: string,
  relayId: string,
  lan: string | undefined = lanAddress(),
  container: boolean = inContainer(),
): Promise<JoinUrl> {
  const u = new URL(localUrl);
  if (!isLoopbackUrl(localUrl)) return { url: localUrl };
  if (lan) {
    const candidate = `${u.protocol}//${lan}:${u.port}`;
    // No answer, or not a relay's, on the LAN address: the relay listens only on loopback.
    const health = await createRelayClient({ relayUrl: candidate, timeoutMs: 1500 })
      .health()
      .catch((err: unknown) => (err instanceof CrosstalkError ? undefined : Promise.reject(err)));
    if (health?.relayId === relayId) {
      return {
        url: candidate,
        // A container's own address sits on a network of its own, which other machines rarely reach.
        note: container
          ? `this runs in a container, and ${lan} is the container's own address, which other machines may not reach: set CROSSTALK_PUBLIC_URL (docker compose passes it on) or pass --url with the address they use`
          : `the relay listens on every interface; the command uses this machine's address ${lan} (pass --url if other machines reach the relay by another name)`,
      };
    }
  }
  return {
    url: localUrl,
    note: 'the relay listens only on this machine, so other machines cannot reach it: restart it to listen on every interface (`crosstalk up --host 0.0.0.0`, or `crosstalk relay serve --host 0.0.0.0`), or pass --url with the address they use (e.g. a proxy in front of it)',
  };
}
