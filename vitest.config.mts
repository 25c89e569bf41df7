import { configDefaults, defineConfig } from 'vitest/config';

// Two projects: `unit` (npm run test:unit), fast, and `e2e` (npm run test:e2e), the tests that run the
// real `terraform` (test/**/<name>.e2e.test.ts, beside the unit tests of the same source file).
// `vitest run` (npm test, CI) runs both.
export default defineConfig({
  test: {
    globals: true,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    // Snapshots are written by developers only: CI must fail on a missing or stale one.
    update: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/**/*.e2e.test.ts'],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'] } },
    ],
  },
});
