import { describe, expect, it } from 'vitest';
import { STREAM_LAYOUT } from '../src/build-model.js';
import { runPhpJson } from './support/php.js';
import { PURE_PHP_RUNTIMES, usePhpRuntime } from './support/php-wasm.js';

describe.each(PURE_PHP_RUNTIMES)(
  'the generated PHP, beyond what JSON cases express (test/php/publisher-edge.php), on $name',
  (runtime) => {
    const php = usePhpRuntime(runtime);

    it('passes every check of the script', async () => {
      const passed = await runPhpJson<string[]>(
        'publisher-edge.php',
        { defaultStream: STREAM_LAYOUT.defaultStream },
        { php },
      );
      expect(passed).toContain('invalid UTF-8 throws InvalidPayload (utf8)');
      expect(passed).toContain('a \\DateTimeInterface is sent as integer milliseconds');
      expect(passed).toContain('an empty users audience throws');
      expect(passed).toContain('any transport error becomes PublishFailed, with the cause');
      expect(passed).toContain('a Cursor encodes to exactly {"epoch", "offset"}');
      expect(passed).toContain(
        'cursor() through a transport that does not append to the stream throws CursorUnavailable naming it',
      );
      expect(passed).toContain(
        'new epochs are random UUIDs (version 4), as the gateway makes them',
      );
      expect(passed.length).toBeGreaterThanOrEqual(50);
    });
  },
);
