import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { GeneratedFile } from './generate-php-package.js';
import { GENERATED_MARKER } from './php-file.js';

/** Why a file in the output directory is not what the generator gives. */
export interface StaleFile {
  /** Relative to the output directory, with `/` separators. */
  path: string;
  /** `missing`: not there; `changed`: other contents; `extra`: generated once, no longer. */
  reason: 'missing' | 'changed' | 'extra';
}

/** What {@link writePhpPackage} did. */
export interface WriteResult {
  /** Files written (new or changed), relative paths. */
  written: string[];
  /** Generated files removed because the generator no longer makes them. */
  removed: string[];
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/**
 * Compares `outDir` with the generated files: every file missing or different, and every
 * file that carries the generated marker but is no longer generated. Empty when up to date.
 */
export async function findStaleFiles(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  const expected = new Set(files.map((file) => file.path));
  for (const file of files) {
    const current = await readFile(join(outDir, file.path), 'utf8').catch(() => undefined);
    if (current === undefined) stale.push({ path: file.path, reason: 'missing' });
    else if (current !== file.contents) stale.push({ path: file.path, reason: 'changed' });
  }
  for (const path of await listFiles(outDir)) {
    if (expected.has(path)) continue;
    const contents = await readFile(join(outDir, path), 'utf8');
    if (contents.includes(GENERATED_MARKER)) stale.push({ path, reason: 'extra' });
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Writes the generated files into `outDir`, touching only files whose contents change, and
 * removes generated files (those with the marker) that are no longer generated. Files
 * without the marker are never removed.
 */
export async function writePhpPackage(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<WriteResult> {
  const result: WriteResult = { written: [], removed: [] };
  for (const { path, reason } of await findStaleFiles(outDir, files)) {
    const target = join(outDir, path);
    if (reason === 'extra') {
      await rm(target);
      result.removed.push(path);
      continue;
    }
    const file = files.find((candidate) => candidate.path === path);
    if (file === undefined) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.contents);
    result.written.push(path);
  }
  return result;
}
