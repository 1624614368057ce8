import { defineConfig } from 'vitest/config';

// Pure rules run alone. Everything that touches the engine or PostgreSQL runs against a real
// engine started by the global setup, one project after another (2 cores): the integration
// tests, then the browser tests, then the benchmark and fault-harness smoke runs, each on an
// engine of its own so that no project's leftovers reach another's workers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One shared engine: files run one after another.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // The real engine, then the web app built as production serves it.
          globalSetup: ['test/setup/global-setup.ts', 'test/e2e/build-ui.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'smoke',
          include: ['test/smoke/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
