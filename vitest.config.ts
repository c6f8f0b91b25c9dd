import { defineConfig } from 'vitest/config';

// One vitest project per package (each has its own vitest.config.ts); `pnpm test` runs them
// all in one process tree and writes the JSON report that `.ci/run` counts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'bench'],
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
