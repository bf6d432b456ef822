import { defineConfig } from 'vitest/config';

/**
 * The tests of what the store does, run a second time against PostgreSQL (the project
 * "postgres" sets BOUNCED_TEST_STORE, and test/helpers/store.ts gives each test a schema of
 * its own). The others do not depend on the store: parsing, classifying, rendering, SQLite's
 * own file handling (cli-behaviour, database-faults), and the IMAP side (test/mailbox: other
 * servers, OAuth2, namespaces; IDLE; IMAP faults), whose scans store as any scan does. Those
 * took 245 of the suite's 1,530 test-file seconds a second time (CI of 2026-12-02).
 */
const STORE_TESTS = [
  'test/api/**/*.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/suppressions-cli.test.ts',
  'test/daemon/**/*.test.ts',
  'test/digest/digest-e2e.test.ts',
  'test/export/**/*.test.ts',
  'test/resilience/analysis-budget.test.ts',
  'test/resilience/kill9.test.ts',
  'test/scan/**/*.test.ts',
  'test/store/**/*.test.ts',
  'test/verp/**/*.test.ts',
  'test/postgres/**/*.test.ts',
];
/** Among those, the IMAP side's: on SQLite only. */
const IMAP_SIDE = ['test/daemon/idle.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most tests wait on servers and child processes, not the CPU: three files at a time on
    // this 2-core machine (vitest's default is one fewer than the cores).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/postgres/**'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: STORE_TESTS,
          exclude: IMAP_SIDE,
          env: { BOUNCED_TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
