import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaDocument } from '../src/compat/schema-document.js';
import { at, requiredOf } from './compat/documents.js';

// The gate as CI runs it (`pnpm protocol:check` runs this script): a copy of the release
// snapshots, a copy of the schemas with a change applied, the exit code and what it prints.

const script = fileURLToPath(new URL('../scripts/compat.js', import.meta.url));
const releases = fileURLToPath(new URL('../schema/releases', import.meta.url));

/** The 0.1.0 release with `edit` applied: a change made after that release. */
function changed(edit: (document: SchemaDocument) => void): SchemaDocument {
  const document = JSON.parse(readFileSync(join(releases, '0.1.0.json'), 'utf8')) as SchemaDocument;
  edit(document);
  return document;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('protocol:check (scripts/compat.js check)', { timeout: 30_000 }, () => {
  let dir = '';
  const write = async (name: string, schema: SchemaDocument) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(schema));
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postbode-compat-'));
    // The fixture is the 0.1.0 release alone: the cases below are changes made after it, and
    // must not depend on which later snapshots the repository holds.
    await mkdir(join(dir, 'releases'));
    await cp(join(releases, '0.1.0.json'), join(dir, 'releases', '0.1.0.json'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes on the repository as it is', async () => {
    const result = await run('check');
    expect(result.stdout).toContain('protocol:check: every change is covered by its version');
    expect(result.code).toBe(0);
  });

  it('fails CI on a breaking change without the bump, naming the path and why', async () => {
    // The change a publisher fears most: a new required payload field.
    const schema = await write(
      'breaking.json',
      changed((d) => {
        at(d, '/$defs/message.created/properties').editedAt = { type: 'integer', minimum: 0 };
        requiredOf(d, '/$defs/message.created').push('editedAt');
      }),
    );
    const released = JSON.parse(await readFile(join(releases, '0.1.0.json'), 'utf8'));
    expect(released.$defs['message.created'].properties.editedAt).toBeUndefined();
    const args = ['check', '--releases', join(dir, 'releases'), '--schema', schema];

    const unbumped = await run(...args, '--version', '0.1.0');
    expect(unbumped.code).toBe(1);
    expect(unbumped.stdout).toContain(
      'BREAKING  property-added-required  /$defs/message.created/properties/editedAt',
    );
    expect(unbumped.stdout).toContain(
      'publisher (PHP): BREAKING: older senders do not send it: the gateway rejects what they send',
    );
    expect(unbumped.stdout).toContain('release them as 0.2.0 or later');

    const patch = await run(...args, '--version', '0.1.1');
    expect(patch.code).toBe(1);
    expect(patch.stdout).toContain('breaking changes need 0.2.0 or later after 0.1.0');

    const minor = await run(...args, '--version', '0.2.0');
    expect(minor.stdout).toContain('protocol:check: every change is covered by its version');
    expect(minor.code).toBe(0);
  }, 30_000); // three runs of the script: generous on a loaded machine

  it('fails on a safe change without any bump, passes with a patch while the major is 0', async () => {
    const schema = await write(
      'safe.json',
      changed((d) => {
        at(d, '/$defs/message.created/properties').editedAt = { type: 'integer', minimum: 0 };
      }),
    );
    const args = ['check', '--releases', join(dir, 'releases'), '--schema', schema];
    expect((await run(...args, '--version', '0.1.0')).code).toBe(1);
    expect((await run(...args, '--version', '0.1.1')).code).toBe(0);
  });

  it('rejects a snapshot that is not named by a version', async () => {
    const bad = join(dir, 'bad-releases');
    await cp(join(dir, 'releases'), bad, { recursive: true });
    await writeFile(join(bad, 'latest.json'), '{"$defs":{}}');
    const result = await run('check', '--releases', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a snapshot is named <MAJOR.MINOR.PATCH>.json');
  });
});

describe('protocol:changelog (scripts/compat.js changelog)', () => {
  it('writes the notes of the first release from the repository', async () => {
    const result = await run('changelog');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# Postbode protocol \d+\.\d+\.\d+\n/);
  });

  it('writes the differences between two versions, to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'postbode-changelog-'));
    try {
      await cp(releases, dir, { recursive: true });
      const next = changed((d) => {
        (at(d, '/$defs/presence.changed/properties/status').enum as string[]).push('busy');
      });
      await writeFile(join(dir, '9.0.0.json'), JSON.stringify(next));
      const out = join(dir, 'notes.md');
      const args = ['--releases', dir, '--from', '0.1.0', '--to', '9.0.0', '--out', out];
      const result = await run('changelog', ...args);
      expect(result.code).toBe(0);
      const notes = await readFile(out, 'utf8');
      expect(notes).toContain('# Postbode protocol 9.0.0');
      expect(notes).toContain('payload field `status` of `presence.changed`: value "busy" added.');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
