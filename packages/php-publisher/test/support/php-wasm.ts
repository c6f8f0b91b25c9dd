import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as universal from '@php-wasm/universal';
import { afterAll, beforeAll } from 'vitest';
import { PHP_VERSIONS, type PhpVersion } from '../../src/php-versions.js';
import { PHP_DIR, PHP_TESTS_DIR, type PhpResult, type PhpRunner, runPhp } from './php.js';

/** The versions of PHP in WebAssembly the tests run on: every version the package supports. */
export const WASM_PHP_VERSIONS = PHP_VERSIONS;

/** A version of {@link WASM_PHP_VERSIONS}. */
export type WasmPhpVersion = PhpVersion;

/** One PHP in WebAssembly; the generated package and the test scripts at their real paths. */
export interface WasmPhp {
  /** The version PHP reports, e.g. `8.1.34`. */
  readonly version: string;
  /** Runs a script of `php/` or `test/php/`, one at a time; `phpArgs` are not supported. */
  run: PhpRunner;
  /** Frees the runtime; `run` must not be called afterwards. */
  exit(): void;
}

/** The entry of every `@php-wasm/node-8-x` package (they ship no types). */
interface PhpWasmBuild {
  getPHPLoaderModule(): Promise<unknown>;
}

/** The part of a `PHP` of `@php-wasm/universal` used here. */
interface WasmPhpInstance {
  mkdir(path: string): void;
  writeFile(path: string, data: Uint8Array): void;
  runStream(request: {
    scriptPath?: string;
    code?: string;
    body?: Uint8Array;
    env?: Record<string, string>;
  }): Promise<{
    stdoutText: Promise<string>;
    stderrText: Promise<string>;
    exitCode: Promise<number>;
  }>;
  exit(): void;
}

/**
 * The part of `@php-wasm/universal` used here. Its declarations re-export `./lib` without a
 * file extension, which NodeNext resolution does not follow: TypeScript sees no exports.
 */
interface PhpWasmUniversal {
  loadPHPRuntime(
    loader: unknown,
    options: { quit(code: number, error: unknown): never },
  ): Promise<number>;
  PHP: new (runtime: number) => WasmPhpInstance;
  setPhpIniEntries(php: WasmPhpInstance, entries: Record<string, string>): Promise<void>;
}

const { loadPHPRuntime, PHP, setPhpIniEntries } = universal as unknown as PhpWasmUniversal;

/** Writes every file under `dir` into the runtime's file system, at the same path. */
async function copyInto(php: WasmPhpInstance, dir: string): Promise<void> {
  php.mkdir(dir);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) php.mkdir(path);
    else if (entry.isFile()) php.writeFile(path, await readFile(path));
  }
}

/**
 * Starts PHP `version` in WebAssembly (about 0.2 s: start one per test file and version, not
 * per test). It runs PHP as a web request, not the CLI: a script's standard input is the
 * request body (`php://input`) and `STDIN`/`STDERR` are not defined (`test/php/bootstrap.php`
 * reads and fails accordingly); errors go to standard error, as with {@link runPhp}.
 */
export async function startWasmPhp(version: WasmPhpVersion): Promise<WasmPhp> {
  const build = (await import(`@php-wasm/node-${version.replace('.', '-')}`)) as PhpWasmBuild;
  const php = new PHP(
    await loadPHPRuntime(await build.getPHPLoaderModule(), {
      // Emscripten exits the Node.js process when PHP exits; throw instead.
      quit: (_code: number, error: unknown) => {
        throw error;
      },
    }),
  );
  // As runPhp: every error reported, on standard error only (this SAPI displays errors on
  // standard output, so they are logged instead).
  await setPhpIniEntries(php, {
    error_reporting: '-1',
    display_errors: '0',
    log_errors: '1',
  });
  await copyInto(php, PHP_DIR);
  await copyInto(php, PHP_TESTS_DIR);
  const reported = await (await php.runStream({ code: '<?php echo PHP_VERSION;' })).stdoutText;

  // One request at a time: a PHP runtime is single-threaded.
  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (
    script: string,
    options: Parameters<PhpRunner>[1] = {},
  ): Promise<PhpResult> => {
    if (options.phpArgs !== undefined) throw new TypeError('phpArgs need the system php');
    const response = await php.runStream({
      scriptPath: script,
      body: new TextEncoder().encode(options.input ?? ''),
      env: { POSTBODE_PHP_DIR: PHP_DIR, ...options.env },
    });
    const [stdout, stderr, code] = await Promise.all([
      response.stdoutText,
      response.stderrText,
      response.exitCode,
    ]);
    return { code, stdout, stderr };
  };
  return {
    version: reported,
    run: (script, options) => {
      const result = queue.then(() => runOne(script, options));
      queue = result.catch(() => undefined);
      return result;
    },
    exit: () => php.exit(),
  };
}

/** A PHP the pure-PHP tests run on: the system's `php`, or a version in WebAssembly. */
export interface PhpRuntime {
  /** For test names, e.g. `PHP 8.1 (WebAssembly)`. */
  name: string;
  /** A WebAssembly version; the system's `php` when absent. */
  wasm?: WasmPhpVersion;
}

/**
 * Where the tests that need no extension beyond a stock PHP (no phpredis, Redis or network)
 * run: the system's `php`, which also runs the Redis and HTTP tests, and every supported
 * version in WebAssembly. For `describe.each(PURE_PHP_RUNTIMES)('on $name', ...)`.
 */
export const PURE_PHP_RUNTIMES: readonly PhpRuntime[] = [
  { name: 'the system php' },
  ...WASM_PHP_VERSIONS.map((wasm) => ({ name: `PHP ${wasm} (WebAssembly)`, wasm })),
];

/**
 * In a `describe` block: the runner of `runtime`, started before its tests (once) and freed
 * after them. Asserts that a WebAssembly runtime is the version it claims to be.
 */
export function usePhpRuntime(runtime: PhpRuntime): PhpRunner {
  let wasm: WasmPhp | undefined;
  beforeAll(async () => {
    if (runtime.wasm === undefined) return;
    wasm = await startWasmPhp(runtime.wasm);
    if (!wasm.version.startsWith(`${runtime.wasm}.`)) {
      throw new Error(`@php-wasm/node for ${runtime.wasm} runs PHP ${wasm.version}`);
    }
  });
  afterAll(() => {
    wasm?.exit();
  });
  return (script, options) => {
    if (runtime.wasm === undefined) return runPhp(script, options);
    if (wasm === undefined) throw new Error(`${runtime.name} has not started`);
    return wasm.run(script, options);
  };
}
