import type { JoinMode } from '../loadgen/eio-client.js';
import type { ProbeClient } from '../probe/probe-client.js';
import type { Wire } from '../publisher/wire.js';

/** What every target is started with. */
export interface TargetContext {
  /** `redis://127.0.0.1:<port>` of the run's Redis. */
  redisUrl: string;
  /** HS256 secret the load generator signs tokens with. */
  jwtSecret: string;
  /** The core servers are pinned to (undefined: not pinned). */
  serverCpu: number | undefined;
  /** More `POSTBODE_*` settings for Postbode's gateway (other targets ignore them). */
  gatewayEnv?: Record<string, string>;
}

/** A started server under test. */
export interface RunningTarget {
  /** The server's pid, for `/proc/<pid>/stat`. */
  readonly pid: number;
  /** `ws://127.0.0.1:<port>` (or `http://` for the polling endpoint). */
  readonly origin: string;
  /** The probe preloaded into the server. */
  readonly probe: ProbeClient;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** One system under test: how to start it, and how clients and the publisher talk to it. */
export interface Target {
  /** Short id used in the JSON report (`postbode`, `relay`, ...). */
  readonly id: string;
  /** Name in the table. */
  readonly label: string;
  /** Versions of what it runs on, for the report. */
  readonly versions: string;
  /** Engine.IO protocol of its socket.io: 4 (socket.io 4) or 3 (socket.io 2). */
  readonly eio: 3 | 4;
  readonly join: JoinMode;
  /** Channels each client subscribes to (`subscribe` joins); `{user}` is the user id. */
  readonly channels?: string[];
  readonly wire: Wire;
  /**
   * The target this one is a variant of: the same server fed another way (Postbode's stream
   * beside its pub/sub channel). A variant skips the connection storms (nothing it changes is
   * measured there), and its ratio column is itself ÷ that target, per repetition.
   */
  readonly variantOf?: string;
  /** A Postbode gateway build's `main.js` (Postbode targets only): scenario (i) starts it. */
  readonly gatewayEntry?: string;
  start(context: TargetContext): Promise<RunningTarget>;
}
