import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHABLE, type PublishableName, pack, tempDir } from './support/outside.js';
import { REPO_ROOT } from './support/readme-examples.js';

const run = promisify(execFile);
const names = Object.keys(PUBLISHABLE) as PublishableName[];

// Issue 18: every tarball a newcomer installs carries a README, and nothing that only works
// inside the workspace.
describe('the packed packages (pnpm pack)', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let tarballs: Record<string, string>;
  const listing = new Map<string, string[]>();

  beforeAll(async () => {
    temp = await tempDir('pack');
    tarballs = await pack(names, temp.dir);
    for (const name of names) {
      const { stdout } = await run('tar', ['-tzf', tarballs[name] ?? '']);
      listing.set(name, stdout.split('\n').filter(Boolean));
    }
  });
  afterAll(() => temp?.remove());

  it('are exactly the workspace packages that are not private', async () => {
    const { stdout } = await run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], {
      cwd: REPO_ROOT,
    });
    const workspace = JSON.parse(stdout) as { name: string; private?: boolean }[];
    const published = workspace.filter((p) => p.private !== true && p.name !== 'postbode');
    expect(published.map((p) => p.name).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s has a README.md, named in its package.json files', async (name) => {
    expect(listing.get(name)).toContain('package/README.md');
    const manifest = JSON.parse(
      await readFile(`${REPO_ROOT}${PUBLISHABLE[name]}/package.json`, 'utf8'),
    ) as { files: string[] };
    expect(manifest.files).toContain('README.md');
  });

  it.each(names)('%s names real versions of its workspace dependencies', async (name) => {
    const { stdout } = await run('tar', ['-xzOf', tarballs[name] ?? '', 'package/package.json']);
    expect(stdout).not.toContain('workspace:');
  });
});
