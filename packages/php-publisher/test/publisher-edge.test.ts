import { describe, expect, it } from 'vitest';
import { runPhpJson } from './support/php.js';

describe('the generated PHP, beyond what JSON cases express (test/php/publisher-edge.php)', () => {
  it('passes every check of the script', async () => {
    const passed = await runPhpJson<string[]>('publisher-edge.php', null);
    expect(passed).toContain('invalid UTF-8 throws InvalidPayload (utf8)');
    expect(passed).toContain('a \\DateTimeInterface is sent as integer milliseconds');
    expect(passed).toContain('an empty users audience throws');
    expect(passed).toContain('any transport error becomes PublishFailed, with the cause');
    expect(passed.length).toBeGreaterThanOrEqual(35);
  });
});
