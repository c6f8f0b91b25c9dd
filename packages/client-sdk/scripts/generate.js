#!/usr/bin/env node
// Writes ACTIONS.md (the list of server actions with their payload types) from the built
// protocol; run by `pnpm generate`, after `build`. With --check, writes nothing and exits 1
// when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serverActions } from '@postbode/protocol';
import { renderActionsMarkdown } from './actions-markdown.js';

const target = fileURLToPath(new URL('../ACTIONS.md', import.meta.url));
const text = renderActionsMarkdown(serverActions);
const current = await readFile(target, 'utf8').catch(() => undefined);

if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`stale: ${target} (run pnpm generate and commit the result)\n`);
    process.exit(1);
  }
} else if (current !== text) {
  await writeFile(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
