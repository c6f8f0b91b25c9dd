import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/build-model.js';
import { generatePhpPackage } from '../src/generate-php-package.js';
import { PHP_DIR } from './support/php.js';

// The generated composer package carries the protocol's version (issue 15): a backend's PHP
// says which protocol it speaks. Declared once, in @postbode/protocol's package.json.
describe('the protocol version of the PHP package', () => {
  it('is the version of @postbode/protocol', async () => {
    const protocol = JSON.parse(
      await readFile(new URL(import.meta.resolve('@postbode/protocol/package.json')), 'utf8'),
    );
    expect(buildModel().protocolVersion).toBe(protocol.version);
    const composer = generatePhpPackage().find((file) => file.path === 'composer.json');
    expect(JSON.parse(composer?.contents ?? '{}').version).toBe(protocol.version);
  });

  it('is in the committed composer.json', async () => {
    const composer = JSON.parse(await readFile(join(PHP_DIR, 'composer.json'), 'utf8'));
    expect(composer.version).toBe(buildModel().protocolVersion);
  });
});
