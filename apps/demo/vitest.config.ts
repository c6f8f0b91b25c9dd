import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'demo',
    include: ['test/**/*.test.ts'],
    // Browsers, a gateway and a backend per file: generous bounds for a broken test, not
    // performance assertions.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
