#!/usr/bin/env node
// Writes schema/postbode.schema.json from the built protocol (run by `pnpm generate`, after
// `build`). With --check, writes nothing and exits 1 when the committed file is stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJsonSchema } from '../dist/index.js';

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'schema',
  'postbode.schema.json',
);
const text = `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
const current = await readFile(target, 'utf8').catch(() => undefined);

if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`stale: ${target} (run pnpm generate and commit the result)\n`);
    process.exit(1);
  }
} else if (current !== text) {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
