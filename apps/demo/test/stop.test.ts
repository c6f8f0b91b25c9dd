import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  collectOutput,
  getFreePort,
  isRunning,
  listProcesses,
  type ProcessInfo,
  processTree,
  spawnProcessGroup,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { afterEach, describe, expect, it } from 'vitest';

// #19: `pnpm demo:php` left its PHP backend's workers (and more) running after it was stopped.
// Each case starts the built demo exactly as `pnpm demo:php` does, stops it as a user would,
// and looks for anything of it still running.
const MAIN = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));

interface RunningDemo {
  /** `node dist/server/main.js --php`, or the `sh -c` that runs it. */
  launcher: ChildProcess;
  port: number;
  /** Everything running below the launcher once the demo serves. */
  tree: ProcessInfo[];
}

let current: RunningDemo | undefined;

/** Starts the PHP demo (through `sh -c` like pnpm when `viaShell`) and waits until it serves. */
async function startDemo(viaShell: boolean, php = true): Promise<RunningDemo> {
  const port = await getFreePort();
  // `; true` keeps the shell waiting as the parent, as `sh -c "turbo ... && node ..."` does.
  const [command, args]: [string, string[]] = viaShell
    ? ['sh', ['-c', `"${process.execPath}" "${MAIN}"${php ? ' --php' : ''}; true`]]
    : [process.execPath, php ? [MAIN, '--php'] : [MAIN]];
  const started = spawnProcessGroup(command, args, {
    env: { ...process.env, DEMO_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const demo: RunningDemo = { launcher: started, port, tree: [] };
  current = demo;
  const output = collectOutput(started);
  await waitUntil(
    async () => {
      if (started.exitCode !== null) throw new Error(`the demo exited:\n${output()}`);
      const response = await fetch(`http://127.0.0.1:${port}/api/config`).catch(() => undefined);
      return response?.status === 200;
    },
    { timeoutMs: 30_000, description: `the demo on port ${port}` },
  );
  demo.tree = processTree(started.pid as number);
  return demo;
}

/** What still runs of the demo: its processes, or any process serving its port. */
function leftovers(demo: RunningDemo): string[] {
  const byPort = listProcesses().filter(
    (info) => info.state !== 'Z' && info.args.includes(`127.0.0.1:${demo.port}`),
  );
  const running = new Map(
    [...demo.tree.filter(isRunning), ...byPort].map((info) => [info.pid, info.args]),
  );
  return [...running].map(([pid, args]) => `${pid} ${args}`);
}

afterEach(async () => {
  // A failed case must not leave its demo behind either.
  if (current === undefined) return;
  await stopProcessGroup(current.launcher, { timeoutMs: 20_000 });
  for (const info of current.tree) if (isRunning(info)) process.kill(info.pid, 'SIGKILL');
  current = undefined;
});

describe('pnpm demo:php leaves nothing running', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('when stopped with %s', async (signal) => {
    const demo = await startDemo(false);
    const args = demo.tree.map((info) => info.args);
    expect(args.filter((line) => line.startsWith('php -S')).length).toBeGreaterThan(1);
    expect(args.some((line) => line.startsWith('redis-server'))).toBe(true);
    expect(args.some((line) => line.includes('gateway/dist/main.js'))).toBe(true);

    demo.launcher.kill(signal);
    const [code] = await once(demo.launcher, 'exit');
    expect(code).toBe(0);
    expect(leftovers(demo)).toEqual([]);
  });

  it('when stopped during start-up, before it has said it serves', async () => {
    const port = await getFreePort();
    const launcher = spawnProcessGroup(process.execPath, [MAIN, '--php'], {
      env: { ...process.env, DEMO_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const demo: RunningDemo = { launcher, port, tree: [] };
    current = demo;
    let said = '';
    launcher.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
    });
    // Redis and the gateway are up (their processes exist) but the demo has not said `open`.
    await waitUntil(
      () => {
        demo.tree = processTree(launcher.pid as number);
        return demo.tree.some((info) => info.args.includes('gateway/dist/main.js'));
      },
      { timeoutMs: 30_000, description: 'the demo starting its gateway' },
    );
    expect(said).not.toContain('open');
    launcher.kill('SIGTERM');
    const [code] = await once(launcher, 'exit');
    expect(code).toBe(0);
    // Everything it started in the meantime (PHP too) is gone.
    expect(leftovers({ ...demo, tree: demo.tree })).toEqual([]);
  });

  it('when the shell pnpm runs it in is stopped', async () => {
    const demo = await startDemo(true);
    expect(demo.tree.filter((info) => info.args.startsWith('php -S')).length).toBeGreaterThan(1);
    // pnpm passes a SIGTERM on to its `sh -c` alone; the demo is left without its parent.
    demo.launcher.kill('SIGTERM');
    await once(demo.launcher, 'exit');
    await waitUntil(() => leftovers(demo).length === 0, {
      timeoutMs: 20_000,
      description: 'the demo to stop after its parent',
    }).catch((error: Error) => {
      throw new Error(`${error.message}; still running:\n${leftovers(demo).join('\n')}`);
    });
  });
});

describe('pnpm demo (Node backend and its event worker) leaves nothing running', () => {
  it('when stopped with SIGTERM', async () => {
    const demo = await startDemo(false, false);
    const args = demo.tree.map((info) => info.args);
    expect(args.some((line) => line.startsWith('redis-server'))).toBe(true);
    expect(args.some((line) => line.includes('gateway/dist/main.js'))).toBe(true);

    demo.launcher.kill('SIGTERM');
    const [code] = await once(demo.launcher, 'exit');
    expect(code).toBe(0);
    expect(leftovers(demo)).toEqual([]);
  });
});
