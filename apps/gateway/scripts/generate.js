#!/usr/bin/env node
// Writes the configuration table of the repository's README (between the config-table
// markers) from the gateway's CONFIG_VARIABLES; run by `pnpm generate`, after `build`.
// With --check, writes nothing and exits 1 when the README is stale.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { replaceBetweenMarkers, runGenerator } from '@postbode/codegen';
import {
  CONFIG_TABLE_MARKER,
  renderConfigTableMarkdown,
} from '../dist/config/config-table-markdown.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const readme = await readFile(`${root}/README.md`, 'utf8');
const contents = replaceBetweenMarkers(readme, CONFIG_TABLE_MARKER, renderConfigTableMarkdown());
process.exitCode = await runGenerator([{ path: 'README.md', contents }], {
  name: 'gateway',
  root,
});
