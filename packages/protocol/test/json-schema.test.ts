import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema } from '../src/json-schema.js';
import { serverActionNames } from '../src/server-actions.js';

const schemaFile = fileURLToPath(new URL('../schema/postbode.schema.json', import.meta.url));
const generator = fileURLToPath(new URL('../scripts/generate.js', import.meta.url));

describe('generated JSON Schema', () => {
  it('the committed file is what the schemas give (run `pnpm generate` when this fails)', async () => {
    const committed = await readFile(schemaFile, 'utf8');
    expect(committed).toBe(`${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildJsonSchema())).toBe(JSON.stringify(buildJsonSchema()));
  });

  it('holds the envelope, claims, meta, the contract 6 shapes and every action with its example', () => {
    const schema = buildJsonSchema() as {
      $defs: Record<string, { examples?: unknown[] }>;
      oneOf: unknown[];
    };
    for (const name of [
      'Envelope',
      'Audience',
      'Claims',
      'Meta',
      'ErrorCode',
      'ErrorEvent',
      'Cursor',
      'HandshakeAuth',
      'SyncEvent',
      ...serverActionNames,
    ]) {
      expect(schema.$defs[name], name).toBeDefined();
    }
    expect(schema.oneOf).toHaveLength(serverActionNames.length);
    expect(schema.$defs['message.created']?.examples).toHaveLength(1);
  });

  it('generate --check passes on the committed file', async () => {
    await expect(promisify(execFile)('node', [generator, '--check'])).resolves.toBeDefined();
  });
});
