import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The repository's boundary check (run by `pnpm lint`) is a root script, not part of codegen;
// its test lives here because vitest runs the tests of packages.
import {
  checkBoundaries,
  formatViolation,
  importSpecifiers,
} from '../../../scripts/check-boundaries.mjs';

const script = fileURLToPath(new URL('../../../scripts/check-boundaries.mjs', import.meta.url));

describe('importSpecifiers', () => {
  it('finds static, type-only, re-exported, side-effect and dynamic imports, with their line', () => {
    const text = [
      "import { a } from 'one';",
      'import type {',
      '  B,',
      "} from 'two';",
      "export { c } from './three.js';",
      "export * from 'four';",
      "import 'five';",
      "const six = await import('six');",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual([
      { specifier: 'one', line: 1 },
      { specifier: 'two', line: 4 },
      { specifier: './three.js', line: 5 },
      { specifier: 'four', line: 6 },
      { specifier: 'five', line: 7 },
      { specifier: 'six', line: 8 },
    ]);
  });

  it('ignores imports in comments, strings and templates, and import.meta', () => {
    const text = [
      "// import { a } from 'comment';",
      "/* export * from 'block'; */",
      'const s = "import { x } from \'string\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text with a template.
      "const t = `import { y } from 'template' ${s}`;",
      "const r = /import 'regex'/;",
      "const u = import.meta.resolve('meta');",
      "const o = { from: 'property' };",
      "import { real } from 'real';",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual([{ specifier: 'real', line: 8 }]);
  });
});

describe('checkBoundaries on a fixture workspace', () => {
  let root: string;
  const files: Record<string, string> = {
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n  - bench\n',
    'apps/gateway/package.json': '{ "name": "@postbode/gateway" }',
    'apps/gateway/src/ok.ts': "import { parseEnvelope } from '@postbode/protocol';\n",
    'apps/gateway/src/bad.ts': "import { createRealtimeClient } from '@postbode/client-sdk';\n",
    'apps/demo/package.json': '{ "name": "@postbode/demo" }',
    'apps/demo/server/main.ts':
      "import '@postbode/testkit';\nimport '../../../packages/protocol/src/ok.js';\n",
    'bench/package.json': '{ "name": "@postbode/bench" }',
    'bench/src/cli.ts': "import '@postbode/gateway';\nimport '@postbode/client-sdk';\n",
    'packages/protocol/package.json': '{ "name": "@postbode/protocol" }',
    'packages/protocol/src/ok.ts': "import Type from 'typebox';\nimport { x } from './core.js';\n",
    'packages/protocol/src/bad.ts': "import { a } from '@postbode/codegen';\nimport 'node:fs';\n",
    'packages/protocol/src/core.ts': "export { y } from './core/y.js';\n",
    'packages/protocol/src/core/y.ts':
      "import { z } from './z.js';\nimport Type from 'typebox';\nimport { Id } from '../primitives.js';\n",
    'packages/protocol/test/core.test.ts': "import { build } from 'esbuild';\n",
    'packages/client-sdk/package.json': '{ "name": "@postbode/client-sdk" }',
    'packages/client-sdk/src/bad.ts':
      "import type { Meta } from '../../protocol/src/meta.js';\nexport * from '@postbode/gateway/main';\n",
    'packages/client-sdk/test/ok.ts': "import { startRedis } from '@postbode/testkit';\n",
    'packages/php-publisher/package.json': '{ "name": "@postbode/php-publisher" }',
    'packages/php-publisher/src/bad.ts':
      "const kit = await import('@postbode/testkit');\n// import '@postbode/testkit';\n",
    'packages/php-publisher/test/ok.ts': "import { startRedis } from '@postbode/testkit';\n",
    'packages/php-publisher/dist/skipped.js': "import '@postbode/testkit';\n",
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'postbode-boundaries-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reports every import that crosses a boundary, and nothing else', () => {
    expect(checkBoundaries(root)).toEqual([
      {
        file: 'apps/gateway/src/bad.ts',
        line: 1,
        specifier: '@postbode/client-sdk',
        rule: 'gateway-and-sdk-apart',
      },
      {
        file: 'packages/client-sdk/src/bad.ts',
        line: 1,
        specifier: '../../protocol/src/meta.js',
        rule: 'no-relative-import-across-packages',
      },
      {
        file: 'packages/client-sdk/src/bad.ts',
        line: 2,
        specifier: '@postbode/gateway/main',
        rule: 'gateway-and-sdk-apart',
      },
      {
        file: 'packages/php-publisher/src/bad.ts',
        line: 1,
        specifier: '@postbode/testkit',
        rule: 'shipped-code-without-testkit',
      },
      {
        file: 'packages/protocol/src/bad.ts',
        line: 1,
        specifier: '@postbode/codegen',
        rule: 'protocol-imports-typebox-only',
      },
      {
        file: 'packages/protocol/src/bad.ts',
        line: 2,
        specifier: 'node:fs',
        rule: 'protocol-imports-typebox-only',
      },
      {
        file: 'packages/protocol/src/core/y.ts',
        line: 2,
        specifier: 'typebox',
        rule: 'protocol-core-imports-nothing',
      },
      {
        file: 'packages/protocol/src/core/y.ts',
        line: 3,
        specifier: '../primitives.js',
        rule: 'protocol-core-imports-nothing',
      },
    ]);
  });

  it('run as a script, fails with one line per violation naming the file, the import and the rule', async () => {
    const run = promisify(execFile)('node', [script, root]);
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const lines = failure?.stderr.trim().split('\n') ?? [];
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe(
      "apps/gateway/src/bad.ts:1: imports '@postbode/client-sdk', which breaks gateway-and-sdk-apart: apps/gateway and packages/client-sdk never import each other",
    );
    expect(lines.at(-1)).toBe('check-boundaries: 8 import(s) cross a package boundary');
    const coreImport = checkBoundaries(root).find(
      (v) => v.rule === 'protocol-core-imports-nothing',
    );
    expect(coreImport && formatViolation(coreImport)).toMatch(
      /^packages\/protocol\/src\/core\/y\.ts:2: imports 'typebox', which breaks protocol-core-imports-nothing: /,
    );
  });
});
