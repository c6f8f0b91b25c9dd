import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { listProcesses } from './process-table.js';
import { waitUntil } from './wait-until.js';

// Why process groups (issue #19): `php -S` with PHP_CLI_SERVER_WORKERS forks workers that
// outlive a SIGTERM sent to the master alone, and any child may start children of its own.
// Every process the project starts is therefore the leader of its own group (and session),
// and is stopped by signalling the whole group.

/** Options of {@link stopProcessGroup}. */
export interface StopProcessGroupOptions {
  /**
   * The signal that asks every process of the group to stop.
   * @default 'SIGTERM'
   */
  signal?: NodeJS.Signals;
  /**
   * How long the group may take to exit before it gets SIGKILL, in ms.
   * @default 5000
   */
  timeoutMs?: number;
}

/** The defaults of {@link StopProcessGroupOptions}. */
export const STOP_PROCESS_GROUP_DEFAULTS: Required<StopProcessGroupOptions> = {
  signal: 'SIGTERM',
  timeoutMs: 5_000,
};

/** After SIGKILL: only a process stuck in the kernel takes longer than this. */
const KILLED_TIMEOUT_MS = 5_000;

/** Groups this process started that may still have members. */
const groups = new Set<number>();

/** Signals whose default action ends this process without its `exit` event. */
const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let hooked = false;

/**
 * A detached child is not killed when its parent dies, so this process kills the groups it
 * started when it exits, and when a signal ends it that nobody else handles (vitest stops a
 * worker with SIGTERM; Ctrl-C sends SIGINT). A program that handles those signals itself (the
 * demo) stops its groups there; `exit` catches whatever is left.
 */
function hookProcessExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killProcessGroups);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

function onFatalSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  killProcessGroups();
  for (const fatal of FATAL_SIGNALS) process.off(fatal, onFatalSignal);
  // No listener left: the signal's default action ends the process as it would have.
  process.kill(process.pid, signal);
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while a process of group `pgid` runs; zombies (exited, not yet reaped) do not count. */
function groupRuns(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  return listProcesses().some((info) => info.pgid === pgid && info.state !== 'Z');
}

/** Whether `child` itself has exited (by code or signal); not re-exported by the package. */
export function leaderExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts `command` as the leader of a new process group (`spawn` with `detached: true`), so
 * that {@link stopProcessGroup} can stop it with everything it starts. The group is killed
 * (SIGKILL) when this process exits, or dies of SIGINT, SIGTERM or SIGHUP that it does not
 * handle itself.
 *
 * @example
 * const php = spawnProcessGroup('php', ['-S', `127.0.0.1:${port}`], { stdio: 'ignore' });
 * // ... php's master and its PHP_CLI_SERVER_WORKERS workers serve ...
 * await stopProcessGroup(php); // SIGTERM to all of them, SIGKILL after 5 s
 */
export function spawnProcessGroup(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pgid = child.pid;
  // Without a pid the spawn failed (`error` event, e.g. ENOENT): there is no group.
  if (pgid !== undefined) {
    hookProcessExit();
    groups.add(pgid);
    child.once('exit', () => {
      if (!groupRuns(pgid)) groups.delete(pgid);
    });
  }
  return child;
}

/**
 * Sends `signal` to every process of the group `child` leads. Returns false when the group
 * has no process left.
 */
export function signalProcessGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  return child.pid !== undefined && signalGroup(child.pid, signal);
}

/**
 * Stops the group that `child` leads (from {@link spawnProcessGroup}): `signal` to all its
 * processes (with SIGCONT, so that stopped ones act on it), SIGKILL to those left after
 * `timeoutMs`, and resolves once the leader has exited and no process of the group runs.
 * Idempotent.
 */
export async function stopProcessGroup(
  child: ChildProcess,
  options: StopProcessGroupOptions = {},
): Promise<void> {
  const { signal, timeoutMs } = { ...STOP_PROCESS_GROUP_DEFAULTS, ...options };
  const pgid = child.pid;
  if (pgid === undefined) return;
  const ended = (): boolean => leaderExited(child) && !groupRuns(pgid);
  if (!ended()) {
    signalGroup(pgid, signal);
    if (signal !== 'SIGKILL' && signal !== 'SIGCONT') signalGroup(pgid, 'SIGCONT');
    const wait = (ms: number): Promise<boolean> =>
      waitUntil(ended, { timeoutMs: ms, intervalMs: 20 }).catch(() => false);
    if (!(await wait(timeoutMs))) {
      signalGroup(pgid, 'SIGKILL');
      if (!(await wait(KILLED_TIMEOUT_MS))) {
        throw new Error(
          `process group ${pgid} (${child.spawnargs.join(' ')}) still runs ${KILLED_TIMEOUT_MS} ms after SIGKILL`,
        );
      }
    }
  }
  groups.delete(pgid);
}

/**
 * Kills the leader alone (SIGKILL), as a crash would, and resolves once it has exited. What it
 * started keeps running until {@link stopProcessGroup}, or this process's exit.
 */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (leaderExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * SIGKILLs, synchronously, every group this process started that may still run. For an exit
 * that cannot wait (a second Ctrl-C, an `exit` handler); prefer {@link stopProcessGroup}.
 */
export function killProcessGroups(): void {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  groups.clear();
}
