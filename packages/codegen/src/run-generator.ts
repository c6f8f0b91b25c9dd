import type { FindStaleFilesOptions } from './find-stale-files.js';
import { findStaleFiles } from './find-stale-files.js';
import type { GeneratedFile } from './generated-file.js';
import { writeGeneratedFiles } from './write-generated-files.js';

/** Options of {@link runGenerator}. */
export interface RunGeneratorOptions extends FindStaleFilesOptions {
  /** The generator's name, first on each line it prints. */
  name: string;
  /** Where the paths of `files` are relative to. */
  root: string;
  /**
   * Write nothing; report the stale files and fail when there are any.
   * @default process.argv includes '--check'
   */
  check?: boolean;
  /**
   * Where lines go.
   * @default process.stdout / process.stderr
   */
  out?: { log(line: string): void; error(line: string): void };
}

const processOut = {
  log: (line: string) => process.stdout.write(`${line}\n`),
  error: (line: string) => process.stderr.write(`${line}\n`),
};

/**
 * The body of every generator script: writes `files` (only what changed) or, with `--check`,
 * lists what is stale and returns 1. Returns the exit code; the caller sets it.
 *
 * @example
 * process.exitCode = await runGenerator([{ path: 'ACTIONS.md', contents }], { name: 'actions', root });
 */
export async function runGenerator(
  files: readonly GeneratedFile[],
  options: RunGeneratorOptions,
): Promise<number> {
  const out = options.out ?? processOut;
  const check = options.check ?? process.argv.includes('--check');
  if (check) {
    const stale = await findStaleFiles(options.root, files, options);
    if (stale.length === 0) return 0;
    out.error(
      `${options.name}: ${stale.length} generated file(s) under ${options.root} are stale (run pnpm generate and commit the result):`,
    );
    for (const file of stale) out.error(`  ${file.reason}: ${file.path}`);
    return 1;
  }
  const { written, removed } = await writeGeneratedFiles(options.root, files, options);
  for (const path of written) out.log(`${options.name}: wrote ${path}`);
  for (const path of removed) out.log(`${options.name}: removed ${path}`);
  return 0;
}
