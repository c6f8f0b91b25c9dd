import type { ChildProcess } from 'node:child_process';

/**
 * Collects what a child writes on its piped stdout and stderr, interleaved as it arrives, for
 * the error message when it fails or exits early. Returns a reader of the text so far.
 *
 * @example
 * const child = spawnProcessGroup('nginx', args, { stdio: ['ignore', 'pipe', 'pipe'] });
 * const output = collectOutput(child);
 * // ... if (child.exitCode !== null) throw new Error(`nginx exited:\n${output()}`);
 */
export function collectOutput(child: ChildProcess): () => string {
  let text = '';
  const append = (chunk: Buffer): void => {
    text += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}
