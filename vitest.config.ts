import { defineConfig } from 'vitest/config';

// Unit tests sit next to the code they test; end-to-end scenarios live in test/ and start real
// processes, so they get longer timeouts and run one file at a time. Every run builds first.
export default defineConfig({
  test: {
    globalSetup: ['test/setup/build-first.ts'],
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          exclude: ['test/agents/**', 'test/browser/**', 'test/windows/**', 'test/systemd/**', '**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // The real coding agents (Claude Code, Codex) against a mock model: slow, one file at a
        // time, deadlines sized for two shared cores.
        test: {
          name: 'agents',
          include: ['test/agents/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Timings with the real coding agents (npm run bench:agents); not part of npm test.
        test: {
          name: 'agents-bench',
          include: ['bench/agents/*.run.ts'],
          testTimeout: 1_200_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The web view in a real headless Chromium (Debian's): after the others, one file at a time.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Windows programs under Wine (the Windows node running the real bundle): slow starts,
        // one file at a time.
        test: {
          name: 'windows',
          include: ['test/windows/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        // A real systemd user manager, confined to a cgroup and namespaces of its own: it takes
        // root, so it runs only when asked for (`--project systemd`).
        test: {
          name: 'systemd',
          include: ['test/systemd/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
