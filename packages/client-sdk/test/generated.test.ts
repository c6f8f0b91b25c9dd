import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serverActionNames, serverActions } from '@postbode/protocol';
import { SYNC_REASONS } from '@postbode/protocol/core';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('ACTIONS.md and the README (generated from the protocol)', () => {
  it('are what the protocol gives (run `pnpm generate` when this fails)', async () => {
    await expect(
      run('node', ['scripts/generate.js', '--check'], { cwd: packageDir }),
    ).resolves.toBeDefined();
  });

  it('lists every action with its payload type', async () => {
    const text = await readFile(`${packageDir}ACTIONS.md`, 'utf8');
    for (const name of serverActionNames) {
      expect(text).toContain(`## \`${name}\``);
      expect(text).toContain(serverActions[name].description);
    }
    expect(text).toContain(
      'type Payload = { userId: string; status: "online" | "away" | "offline"; lastSeenAt?: number };',
    );
    expect(text).toContain(
      '| `attachments[].name` | `string` | optional | ≤ 255 chars | The file name to show. |',
    );
  });
});

describe('the README', () => {
  it("describes every sync reason in the protocol's words", async () => {
    const text = await readFile(`${packageDir}README.md`, 'utf8');
    for (const [reason, meaning] of Object.entries(SYNC_REASONS)) {
      expect(text).toContain(`| \`${reason}\` | ${meaning} |`);
    }
  });
});

describe('bundle size (scripts/bundle-size.js)', () => {
  it('keeps the core entry under 4 kB (min + gzip) and free of Vue, Vuex, Pinia and TypeBox', async () => {
    const { stdout } = await run('node', ['scripts/bundle-size.js', '--json'], { cwd: packageDir });
    const rows = JSON.parse(stdout) as {
      entry: string;
      gzip: number;
      imports: string[];
      inlined: string[];
      lazyInlined: string[];
    }[];
    const core = rows.find((row) => row.entry === '@postbode/client-sdk');
    expect(core?.imports).toEqual(['socket.io-client']);
    expect(core?.gzip).toBeLessThan(4096);
    // The protocol's core is inlined; TypeBox comes only with the validators, on demand.
    expect(core?.inlined).toEqual(['@postbode/protocol']);
    expect(core?.lazyInlined).toContain('typebox');
    for (const row of rows) expect(row.inlined, row.entry).not.toContain('typebox');
    expect(rows.find((row) => row.entry === '@postbode/client-sdk/vuex')?.imports).toEqual([]);
    expect(rows.find((row) => row.entry === '@postbode/client-sdk/vue')?.imports).toEqual(['vue']);
  });
});
