import { describe, expect, it } from 'vitest';
import { runPhpJson } from './support/php.js';
import { PURE_PHP_RUNTIMES, usePhpRuntime } from './support/php-wasm.js';

describe.each(PURE_PHP_RUNTIMES)(
  'the generated PHP, beyond what JSON cases express (test/php/publisher-edge.php), on $name',
  (runtime) => {
    const php = usePhpRuntime(runtime);

    it('passes every check of the script', async () => {
      const passed = await runPhpJson<string[]>('publisher-edge.php', null, { php });
      expect(passed).toContain('invalid UTF-8 throws InvalidPayload (utf8)');
      expect(passed).toContain('a \\DateTimeInterface is sent as integer milliseconds');
      expect(passed).toContain('an empty users audience throws');
      expect(passed).toContain('any transport error becomes PublishFailed, with the cause');
      expect(passed.length).toBeGreaterThanOrEqual(35);
    });
  },
);
