import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RECEIPT_REASONS, sanitizeWakeText, type WakeTarget } from '@crosstalk/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textRecords } from './records.js';
import { DEFER_REASONS, FAIL_REASONS } from '../types.js';
import { createWaker } from '../waker.js';

const FAKE_HELPER = fileURLToPath(new URL('./__fixtures__/fake-console-helper.mjs', import.meta.url));

let dir: string;
let helper: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-console-'));
  helper = join(dir, 'helper.mjs');
  copyFileSync(FAKE_HELPER, helper);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const waker = (platform: NodeJS.Platform = 'win32', helperMs = 10_000) => createWaker({ platform, consoleHelper: helper, timeouts: { helperMs } });
const target = (extra: Partial<Extract<WakeTarget, { type: 'console' }>> = {}): WakeTarget => ({
  type: 'console',
  pid: process.pid,
  agentCommand: 'claude',
  ...extra,
});
const received = () => JSON.parse(readFileSync(join(dir, 'received.json'), 'utf8')) as { argv: string[]; stdin: string };
const behave = (b: object) => writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(b));

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('Windows console wake-up (helper process)', () => {
  it('hands the helper the pid, the pause, the kind, the submit time and the sanitised line as INPUT_RECORDs on stdin', async () => {
    const line = '/crosstalk: your turn\u001b[31m in é 😀';
    expect(await waker().wake(target(), line, { kind: 'claude-code' })).toEqual({ status: 'delivered' });
    const got = received();
    expect(got.argv).toEqual([String(process.pid), '300', 'claude-code', '1500']);
    await waker().wake(target(), line);
    expect(received().argv).toEqual([String(process.pid), '300', 'other', '1500']);
    expect(Buffer.from(got.stdin, 'base64').equals(textRecords(sanitizeWakeText(line)))).toBe(true);
  });

  it('passes on what the helper reports, bounded', async () => {
    behave({ stdout: `${JSON.stringify({ status: 'failed', reason: 'process-gone', detail: `AttachConsole failed ${'x'.repeat(900)}` })}\n` });
    const outcome = await waker().wake(target(), 'crosstalk: hi');
    expect(outcome).toMatchObject({ status: 'failed', reason: 'process-gone' });
    expect((outcome as { detail: string }).detail.length).toBeLessThanOrEqual(200);
  });

  it('reports wake-error when the helper crashes, answers garbage or hangs', async () => {
    behave({ stderr: 'Error: cannot find module koffi', exitCode: 1 });
    expect(await waker().wake(target(), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'wake-error', detail: expect.stringContaining('koffi') });
    behave({ stdout: '{"status":"delivered-ish"}\n' });
    expect(await waker().wake(target(), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'wake-error' });
    behave({ hang: true });
    expect(await waker('win32', 1_000).wake(target(), 'crosstalk: hi')).toMatchObject({
      status: 'failed',
      reason: 'wake-error',
      detail: expect.stringContaining('timed out'),
    });
  });

  it('does not start the helper for a gone process, a bare shell or off Windows', async () => {
    const gone = await exitedPid();
    expect(await waker().wake(target({ pid: gone }), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'process-gone' });
    expect(await waker().wake(target({ agentCommand: undefined }), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'bare-shell' });
    expect(await waker('linux').wake(target(), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'wake-error' });
    expect(await waker().wake(target({ pid: -1 }), 'crosstalk: hi')).toMatchObject({ status: 'failed', reason: 'wake-error' });
    expect(existsSync(join(dir, 'received.json'))).toBe(false);
  });

  it('probes liveness by the pid', async () => {
    expect(await waker().probe(target())).toBe('alive');
    expect(await waker().probe(target({ pid: await exitedPid() }))).toBe('gone');
  });
});

describe('createWaker', () => {
  it('reports a session without a terminal as no-wake-target and always alive', async () => {
    expect(await waker().wake({ type: 'none' }, 'crosstalk: hi')).toEqual({ status: 'failed', reason: 'no-wake-target' });
    expect(await waker().probe({ type: 'none' })).toBe('alive');
    expect(await waker().wake({ type: 'carrier-pigeon' } as unknown as WakeTarget, 'x')).toMatchObject({ status: 'failed', reason: 'wake-error' });
  });

  it('reports only reasons the protocol knows', () => {
    for (const reason of [...DEFER_REASONS, ...FAIL_REASONS]) expect(Object.keys(RECEIPT_REASONS)).toContain(reason);
  });

  it('refuses malformed targets as wake-error and probes them as gone', async () => {
    for (const bad of [{ type: 'tmux', pane: '%1' }, { type: 'console', pid: 0 }, { type: 'tmux', pane: '%1', socket: 'rel/sock' }, null]) {
      expect(await waker().wake(bad as unknown as WakeTarget, 'x')).toMatchObject({ status: 'failed', reason: 'wake-error' });
      expect(await waker().probe(bad as unknown as WakeTarget)).toBe('gone');
    }
  });

  it('refuses timeouts out of range with CONFIG_INVALID', () => {
    expect(() => createWaker({ platform: 'linux', timeouts: { settleMs: 100 } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => createWaker({ platform: 'linux', timeouts: { commandMs: Number.NaN } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
