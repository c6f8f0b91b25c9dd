import { readdirSync, readFileSync } from 'node:fs';

/** One process as Linux's `/proc` shows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** `R`, `S`, `D`, `T`, `Z` (zombie: exited, not yet reaped), ... */
  state: string;
  /** Start time in clock ticks after boot: `pid` and `startTime` name one process, even after the pid is reused. */
  startTime: number;
  /** The command line, arguments joined by spaces; empty for kernel threads. */
  args: string;
}

/** The process `pid` (from `/proc/<pid>/stat` and `cmdline`), or undefined when it is gone. */
export function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid pgrp session ...`: comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      state: fields[0] ?? '',
      startTime: Number(fields[19]),
      args,
    };
  } catch {
    return undefined;
  }
}

/**
 * Every process on the machine (Linux, from `/proc`), like `ps -eo pid,ppid,pgid,stat,args`.
 * Tests use it to find what a program left running; {@link stopProcessGroup} to see through
 * zombies.
 */
export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info !== undefined) processes.push(info);
  }
  return processes;
}

/** `root` and every process below it in the parent/child tree, as `listProcesses` sees it now. */
export function processTree(root: number, processes = listProcesses()): ProcessInfo[] {
  const tree = processes.filter((info) => info.pid === root);
  for (let i = 0; i < tree.length; i++) {
    const parent = (tree[i] as ProcessInfo).pid;
    tree.push(...processes.filter((info) => info.ppid === parent));
  }
  return tree;
}

/** True while the process that `info` describes runs (the same pid and start time, not a zombie). */
export function isRunning(info: ProcessInfo): boolean {
  const now = readProcess(info.pid);
  return now !== undefined && now.startTime === info.startTime && now.state !== 'Z';
}
