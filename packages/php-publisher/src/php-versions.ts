/**
 * The PHP versions the generated package supports, oldest first: its composer.json requires
 * the first or later, its README names them, and the package's tests that need no extension
 * run on each of them (in WebAssembly, `@php-wasm/node-8-x`). Add a version when PHP releases
 * one, with its `@php-wasm` package.
 */
export const PHP_VERSIONS = ['8.1', '8.2', '8.3', '8.4', '8.5'] as const;

/** A version of {@link PHP_VERSIONS}, e.g. `8.1`. */
export type PhpVersion = (typeof PHP_VERSIONS)[number];

/** The oldest PHP the generated package runs on (`8.1`: readonly properties, enums, `never`). */
export const MINIMUM_PHP_VERSION: PhpVersion = PHP_VERSIONS[0];
