import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The committed, generated composer package. */
export const PHP_DIR = join(PACKAGE_DIR, 'php');

/** The plain PHP test scripts. */
export const PHP_TESTS_DIR = join(PACKAGE_DIR, 'test', 'php');

/** What a PHP process did. */
export interface PhpResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runPhp}. */
export interface RunPhpOptions {
  /** Written to the script's standard input (usually JSON). */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Extra `php` arguments before the script, e.g. `['-l']`. */
  phpArgs?: string[];
}

/** Runs a PHP script (a path) with the options; never rejects for a non-zero exit. */
export type PhpRunner = (script: string, options?: RunPhpOptions) => Promise<PhpResult>;

/**
 * Runs `php` on a script (a path) and resolves with its exit code and output; never rejects
 * for a non-zero exit (tests assert on the code). Errors go to stderr, never into stdout.
 */
export function runPhp(script: string, options: RunPhpOptions = {}): Promise<PhpResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'php',
      [
        '-d',
        'display_errors=stderr',
        '-d',
        'error_reporting=-1',
        ...(options.phpArgs ?? []),
        script,
      ],
      {
        env: { ...process.env, POSTBODE_PHP_DIR: PHP_DIR, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`could not run php ${script}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    // A script that never reads its input (php -l) may exit before it is written: that EPIPE
    // says nothing about the run, whose outcome is its exit code and output.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** Options of {@link runPhpJson}. */
export interface RunPhpJsonOptions extends Omit<RunPhpOptions, 'input'> {
  /**
   * The PHP to run it with.
   * @default runPhp (the system's `php`)
   */
  php?: PhpRunner;
}

/**
 * Runs one of the scripts in `test/php` with JSON input and parses its JSON output. Rejects
 * with the script's output when it exits non-zero (its own assertions failed).
 */
export async function runPhpJson<T>(
  name: string,
  input: unknown,
  options: RunPhpJsonOptions = {},
): Promise<T> {
  const { php = runPhp, ...rest } = options;
  const result = await php(join(PHP_TESTS_DIR, name), {
    ...rest,
    input: JSON.stringify(input),
  });
  if (result.code !== 0) {
    throw new Error(
      `php ${name} exited with ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout) as T;
}
