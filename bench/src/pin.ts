import { execFileSync } from 'node:child_process';

/**
 * Pins a process and all its threads to one CPU with `taskset -a -c -p`. Children inherit the
 * affinity, so the orchestrator pins itself to the load core first and everything it starts
 * (Redis, the publisher, the load generator) follows; each server pins itself to the server
 * core. Returns false when `taskset` is missing or the core does not exist (then nothing is
 * pinned and the report says so).
 */
export function pinToCpu(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-c', '-p', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
