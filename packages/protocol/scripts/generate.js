#!/usr/bin/env node
// Writes schema/postbode.schema.json from the built protocol (run by `pnpm generate`, after
// `build`). With --check, writes nothing and exits 1 when the committed file is stale.
import { fileURLToPath } from 'node:url';
import { runGenerator } from '@postbode/codegen';
import { buildJsonSchema } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const contents = `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;

process.exitCode = await runGenerator([{ path: 'schema/postbode.schema.json', contents }], {
  name: '@postbode/protocol',
  root,
});
