import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'newcomer',
    include: ['test/**/*.test.ts'],
    // Installs packed tarballs with npm (from the registry, through a cache kept between runs),
    // builds a Vite app, runs composer: minutes on a cold cache, bounded here, not measured.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
