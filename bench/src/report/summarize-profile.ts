import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** Self time of a function or a package, as a share of the profile. */
export interface ProfileEntry {
  name: string;
  share: number;
}

/** Where a profile's samples fell: by function and by package. */
export interface ProfileSummary {
  samples: number;
  functions: ProfileEntry[];
  packages: ProfileEntry[];
}

/** The package a script URL belongs to (`socket.io`, `ws`, `@postbode/protocol`, `node:` ...). */
export function packageOf(url: string): string {
  if (url === '') return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node core';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 14).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.includes('/apps/gateway/')) return '@postbode/gateway';
  if (url.includes('/packages/protocol/')) return '@postbode/protocol';
  return url.split('/').slice(-2).join('/');
}

/**
 * Reads a `.cpuprofile` (what `--cpu-prof` or the inspector writes) and sums self time per
 * function and per package: the text form of a flame graph's widest frames.
 */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  if (profile.samples !== undefined) {
    for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  } else {
    for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  }
  let total = 0;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    total += count;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === '' ? '' : ` ${packageOf(url)}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const rank = (map: Map<string, number>): ProfileEntry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, share: count / Math.max(1, total) }));
  return { samples: total, functions: rank(byFunction), packages: rank(byPackage) };
}
