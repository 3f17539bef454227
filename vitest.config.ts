import { defineConfig } from 'vitest/config';

// .ci/run asks for a machine-readable report to print the totals from.
const report = process.env['GKO_TEST_REPORT'];

export default defineConfig({
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/scripts/**/*.test.ts',
            'test-e2e/control-plane/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'repository',
          include: ['test-e2e/repository/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test-e2e/suites/**/*.test.ts'],
          globalSetup: ['test-e2e/src/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
