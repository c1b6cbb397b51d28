import { describe, expect, it } from 'vitest';
import { KeyedSerializer } from './serial.js';

const deferredPromise = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('KeyedSerializer', () => {
  it('runs tasks of one key in order, one at a time, and other keys alongside', async () => {
    const serial = new KeyedSerializer();
    const log: string[] = [];
    const gate = deferredPromise();
    const a1 = serial.run('a', async () => {
      log.push('a1 start');
      await gate.promise;
      log.push('a1 end');
      return 1;
    });
    const a2 = serial.run('a', async () => {
      log.push('a2');
      return 2;
    });
    const b1 = serial.run('b', async () => {
      log.push('b1');
      return 3;
    });
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    gate.resolve();
    expect(await Promise.all([a1, a2])).toEqual([1, 2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('keeps going after a failed task and forgets idle keys', async () => {
    const serial = new KeyedSerializer();
    const failing = serial.run('a', async () => {
      throw new Error('boom');
    });
    const next = serial.run('a', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ok');
    await new Promise((r) => setImmediate(r));
    expect(serial.size).toBe(0);
  });
});
