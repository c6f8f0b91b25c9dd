import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findStaleFiles } from '@postbode/codegen';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_LAYOUT } from '../src/build-model.js';
import { generatePhpPackage } from '../src/generate-php-package.js';
import { GENERATED_MARKER } from '../src/php-file.js';
import { PACKAGE_DIR, PHP_DIR, runPhp } from './support/php.js';

const run = promisify(execFile);
const CLI = join(PACKAGE_DIR, 'dist', 'cli.js');
const SCRIPT = join(PACKAGE_DIR, 'scripts', 'generate.js');

/** Runs a node script; resolves with its exit code and output. */
async function node(
  script: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs the built `postbode-php` bin. */
const cli = (args: string[]) => node(CLI, args);

/** Fails with a hint when the package has not been built. */
async function assertBuilt(): Promise<void> {
  await readFile(CLI).catch(() => {
    throw new Error(
      `${CLI} is missing: build first (pnpm turbo run build --filter=@postbode/php-publisher...)`,
    );
  });
}

/**
 * Edits a copy of php/ as a careless hand would: a changed file, a deleted one, a leftover
 * generated file of an older generator and a file of the user's own.
 */
async function spoil(out: string): Promise<void> {
  await cp(PHP_DIR, out, { recursive: true });
  const publisher = join(out, 'src', 'Publisher.php');
  await writeFile(
    publisher,
    (await readFile(publisher, 'utf8')).replace('maxLength: 10000', 'maxLength: 20000'),
  );
  await rm(join(out, 'src', 'Actions.php'));
  await writeFile(join(out, 'src', 'Old.php'), `<?php\n// ${GENERATED_MARKER}\n`);
  await writeFile(join(out, 'src', 'Mine.php'), '<?php\n// not generated\n');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('the committed php/ (golden files; the drift check)', () => {
  it('is exactly what the generator produces from the protocol', async () => {
    const files = generatePhpPackage();
    expect(await listFiles(PHP_DIR)).toEqual(files.map((file) => file.path));
    for (const file of files) {
      // One assertion per file, so a failure names the stale file.
      expect(await readFile(join(PHP_DIR, file.path), 'utf8'), file.path).toBe(file.contents);
    }
    // Nor any file that says it is generated but is no longer.
    expect(await findStaleFiles(PHP_DIR, files, { generatedMarker: GENERATED_MARKER })).toEqual([]);
  });

  it('is generated deterministically: two runs give identical bytes', () => {
    expect(generatePhpPackage()).toEqual(generatePhpPackage());
  });

  it('marks every generated source file, with no timestamp', () => {
    for (const file of generatePhpPackage()) {
      if (file.path.endsWith('.php') || file.path.endsWith('.md')) {
        expect(file.contents, file.path).toContain(`${GENERATED_MARKER}: do not edit`);
      }
      expect(file.contents, file.path).not.toMatch(/20\d\d-\d\d-\d\d/);
    }
  });

  it("copies the protocol's read.lua byte for byte, for Publisher::cursor()", async () => {
    const protocol = await readFile(
      new URL(import.meta.resolve('@postbode/protocol/redis/read.lua')),
      'utf8',
    );
    const copy = generatePhpPackage().find((file) => file.path === 'src/Resources/read.lua');
    expect(copy?.contents).toBe(protocol);
  });

  it('writes composer.json as the issue asks', () => {
    const composer = JSON.parse(
      generatePhpPackage().find((file) => file.path === 'composer.json')?.contents ?? '{}',
    );
    expect(composer).toMatchObject({
      name: 'postbode/publisher',
      require: { php: '>=8.1', 'ext-json': '*' },
      autoload: { 'psr-4': { 'Postbode\\': 'src/' } },
    });
    expect(Object.keys(composer.require)).toEqual(['php', 'ext-json']);
    expect(Object.keys(composer.suggest)).toEqual(
      expect.arrayContaining(['ext-redis', 'predis/predis']),
    );
  });
});

describe('pnpm generate (scripts/generate.js, through @postbode/codegen)', () => {
  let dir: string;

  beforeAll(async () => {
    await assertBuilt();
    dir = await mkdtemp(join(tmpdir(), 'postbode-php-generate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--check passes on the committed php/', async () => {
    expect(await node(SCRIPT, ['--check'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('--check fails on a hand edit, a deleted file and a leftover generated file, listing them', async () => {
    // The script writes the php/ beside it: run it from a copy of the package whose php/ is
    // spoilt, with the real build and dependencies.
    const copy = join(dir, 'package');
    await mkdir(join(copy, 'scripts'), { recursive: true });
    await cp(SCRIPT, join(copy, 'scripts', 'generate.js'));
    await symlink(join(PACKAGE_DIR, 'dist'), join(copy, 'dist'));
    await symlink(join(PACKAGE_DIR, 'node_modules'), join(copy, 'node_modules'));
    await spoil(join(copy, 'php'));
    const script = join(copy, 'scripts', 'generate.js');

    const result = await node(script, ['--check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed: src/Publisher.php');
    expect(result.stderr).toContain('missing: src/Actions.php');
    expect(result.stderr).toContain('extra: src/Old.php');
    expect(result.stderr).not.toContain('Mine.php');

    // Generating repairs it, removes the leftover generated file and keeps the user's own.
    const write = await node(script);
    expect(write.code).toBe(0);
    expect(write.stdout).toContain('wrote src/Publisher.php');
    expect(write.stdout).toContain('removed src/Old.php');
    expect(await node(script, ['--check'])).toMatchObject({ code: 0 });
    expect(await readFile(join(copy, 'php', 'src', 'Mine.php'), 'utf8')).toContain('not generated');
    // A second run writes nothing.
    expect((await node(script)).stdout).toBe('');
  });
});

describe('postbode-php (the published CLI)', () => {
  let dir: string;

  beforeAll(async () => {
    await assertBuilt();
    dir = await mkdtemp(join(tmpdir(), 'postbode-php-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--check passes on the committed php/', async () => {
    const result = await cli(['--out', PHP_DIR, '--check']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });

  it('--check fails on a hand edit and a deleted file, listing them; writing repairs them', async () => {
    const out = join(dir, 'edited');
    await spoil(out);

    const result = await cli(['--out', out, '--check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('changed: src/Publisher.php');
    expect(result.stderr).toContain('missing: src/Actions.php');
    expect(result.stderr).not.toContain('Mine.php');

    const write = await cli(['--out', out]);
    expect(write.code).toBe(0);
    expect(write.stdout).toContain('wrote src/Publisher.php');
    expect(write.stdout).toContain('wrote src/Actions.php');
    expect(await cli(['--out', out, '--check'])).toMatchObject({ code: 0 });
    // It writes only what it generates: other files stay as they are.
    expect(await readFile(join(out, 'src', 'Mine.php'), 'utf8')).toContain('not generated');
    // A second run writes nothing.
    expect((await cli(['--out', out])).stdout).toBe('');
  });

  it('--namespace generates another namespace that PHP loads', async () => {
    const out = join(dir, 'acme');
    expect((await cli(['--out', out, '--namespace', 'Acme\\Realtime'])).code).toBe(0);
    const composer = JSON.parse(await readFile(join(out, 'composer.json'), 'utf8'));
    expect(composer.autoload['psr-4']).toEqual({ 'Acme\\Realtime\\': 'src/' });
    const script = join(dir, 'acme.php');
    await writeFile(
      script,
      `<?php
declare(strict_types=1);
require ${JSON.stringify(join(out, 'autoload.php'))};
final class Capture implements Acme\\Realtime\\Transport\\Transport {
    public string $json = '';
    public function publish(string $json): void { $this->json = $json; }
}
$capture = new Capture();
$publisher = new Acme\\Realtime\\Publisher($capture);
$publisher->conversationUnread(Acme\\Realtime\\Audience::everyone(), 'c-1', 1, 2);
try {
    $publisher->cursor();
} catch (Acme\\Realtime\\CursorUnavailable $e) {
    $unavailable = $e->getMessage();
}
echo json_encode(['sent' => json_decode($capture->json), 'unavailable' => $unavailable ?? null,
    'stream' => Acme\\Realtime\\Transport\\StreamTransport::DEFAULT_STREAM]);
`,
    );
    const result = await runPhp(script);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout);
    expect(output.sent).toMatchObject({
      action: 'conversation.unread',
      data: { conversationId: 'c-1', unread: 1, totalUnread: 2 },
      to: { all: true },
    });
    expect(output.unavailable).toMatch(/^Capture cannot read the stream's cursor/);
    expect(output.stream).toBe(STREAM_LAYOUT.defaultStream);
  });

  it('rejects unknown options and bad namespaces with a message', async () => {
    const unknown = await cli(['--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: postbode-php');
    const bad = await cli(['--out', join(dir, 'bad'), '--namespace', 'Acme\\List']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("'List' in namespace");
  });
});
