#!/usr/bin/env node
// `pnpm protocol:check` and `pnpm protocol:changelog`: a thin command line around
// @postbode/protocol/compat (the built dist). Reads the release snapshots and the working
// tree's schemas, prints, sets the exit code; every decision is the library's.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkProtocol,
  compareVersions,
  formatCompatCheck,
  isSchemaDocument,
  parseVersion,
  renderChangelog,
} from '../dist/compat.js';
import { buildJsonSchema } from '../dist/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: compat.js check [--releases DIR] [--schema FILE] [--version X]
       compat.js changelog [--from X] [--to Y] [--out FILE] [--releases DIR] [--schema FILE] [--version X]

check      compares the schemas with every release (schema/releases/<version>.json) and fails
           when a change is not covered by the version (docs/protocol-versions.md has the rules)
changelog  writes release notes in Markdown between two versions; --to defaults to the current
           version (the working tree's schemas), --from to the release before --to

  --releases DIR   the release snapshots (default: packages/protocol/schema/releases)
  --schema FILE    the current schemas (default: buildJsonSchema() of the built protocol)
  --version X      the current version (default: packages/protocol/package.json's)
  --out FILE       changelog: write the notes there instead of to standard output
  --help           show this text
`;

class UsageError extends Error {}

async function readJson(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error.message}`);
  }
}

/** Every `<version>.json` of the directory, as releases. */
async function readReleases(dir) {
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.json'));
  const releases = [];
  for (const name of names) {
    const version = basename(name, '.json');
    if (parseVersion(version) === undefined) {
      throw new UsageError(`${join(dir, name)}: a snapshot is named <MAJOR.MINOR.PATCH>.json`);
    }
    const schema = await readJson(join(dir, name));
    if (!isSchemaDocument(schema)) {
      throw new UsageError(`${join(dir, name)} is not a JSON Schema document with $defs`);
    }
    releases.push({ version, schema });
  }
  return releases.sort((a, b) => compareVersions(a.version, b.version));
}

async function currentRelease(values) {
  const version = values.version ?? (await readJson(join(packageDir, 'package.json'))).version;
  const schema = values.schema === undefined ? buildJsonSchema() : await readJson(values.schema);
  if (!isSchemaDocument(schema)) throw new UsageError(`${values.schema} has no $defs`);
  return { version, schema };
}

async function check(values, releasesDir) {
  const releases = await readReleases(releasesDir);
  const current = await currentRelease(values);
  const shortest = relative(process.cwd(), releasesDir);
  const where = shortest.startsWith('..') ? releasesDir : shortest || '.';
  process.stdout.write(
    `protocol:check: version ${current.version} against ${releases.length} release(s) in ${where}\n`,
  );
  const result = checkProtocol(releases, current);
  for (const line of formatCompatCheck(result)) process.stdout.write(`${line}\n`);
  return result.ok ? 0 : 1;
}

async function changelog(values, releasesDir) {
  const releases = await readReleases(releasesDir);
  const current = await currentRelease(values);
  const toVersion = values.to ?? current.version;
  const to =
    toVersion === current.version
      ? current
      : releases.find((release) => release.version === toVersion);
  if (to === undefined) throw new UsageError(`no release ${toVersion} in ${releasesDir}`);
  let from;
  if (values.from !== undefined) {
    from = releases.find((release) => release.version === values.from);
    if (from === undefined) throw new UsageError(`no release ${values.from} in ${releasesDir}`);
  } else {
    from = releases.filter((release) => compareVersions(release.version, to.version) < 0).at(-1);
  }
  const markdown = renderChangelog(from === undefined ? { to } : { from, to });
  if (values.out === undefined) process.stdout.write(markdown);
  else {
    await writeFile(values.out, markdown);
    process.stderr.write(`protocol:changelog: wrote ${values.out}\n`);
  }
  return 0;
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      releases: { type: 'string' },
      schema: { type: 'string' },
      version: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const releasesDir = resolve(values.releases ?? join(packageDir, 'schema', 'releases'));
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(' ')}`);
  if (command === 'check') return check(values, releasesDir);
  if (command === 'changelog') return changelog(values, releasesDir);
  throw new UsageError(command === undefined ? 'no command' : `unknown command ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const usage = error instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`compat.js: ${error.message}\n${usage ? `\n${USAGE}` : ''}`);
    process.exitCode = 2;
  },
);
