import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`); 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) a process has used so far, read from `/proc/<pid>/stat`:
 * measured from outside, so it is the same for every target whatever it runs on.
 */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/**
 * CPU seconds a process has used so far, split into user (its own code: JavaScript, V8, libuv)
 * and system (the kernel working for it: for a server on loopback, mostly the TCP writes, which
 * carry the receiver's side of loopback too), from `/proc/<pid>/stat`.
 */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

/**
 * The number after `<field>:` on its line of `/proc/<pid>/<file>`; undefined when the file or
 * the field is missing (the process is gone, or the kernel does not account it).
 */
function procField(pid: number, file: 'io' | 'status', field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(
      readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * Write system calls (`write`, `writev`, `send*`) a process has made so far: `syscw` of
 * `/proc/<pid>/io`. NaN when the kernel does not account I/O per task.
 */
export function writeCalls(pid: number): number {
  return procField(pid, 'io', 'syscw') ?? Number.NaN;
}

/**
 * How many times the process's main thread has gone to sleep of its own accord so far
 * (`voluntary_ctxt_switches` of `/proc/<pid>/status`, the thread group leader's): for an event
 * loop, one per wait in `epoll_wait` that found nothing ready, so the difference over a window
 * counts the loop's wake-ups. NaN when the field is missing.
 */
export function voluntarySwitches(pid: number): number {
  return procField(pid, 'status', 'voluntary_ctxt_switches') ?? Number.NaN;
}

/** One `kB` field of `/proc/<pid>/status`, in bytes (0 once the process is gone). */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return (procField(pid, 'status', field) ?? 0) * 1024;
}

/** Resident set size of a process in bytes, from `/proc/<pid>/status` (0 once it is gone). */
export function rssBytes(pid: number): number {
  return statusBytes(pid, 'VmRSS');
}

/** The peak resident set size of a process so far (`VmHWM`), bytes (0 once it is gone). */
export function peakRssBytes(pid: number): number {
  return statusBytes(pid, 'VmHWM');
}

/**
 * Seconds a process's main thread has spent runnable but waiting for a CPU so far (the second
 * field of `/proc/<pid>/schedstat`, ns): time the scheduler made it wait, whatever it would
 * have done. NaN when the kernel does not keep scheduler statistics.
 */
export function runQueueWaitSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
}
