import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from '@postbode/testkit';
import { PHP_DIR, runPhp } from './php.js';

/** The first PHP code block of the generated `php/README.md`: the example developers copy. */
export async function readmeExample(): Promise<string> {
  const readme = await readFile(join(PHP_DIR, 'README.md'), 'utf8');
  const match = /```php\n([\s\S]*?)```/.exec(readme);
  if (match?.[1] === undefined) throw new Error('php/README.md has no ```php example');
  return match[1];
}

/** Replaces `from` (which must be there) with `to`. */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the README example no longer contains ${from}`);
  return text.replace(from, to);
}

/**
 * Runs the README example as it is, except for what only the developer's machine knows: where
 * the package is (its autoload.php, instead of composer's) and the Redis port. Prints the
 * token it signs for the page.
 */
export async function runReadmeExample(redisPort: number): Promise<{ token: string }> {
  let script = await readmeExample();
  script = replaceOnce(
    script,
    "require __DIR__ . '/vendor/autoload.php';",
    `require ${JSON.stringify(join(PHP_DIR, 'autoload.php'))};`,
  );
  script = replaceOnce(script, "'127.0.0.1', 6379", `'127.0.0.1', ${redisPort}`);
  script += '\necho $token;\n';
  const dir = await mkdtemp(join(tmpdir(), 'postbode-readme-'));
  try {
    const file = join(dir, 'example.php');
    await writeFile(file, script);
    const result = await runPhp(file, { env: { POSTBODE_JWT_SECRET: TEST_JWT_SECRET } });
    if (result.code !== 0 || result.stderr !== '') {
      throw new Error(
        `the README example failed (${result.code}):\n${result.stderr}${result.stdout}`,
      );
    }
    return { token: result.stdout.trim() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
