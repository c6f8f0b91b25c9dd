import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findStaleFiles } from '../src/find-stale-files.js';
import { replaceBetweenMarkers } from '../src/replace-between-markers.js';
import { runGenerator } from '../src/run-generator.js';
import { writeGeneratedFiles } from '../src/write-generated-files.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'postbode-codegen-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const lines = () => {
  const log: string[] = [];
  return { log, out: { log: (l: string) => log.push(l), error: (l: string) => log.push(l) } };
};

describe('writeGeneratedFiles / findStaleFiles', () => {
  it('writes missing and changed files, then reports nothing stale', async () => {
    const files = [
      { path: 'a.txt', contents: 'a\n' },
      { path: 'sub/b.txt', contents: 'b\n' },
    ];
    expect(await findStaleFiles(root, files)).toEqual([
      { path: 'a.txt', reason: 'missing' },
      { path: 'sub/b.txt', reason: 'missing' },
    ]);
    expect(await writeGeneratedFiles(root, files)).toEqual({
      written: ['a.txt', 'sub/b.txt'],
      removed: [],
    });
    expect(await readFile(join(root, 'sub/b.txt'), 'utf8')).toBe('b\n');
    await writeFile(join(root, 'a.txt'), 'edited by hand\n');
    expect(await findStaleFiles(root, files)).toEqual([{ path: 'a.txt', reason: 'changed' }]);
    expect((await writeGeneratedFiles(root, files)).written).toEqual(['a.txt']);
    expect(await findStaleFiles(root, files)).toEqual([]);
  });

  it('removes marked files no longer generated, and never unmarked ones', async () => {
    await writeFile(join(root, 'old.txt'), '@generated old\n');
    await writeFile(join(root, 'mine.txt'), 'hand-written\n');
    const files = [{ path: 'new.txt', contents: '@generated new\n' }];
    expect(await findStaleFiles(root, files, { generatedMarker: '@generated' })).toEqual([
      { path: 'new.txt', reason: 'missing' },
      { path: 'old.txt', reason: 'extra' },
    ]);
    const result = await writeGeneratedFiles(root, files, { generatedMarker: '@generated' });
    expect(result).toEqual({ written: ['new.txt'], removed: ['old.txt'] });
    expect(await readFile(join(root, 'mine.txt'), 'utf8')).toBe('hand-written\n');
  });
});

describe('runGenerator', () => {
  it('--check writes nothing, names each stale file and returns 1; 0 once written', async () => {
    const files = [{ path: 'x.md', contents: 'x\n' }];
    const first = lines();
    expect(await runGenerator(files, { name: 'gen', root, check: true, out: first.out })).toBe(1);
    expect(first.log).toEqual([
      `gen: 1 generated file(s) under ${root} are stale (run pnpm generate and commit the result):`,
      '  missing: x.md',
    ]);
    const write = lines();
    expect(await runGenerator(files, { name: 'gen', root, check: false, out: write.out })).toBe(0);
    expect(write.log).toEqual(['gen: wrote x.md']);
    const again = lines();
    expect(await runGenerator(files, { name: 'gen', root, check: true, out: again.out })).toBe(0);
    expect(again.log).toEqual([]);
  });
});

describe('replaceBetweenMarkers', () => {
  it('replaces only the text between the markers', () => {
    const text = 'top\n<!-- begin:t -->\nold\n<!-- end:t -->\nbottom\n';
    expect(replaceBetweenMarkers(text, 't', 'new')).toBe(
      'top\n<!-- begin:t -->\nnew\n<!-- end:t -->\nbottom\n',
    );
  });

  it('names the markers when they are missing or out of order', () => {
    expect(() => replaceBetweenMarkers('nothing', 't', 'x')).toThrow(
      'expected exactly one "<!-- begin:t -->" followed by "<!-- end:t -->"',
    );
    expect(() => replaceBetweenMarkers('<!-- end:t --><!-- begin:t -->', 't', 'x')).toThrow(
      /begin:t/,
    );
  });
});
