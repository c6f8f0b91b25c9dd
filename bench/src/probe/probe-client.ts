import { scriptPath } from '../script-path.js';

/** Memory of a server after a forced GC (bytes), as `process.memoryUsage()` reports it. */
export interface ProbeMemory {
  pid: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** GC pauses of a server since the last reset. */
export interface ProbeGc {
  count: number;
  totalMs: number;
  maxMs: number;
  over10ms: number;
}

/** Talks to the probe preloaded into a server under test. */
export interface ProbeClient {
  readonly port: number;
  memory(): Promise<ProbeMemory>;
  gc(reset?: boolean): Promise<ProbeGc>;
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
}

/** The `NODE_OPTIONS` that preload the probe (and expose `gc`) into a Node server. */
export function probeNodeOptions(): string {
  const probe = scriptPath('probe/probe.js');
  return `--expose-gc --import=${probe}`;
}

/** A client of the probe listening on `port`. */
export function probeClient(port: number): ProbeClient {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    if (!response.ok) throw new Error(`probe ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    port,
    memory: () => get<ProbeMemory>('/memory'),
    gc: (reset = false) => get<ProbeGc>(`/gc${reset ? '?reset=1' : ''}`),
    startProfile: async () => {
      await get('/profile/start');
    },
    stopProfile: async (file) => {
      await get(`/profile/stop?file=${encodeURIComponent(file)}`);
    },
  };
}
