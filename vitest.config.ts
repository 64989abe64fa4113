import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real-browser and CLI tests start processes and load a 17 MB dictionary: generous, never asserted.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each worker builds its own tokenizer (~300 MB peak); two at a time fit the 2-core machines.
    maxWorkers: 2,
    minWorkers: 1,
    // expect.poll waits for what a user would see appear (a panel row, a playground finding). Its 1 s default was too
    // short on a loaded machine (a Firefox options-page check failed once in a full run); a wrong value still fails.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './test/e2e/skip-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/**'] } },
      // The browsers are checked (or installed) once, and only when a real-browser test file is part of the run.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/e2e/global-setup.ts'] } },
    ],
  },
});
