import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'client-sdk-vue2',
    include: ['test/**/*.test.ts'],
    // Starts its own redis-server and gateway process; generous timeouts bound a broken test.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
