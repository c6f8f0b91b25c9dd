#!/usr/bin/env node
// Writes, from the built protocol (run by `pnpm generate`, after `build`):
// - schema/postbode.schema.json, the JSON Schema of the working tree;
// - schema/releases/<version>.json, the snapshot of package.json's version, once: when that
//   version has none yet. A snapshot is never rewritten; `pnpm protocol:check` compares the
//   schemas with it, so changing them afterwards takes a new version;
// - the rules table of docs/protocol-versions.md (between the compat-rules markers).
// With --check, writes nothing and exits 1 when a file is stale or the snapshot is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceBetweenMarkers, runGenerator } from '@postbode/codegen';
import { COMPAT_RULES_MARKER, renderCompatRulesMarkdown } from '../dist/compat.js';
import { buildJsonSchema } from '../dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const repository = join(root, '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contents = `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;

/** JSON as Biome formats it, since the snapshots are not among the files it ignores. */
function biomeFormatted(path, json) {
  const biome = createRequire(join(repository, 'package.json')).resolve('@biomejs/biome/bin/biome');
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${path}`], {
    cwd: repository,
    input: json,
    encoding: 'utf8',
  });
}

const files = [{ path: 'schema/postbode.schema.json', contents }];
const snapshot = `schema/releases/${version}.json`;
if (!existsSync(join(root, snapshot))) {
  files.push({ path: snapshot, contents: biomeFormatted(join(root, snapshot), contents) });
}
const docs = 'docs/protocol-versions.md';
const rules = replaceBetweenMarkers(
  readFileSync(join(repository, docs), 'utf8'),
  COMPAT_RULES_MARKER,
  renderCompatRulesMarkdown(),
);

const own = await runGenerator(files, { name: '@postbode/protocol', root });
const shared = await runGenerator([{ path: docs, contents: rules }], {
  name: '@postbode/protocol',
  root: repository,
});
process.exitCode = Math.max(own, shared);
