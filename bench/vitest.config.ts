import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bench',
    include: ['test/**/*.test.ts'],
    // The smoke test starts Redis, the servers (two gateway nodes at once for the reconnect
    // storm), a publisher and a load generator; the timeout bounds a broken run, it is not a
    // performance assertion.
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
