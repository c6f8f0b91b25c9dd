import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { GeneratedFile } from './generated-file.js';

/** Why a file under the output root is not what the generator gives. */
export interface StaleFile {
  /** Relative to the output root, with `/` separators. */
  path: string;
  /** `missing`: not there; `changed`: other contents; `extra`: generated once, no longer. */
  reason: 'missing' | 'changed' | 'extra';
}

/** Options of {@link findStaleFiles}. */
export interface FindStaleFilesOptions {
  /**
   * A text that only generated files contain (e.g. `@generated`). When given, every file under
   * the root that contains it but is no longer generated is reported as `extra`. Files without
   * it are never reported.
   * @default undefined (no `extra` files: the generator owns only the files it lists)
   */
  generatedMarker?: string;
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
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/**
 * Compares `root` with the generated files: every file missing or different and, with a
 * marker, every marked file that is no longer generated. Sorted by path; empty when up to date.
 */
export async function findStaleFiles(
  root: string,
  files: readonly GeneratedFile[],
  options: FindStaleFilesOptions = {},
): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const current = await readFile(join(root, file.path), 'utf8').catch(() => undefined);
    if (current === undefined) stale.push({ path: file.path, reason: 'missing' });
    else if (current !== file.contents) stale.push({ path: file.path, reason: 'changed' });
  }
  const marker = options.generatedMarker;
  if (marker !== undefined) {
    const expected = new Set(files.map((file) => file.path));
    for (const path of await listFiles(root)) {
      if (expected.has(path)) continue;
      const contents = await readFile(join(root, path), 'utf8');
      if (contents.includes(marker)) stale.push({ path, reason: 'extra' });
    }
  }
  return stale.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
