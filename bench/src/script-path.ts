import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a built bench script (`dist/<name>`), from this file in `src/` (tests) or
 * `dist/` (the CLI) alike: child processes always run the compiled JavaScript.
 */
export function scriptPath(name: string): string {
  return fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
}
