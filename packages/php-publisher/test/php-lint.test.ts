import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../src/php-templates.js';
import { PACKAGE_DIR, PHP_DIR, PHP_TESTS_DIR, runPhp } from './support/php.js';

async function phpFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.php'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const generated = await phpFiles(PHP_DIR);
const templates = await phpFiles(TEMPLATES_DIR);
const scripts = await phpFiles(PHP_TESTS_DIR);

describe('php -l', () => {
  it('finds the generated files and the templates', () => {
    expect(generated.length).toBeGreaterThanOrEqual(14);
    expect(templates.length).toBeGreaterThanOrEqual(11);
  });

  // The templates as they are, before the generator fills their slots: real PHP.
  it.each(
    [...templates, ...generated, ...scripts].map((file) => [
      file.slice(PACKAGE_DIR.length + 1),
      file,
    ]),
  )('%s has no syntax errors', async (_name, file) => {
    const result = await runPhp(file, { phpArgs: ['-l'] });
    expect(result.stdout).toContain('No syntax errors detected');
    expect(result.code).toBe(0);
  });
});
