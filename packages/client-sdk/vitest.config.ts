import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'client-sdk',
    include: ['test/**/*.test.ts'],
    // Integration tests start their own redis-server and gateway process; generous timeouts
    // bound a broken test, they are not performance assertions.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
