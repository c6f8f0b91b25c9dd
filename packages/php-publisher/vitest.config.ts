import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'php-publisher',
    include: ['test/**/*.test.ts'],
    // Tests run real `php`, `redis-server` and gateway processes: generous bounds for a broken
    // test, never a performance assertion.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
