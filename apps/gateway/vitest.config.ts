import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'gateway',
    include: ['test/**/*.test.ts'],
    // Each file starts its own redis-server and gateways; generous timeouts bound a broken
    // test, they are not performance assertions.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
