import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type FindStaleFilesOptions, findStaleFiles } from './find-stale-files.js';
import type { GeneratedFile } from './generated-file.js';

/** What {@link writeGeneratedFiles} did, as paths relative to the root. */
export interface WriteGeneratedResult {
  /** Files written because they were missing or different. */
  written: string[];
  /** Marked files removed because the generator no longer makes them. */
  removed: string[];
}

/**
 * Writes the generated files under `root`, touching only those whose contents change (so
 * timestamps and build caches stay put), and, with a `generatedMarker`, removes marked files
 * that are no longer generated. Files without the marker are never removed.
 */
export async function writeGeneratedFiles(
  root: string,
  files: readonly GeneratedFile[],
  options: FindStaleFilesOptions = {},
): Promise<WriteGeneratedResult> {
  const result: WriteGeneratedResult = { written: [], removed: [] };
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const { path, reason } of await findStaleFiles(root, files, options)) {
    const target = join(root, path);
    const file = byPath.get(path);
    if (reason === 'extra' || file === undefined) {
      await rm(target);
      result.removed.push(path);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.contents);
    result.written.push(path);
  }
  return result;
}
