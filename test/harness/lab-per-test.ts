// Suites that build a whole lab inside each test (the machines of test/e2e) share this: the lab's
// logs printed when the test failed, and the lab removed after it either way.
import { afterEach } from 'vitest';
import { Lab, type LabOptions } from './lab.js';

export function labPerTest(): { create(name: string, options?: LabOptions): Promise<Lab> } {
  let current: Lab | null = null;
  afterEach(async (ctx) => {
    const lab = current;
    current = null;
    if (!lab) return;
    if (ctx.task.result?.state === 'fail') process.stderr.write(`${await lab.logs()}\n`);
    await lab.cleanup();
  });
  return {
    async create(name, options) {
      current = await Lab.create(name, options);
      return current;
    },
  };
}
