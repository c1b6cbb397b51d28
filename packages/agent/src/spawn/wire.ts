// The spawn side of a running agent, put together: the registry of what it spawned, its terminals
// (the private tmux server, or console windows on Windows), the audit log in the copies' directory, and the spawner acting on requests. The
// agent hands it every applied batch and the few views of its state the spawner needs.
import { createRelayClient, createSpawnClient } from '@crosstalk/client';
import type { RelayEvent } from '@crosstalk/core';
import type { TokenSigner } from '@crosstalk/core/token';
import type { AgentConfig, HomeLayout } from '../home/index.js';
import type { AgentLogger } from '../run/logger.js';
import { joinSession } from '../sessions/join.js';
import { AuditLog } from './audit.js';
import { SpawnRegistry } from './registry.js';
import { Spawner, type SpawnerDeps } from './spawner.js';
import { ConsoleTerminal } from './console-terminal.js';
import { TmuxTerminal } from './tmux-terminal.js';
import { spawnDir, spawnSocket } from './tmux.js';
import { join } from 'node:path';

/** How often spawned sessions are checked for having exited. */
const WATCH_MS = 2_000;

export type SpawnViews = Pick<SpawnerDeps, 'joinedHere' | 'wakeOf' | 'lastSignal' | 'ended'>;

export interface Spawning {
  attach(views: SpawnViews): void;
  applied(events: readonly RelayEvent[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function openSpawning(o: { layout: HomeLayout; config: AgentConfig; signer: TokenSigner; log: AgentLogger }): Promise<Spawning> {
  const { layout, config, signer, log } = o;
  const audit = await AuditLog.open(config.conversationsDir);
  const registry = await SpawnRegistry.open(join(spawnDir(layout.home), 'sessions.json'));
  const relay = createRelayClient({ relayUrl: config.relayUrl, signer });
  let spawner: Spawner | null = null;
  return {
    attach(views) {
      spawner = new Spawner({
        ...views,
        host: config.host,
        home: layout.home,
        policy: config.spawn,
        platform: process.platform,
        registry,
        terminal:
          process.platform === 'win32'
            ? new ConsoleTerminal({ log })
            : new TmuxTerminal(spawnSocket(layout.home), { platform: process.platform, enterDelayMs: config.wake.enterDelayMs }),
        client: createSpawnClient({ relayUrl: config.relayUrl, signer }),
        join: async (name, kind, wake) => void (await joinSession({ layout, name, kind, wake, client: relay })),
        log,
      });
    },
    async applied(events) {
      try {
        await audit.write(events);
      } catch (err) {
        log.warn({ err: String(err) }, 'could not write the spawn audit log');
      }
      spawner?.take(events);
    },
    async start() {
      await spawner?.start(WATCH_MS).catch((err: unknown) => log.warn({ err: String(err) }, 'could not look for spawned sessions'));
    },
    async stop() {
      await spawner?.stop();
    },
  };
}
