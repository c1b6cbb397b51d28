// What this agent spawned, on disk in the home (`spawn/sessions.json`): each running spawned session
// with its pane, and the ids of the requests already acted on, so a replayed request is never acted
// on twice and a restarted agent knows which sessions on its tmux server are its own.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { NameSchema, SessionKindSchema } from '@crosstalk/core';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { readJson } from '../fs/read-json.js';

const HANDLED_KEPT = 1000;

const record = () =>
  z.strictObject({
    name: NameSchema,
    kind: SessionKindSchema,
    request: z.string().max(64),
    by: z.string().max(64),
    cwd: z.string().max(4096),
    pane: z.string().max(16),
    panePid: z.number().int().positive(),
    startedAt: z.string().max(40),
  });
const file = () =>
  z.strictObject({
    version: z.literal(1),
    sessions: z.array(record()).max(1000),
    handled: z.array(z.string().max(64)).max(HANDLED_KEPT),
    /** Names of spawned sessions that ended here: only such a name may be spawned again. */
    ended: z.array(z.string().max(64)).max(HANDLED_KEPT).default([]),
  });

export type SpawnRecord = z.output<ReturnType<typeof record>>;

export class SpawnRegistry {
  private constructor(
    private readonly path: string,
    private sessions: SpawnRecord[],
    private readonly handled: string[],
    private ended: string[],
  ) {}

  /** A missing or damaged file reads as nothing spawned. */
  static async open(path: string): Promise<SpawnRegistry> {
    const parsed = file().safeParse(await readJson(path, 4 * 1024 * 1024));
    return parsed.success ? new SpawnRegistry(path, parsed.data.sessions, parsed.data.handled, parsed.data.ended) : new SpawnRegistry(path, [], [], []);
  }

  all(): readonly SpawnRecord[] {
    return this.sessions;
  }

  get(name: string): SpawnRecord | undefined {
    return this.sessions.find((s) => s.name === name);
  }

  wasHandled(request: string): boolean {
    return this.handled.includes(request);
  }

  /** Remembers a request as acted on, before acting: a crash in between never acts twice. */
  async handle(request: string): Promise<void> {
    this.handled.push(request);
    if (this.handled.length > HANDLED_KEPT) this.handled.splice(0, this.handled.length - HANDLED_KEPT);
    await this.save();
  }

  hasEnded(name: string): boolean {
    return this.ended.includes(name);
  }

  async add(r: SpawnRecord): Promise<void> {
    this.sessions = [...this.sessions.filter((s) => s.name !== r.name), r];
    this.ended = this.ended.filter((n) => n !== r.name);
    await this.save();
  }

  /** Forgets a spawned session; `ended`: its process is gone (its name may be spawned again). */
  async remove(name: string, options: { ended?: boolean } = {}): Promise<boolean> {
    const before = this.sessions.length;
    this.sessions = this.sessions.filter((s) => s.name !== name);
    if (this.sessions.length === before) return false;
    if (options.ended) this.ended = [...this.ended.filter((n) => n !== name), name].slice(-HANDLED_KEPT);
    await this.save();
    return true;
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await atomicWriteFile(this.path, `${JSON.stringify({ version: 1, sessions: this.sessions, handled: this.handled, ended: this.ended }, null, 2)}\n`, {
      mode: 0o600,
    });
  }
}
