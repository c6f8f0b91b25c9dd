import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionDefinition } from '@postbode/protocol';
import {
  actionNamesOf,
  compareVersions,
  parseVersion,
  type SchemaDocument,
} from '@postbode/protocol/compat';
import { PACKAGE_DIR, runPhpJson } from './php.js';

// What the mixed-versions test needs of earlier releases of the protocol (issue 15): their
// JSON Schema snapshots (@postbode/protocol/schema/releases/<version>.json) and the PHP that was
// generated from them, kept under test/fixtures/protocol-<version>/php.

/** Where the PHP of earlier releases is kept. */
export const RELEASE_FIXTURES_DIR = join(PACKAGE_DIR, 'test', 'fixtures');

/** The protocol's release snapshots. */
export const RELEASES_DIR = join(
  dirname(fileURLToPath(import.meta.resolve('@postbode/protocol/package.json'))),
  'schema',
  'releases',
);

/** The versions of the protocol that have a snapshot, oldest first. */
export async function releasedVersions(): Promise<string[]> {
  const names = await readdir(RELEASES_DIR);
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((version) => parseVersion(version) !== undefined)
    .sort(compareVersions);
}

/** The versions whose generated PHP is kept (`protocol-<version>/php`), oldest first. */
export async function versionsWithPhp(): Promise<string[]> {
  const names = await readdir(RELEASE_FIXTURES_DIR).catch(() => []);
  return names
    .map((name) => /^protocol-(.+)$/.exec(name)?.[1])
    .filter(
      (version): version is string => version !== undefined && parseVersion(version) !== undefined,
    )
    .sort(compareVersions);
}

/** The `php/` directory of the PHP generated from `version`. */
export function releasePhpDir(version: string): string {
  return join(RELEASE_FIXTURES_DIR, `protocol-${version}`, 'php');
}

/** The JSON Schema snapshot of a release. */
export async function releaseSchema(version: string): Promise<SchemaDocument> {
  return JSON.parse(await readFile(join(RELEASES_DIR, `${version}.json`), 'utf8'));
}

/**
 * The server actions of a schema document as the generator takes them (`buildModel({ actions })`):
 * each payload is the plain JSON Schema, which the generator reads as it reads TypeBox's.
 */
export function actionsOf(schema: SchemaDocument): ActionDefinition[] {
  return actionNamesOf(schema).map((name) => {
    const { description, examples, ...payload } = schema.$defs[name] as Record<string, unknown>;
    return {
      name,
      payload: payload as unknown as ActionDefinition['payload'],
      description: String(description ?? ''),
      example: (Array.isArray(examples) ? examples[0] : {}) as ActionDefinition['example'],
    };
  });
}

/** One Publisher call of `test/php/publish-release.php`. */
export interface ReleaseCall {
  method: string;
  to: { users?: string[]; roles?: string[] };
  args: Record<string, unknown>;
  dates?: string[];
}

/** What `test/php/publish-release.php` did with the PHP of a release. */
export interface ReleasePublished {
  /** A token its TokenIssuer signed for the user on the site. */
  token: string;
  /** The message ids its Publisher returned, one per call. */
  ids: string[];
}

/**
 * Signs a token and publishes through phpredis with the PHP generated from an earlier release,
 * as a backend that still runs it does. Rejects when PHP threw.
 */
export async function publishWithRelease(
  version: string,
  input: { redisPort: number; site: string; secret: string; userId: string; cases: ReleaseCall[] },
): Promise<ReleasePublished> {
  const result = await runPhpJson<ReleasePublished | { error: { class: string; message: string } }>(
    'publish-release.php',
    input,
    { env: { POSTBODE_PHP_DIR: releasePhpDir(version) } },
  );
  if ('error' in result) {
    throw new Error(`the PHP of ${version} threw ${result.error.class}: ${result.error.message}`);
  }
  return result;
}
