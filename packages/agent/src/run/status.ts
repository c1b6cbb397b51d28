// The running agent's status file (`layout.agentStatus`), written atomically and throttled, and
// its reader for `crosstalk agent status`, which also checks that the writer is still alive.
import * as z from 'zod';
import { SESSION_STATES } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import type { HomeLayout } from '../home/index.js';
import { processAlive } from '../os/process-alive.js';
import { readJson } from '../fs/read-json.js';

const Iso = z.string().max(40);

const LastReceiptSchema = z.strictObject({
  conversation: z.string().max(64),
  turn: z.number().int(),
  status: z.enum(['delivered', 'deferred', 'failed']),
  reason: z.string().max(400).optional(),
  attempt: z.number().int(),
  at: Iso,
});

const AgentStatusSchema = z.strictObject({
  version: z.literal(1),
  pid: z.number().int().positive(),
  state: z.enum(['starting', 'connecting', 'connected', 'stopped']),
  startedAt: Iso,
  updatedAt: Iso,
  host: z.string().max(64),
  relayUrl: z.string().max(2048),
  relayId: z.string().max(64),
  epoch: z.string().max(64).nullable(),
  connected: z.boolean(),
  /** Seq of the last event applied and written to the copies. */
  cursor: z.number().int().min(0),
  /** Latest seq the relay announced. */
  head: z.number().int().min(0).nullable(),
  /** head − cursor, when the head is known. */
  lag: z.number().int().min(0).nullable(),
  lastError: z.strictObject({ code: z.string().max(64), message: z.string().max(2000), at: Iso }).nullable(),
  /** What the copies and state files take, the budget, and where the budget holds the replica back. */
  disk: z
    .strictObject({
      usedBytes: z.number().int().min(0),
      budgetBytes: z.number().int().min(0),
      paused: z.strictObject({ seq: z.number().int().min(0), conversation: z.string().max(64) }).nullable(),
    })
    .optional(),
  sessions: z
    .array(
      z.strictObject({
        name: z.string().max(64),
        kind: z.string().max(32),
        wake: z.string().max(16),
        online: z.boolean().nullable(),
        lastReceipt: LastReceiptSchema.nullable(),
        /** What the session's hooks say it is doing (`unknown` without hooks), and since when. */
        state: z.enum(SESSION_STATES).optional(),
        stateSince: Iso.optional(),
        /** The last hook event of the session, if any came since the agent started. */
        lastSignal: z
          .strictObject({ event: z.string().max(64), at: Iso })
          .nullable()
          .optional(),
        /** Wake-ups owed to the session and not delivered yet. */
        pending: z.number().int().min(0).optional(),
        /** Wake-ups that failed while the turn they announce is still the session's (tried again when it joins again). */
        failed: z
          .array(z.strictObject({ conversation: z.string().max(64), turn: z.number().int().min(1) }))
          .max(100)
          .optional(),
      }),
    )
    .max(10_000),
});

export type AgentStatusSnapshot = z.infer<typeof AgentStatusSchema>;
export type LastReceipt = z.infer<typeof LastReceiptSchema>;

export interface AgentStatusReport {
  /** The agent that wrote the file is alive and has not said it stopped. */
  running: boolean;
  /** What it last wrote; null when there is no (valid) status file. */
  status: AgentStatusSnapshot | null;
}

export async function readAgentStatus(layout: Pick<HomeLayout, 'agentStatus'>): Promise<AgentStatusReport> {
  const parsed = AgentStatusSchema.safeParse(await readJson(layout.agentStatus, 16 * 1024 * 1024));
  if (!parsed.success) return { running: false, status: null };
  const status = parsed.data;
  return { running: status.state !== 'stopped' && processAlive(status.pid), status };
}

/** Writes the snapshot at most once per interval; `flush` writes the latest at once. */
export class StatusWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastWrite = 0;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => AgentStatusSnapshot,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  update(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastWrite = Date.now();
    const text = `${JSON.stringify(this.snapshot(), null, 2)}\n`;
    this.writing = this.writing.then(() => atomicWriteFile(this.path, text, { mode: 0o600 })).catch(this.onError);
    return this.writing;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
