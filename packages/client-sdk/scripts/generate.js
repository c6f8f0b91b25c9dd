#!/usr/bin/env node
// Writes ACTIONS.md (the list of server actions with their payload types) and the README's
// table of sync reasons (between the sync-reasons markers) from the built protocol; run by
// `pnpm generate`, after `build`. With --check, writes nothing and exits 1 when a committed
// file is stale.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { replaceBetweenMarkers, runGenerator } from '@postbode/codegen';
import { serverActions } from '@postbode/protocol';
import { SYNC_REASONS } from '@postbode/protocol/core';
import { renderActionsMarkdown } from './actions-markdown.js';
import { renderSyncReasonsMarkdown } from './sync-reasons-markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = await readFile(`${root}README.md`, 'utf8');

process.exitCode = await runGenerator(
  [
    { path: 'ACTIONS.md', contents: renderActionsMarkdown(serverActions) },
    {
      path: 'README.md',
      contents: replaceBetweenMarkers(
        readme,
        'sync-reasons',
        renderSyncReasonsMarkdown(SYNC_REASONS),
      ),
    },
  ],
  { name: '@postbode/client-sdk', root },
);
