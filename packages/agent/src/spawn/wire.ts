// The spawn side of a running agent, put together: the registry of what it spawned, its terminals
// (the private tmux server, or console windows on Windows), the audit log in the copies'
// directory, the spawner acting on requests, and the answer to a remote peek. The agent hands it
// every applied batch and the few views of its state the spawner needs.
import { createRelayClient, createSpawnClient } from '@crosstalk/client';
import { type ClientMessage, CrosstalkError, decidePeek, PEEK_LIMITS, type RelayEvent, type ServerMessage } from '@crosstalk/core';
import { readLocalSessions } from '../sessions/local-sessions.js';
import { peekTerminal } from './peek.js';
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

type PeekFrame = Extract<ServerMessage, { t: 'peek' }>;
type PeekedFrame = Extract<ClientMessage, { t: 'peeked' }>;

export interface Spawning {
  attach(views: SpawnViews): void;
  /** A remote peek of one of this host's sessions: the screen, or why not. */
  peek(frame: PeekFrame): Promise<PeekedFrame>;
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
    async peek(frame) {
      const refuse = (code: NonNullable<PeekedFrame['error']>['code'], message: string, rule?: string): PeekedFrame => ({
        t: 'peeked',
        id: frame.id,
        error: { code, message: message.slice(0, 1000), ...(rule ? { rule } : {}) },
      });
      const decision = decidePeek(config.spawn, frame.by, config.host);
      log.info({ by: frame.by, session: frame.session, decision }, 'peek request');
      if (!decision.ok) return refuse('SPAWN_REFUSED', decision.message, decision.rule);
      const local = (await readLocalSessions(layout.sessions)).find((s) => s.name === frame.session);
      if (!local) return refuse('SESSION_NOT_FOUND', `no session named ${frame.session} joined on ${config.host}`);
      try {
        const { lines } = await peekTerminal(frame.session, local.wake, frame.lines);
        return { t: 'peeked', id: frame.id, lines: lines.map((l) => l.slice(0, PEEK_LIMITS.lineChars)) };
      } catch (err) {
        const known = err instanceof CrosstalkError && (err.code === 'SESSION_NOT_FOUND' || err.code === 'INVALID_REQUEST');
        return refuse(known ? (err.code as 'SESSION_NOT_FOUND' | 'INVALID_REQUEST') : 'SESSION_NOT_FOUND', String(err instanceof Error ? err.message : err));
      }
    },
  };
}
