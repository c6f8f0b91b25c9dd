import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/core/error-codes.js';
import { compareOffsets, isOffset } from '../src/core/offsets.js';
import {
  CLIENT_EVENT,
  ERROR_EVENT,
  isReservedEventName,
  RESERVED_EVENTS,
  SYNC_EVENT,
  UNWATCH_EVENT,
  WATCH_EVENT,
} from '../src/core/reserved-events.js';
import { ACTION_NAME_PATTERN } from '../src/define-action.js';
import { ErrorCode } from '../src/error-code.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** The files a bundler takes in for `entry` (relative to the package), following every import. */
async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: packageDir,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    // Neither browser nor Node: an import of a platform module (node:fs) fails the build.
    platform: 'neutral',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the built core (dist/core.js)', () => {
  it('bundles from its own files alone: no TypeBox, no other package, no platform API', async () => {
    const inputs = await bundledInputs('dist/core.js');
    expect(inputs).toContain('dist/core.js');
    expect(inputs.filter((path) => !/^dist\/core(\.js$|\/)/.test(path))).toEqual([]);
  });

  it('while the main entry does pull in TypeBox (so the check above can see it)', async () => {
    const inputs = await bundledInputs('dist/index.js');
    expect(inputs.some((path) => path.includes('/node_modules/typebox/'))).toBe(true);
  });
});

describe('reserved events', () => {
  it('hold the error and sync events, and can never be taken by an action', () => {
    expect(Object.keys(RESERVED_EVENTS).sort()).toEqual([
      'postbode:error',
      'postbode:event',
      'postbode:sync',
      'postbode:unwatch',
      'postbode:watch',
    ]);
    expect([ERROR_EVENT, SYNC_EVENT]).toEqual(['postbode:error', 'postbode:sync']);
    // The table's keys are literals (so bundles drop it): the same names as the constants.
    expect(Object.keys(RESERVED_EVENTS)).toEqual([
      ERROR_EVENT,
      SYNC_EVENT,
      WATCH_EVENT,
      UNWATCH_EVENT,
      CLIENT_EVENT,
    ]);
    for (const name of Object.keys(RESERVED_EVENTS)) {
      expect(name).toMatch(/^postbode:/);
      expect(ACTION_NAME_PATTERN.test(name)).toBe(false);
    }
  });

  it('isReservedEventName knows exactly the table', () => {
    expect(isReservedEventName('postbode:error')).toBe(true);
    expect(isReservedEventName(SYNC_EVENT)).toBe(true);
    expect(isReservedEventName('message.created')).toBe(false);
    expect(isReservedEventName('postbode:unknown')).toBe(false);
    expect(isReservedEventName('toString')).toBe(false);
    expect(isReservedEventName(undefined)).toBe(false);
    // Its list of names and the table's keys are the same.
    for (const name of Object.keys(RESERVED_EVENTS)) expect(isReservedEventName(name)).toBe(true);
    expect(Object.isFrozen(RESERVED_EVENTS)).toBe(true);
  });
});

describe('schemas derive from the core', () => {
  it('the ErrorCode schema lists exactly the codes of ERROR_CODES, in order', () => {
    expect((ErrorCode as { enum?: unknown }).enum).toEqual(Object.keys(ERROR_CODES));
  });
});

describe('the sync reasons (contract 6)', () => {
  it('are exactly the five the contract names, each described', async () => {
    const { SYNC_REASONS, isSyncReason } = await import('../src/core/sync.js');
    expect(Object.keys(SYNC_REASONS)).toEqual([
      'no_cursor',
      'epoch',
      'trimmed',
      'too_many',
      'unavailable',
    ]);
    for (const description of Object.values(SYNC_REASONS))
      expect(description.length).toBeGreaterThan(10);
    expect(isSyncReason('trimmed')).toBe(true);
    expect(isSyncReason('toString')).toBe(false);
  });
});

describe('offsets (contract 6)', () => {
  it('orders stream ids by time, then sequence, as numbers', () => {
    const ids = ['10-0', '9-1', '9-0', '1764250000123-10', '1764250000123-9', '0-0', '2-0'];
    expect([...ids].sort(compareOffsets)).toEqual([
      '0-0',
      '2-0',
      '9-0',
      '9-1',
      '10-0',
      '1764250000123-9',
      '1764250000123-10',
    ]);
    expect(compareOffsets('5-3', '5-3')).toBe(0);
  });

  it('keeps the order past 2^53, where Number would round both ids to one', () => {
    expect(Number('9007199254740993')).toBe(Number('9007199254740992'));
    expect(compareOffsets('9007199254740993-0', '9007199254740992-0')).toBeGreaterThan(0);
    expect(compareOffsets('1-18446744073709551615', '1-18446744073709551614')).toBeGreaterThan(0);
    expect(compareOffsets('18446744073709551615-0', '99999999999999999-0')).toBeGreaterThan(0);
  });
});
describe('isOffset', () => {
  it('takes <ms>-<seq> decimals without leading zeros, nothing else', () => {
    for (const ok of ['0-0', '1764250000123-0', '18446744073709551615-18446744073709551615']) {
      expect(isOffset(ok), ok).toBe(true);
    }
    for (const bad of ['', '1', '01-0', '1-01', '1-0-0', '-1-0', '1.5-0', ' 1-0', 5, null]) {
      expect(isOffset(bad), String(bad)).toBe(false);
    }
  });
});
