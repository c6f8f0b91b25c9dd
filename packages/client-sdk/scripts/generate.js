#!/usr/bin/env node
// Writes ACTIONS.md (the list of server actions with their payload types) from the built
// protocol; run by `pnpm generate`, after `build`. With --check, writes nothing and exits 1
// when the committed file is stale.
import { fileURLToPath } from 'node:url';
import { runGenerator } from '@postbode/codegen';
import { serverActions } from '@postbode/protocol';
import { renderActionsMarkdown } from './actions-markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const contents = renderActionsMarkdown(serverActions);

process.exitCode = await runGenerator([{ path: 'ACTIONS.md', contents }], {
  name: '@postbode/client-sdk',
  root,
});
