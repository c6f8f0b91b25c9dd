import type { Writer, WsSocket } from './room-writers.js';

// At the throughput limit one wake-up of the event loop reads thousands of messages from Redis
// (every reply waiting on the connection), and each went to its socket in a `write` system call
// of its own: the largest cost per delivered message in the profile at the limit
// (`pnpm bench --profile --generator=socket.io-client`: `writeBuffer`, 42 % of the samples).
// When a wake-up carries more messages than there are sockets, many sockets get two or more.
//
// So once a turn of the event loop has delivered more than {@link IMMEDIATE_PER_TURN}
// messages, the direct path corks a WebSocket's TCP socket at its next write and uncorks every
// socket it corked in one `setImmediate`, which runs once the turn's I/O callbacks are done:
// a socket's later messages of that wake-up leave in one `writev`. The first messages of a
// turn are written at once, as before: a message alone in its turn (any rate below the limit)
// and a broadcast (one message, every socket once) wait for nothing. The bytes and their order
// do not change: the TCP socket is one stream, and what else writes to it (engine.io's pings,
// socket.io's own path) queues behind in order. Cork counts nest (connect-writes.ts corks the
// same sockets at connect). The buffer limit is on what the client has not read, so a socket
// over it is uncorked before it is judged (deliver.ts).

/** Messages a turn of the event loop writes at once before it holds writes to its end. */
export const IMMEDIATE_PER_TURN = 16;

/** Corks of one turn of the event loop. */
export interface WriteTurn {
  /** Counts one message delivered in this turn; true when its writes are to be held. */
  next(): boolean;
  /** Corks `ws`'s TCP socket until the end of this turn, unless it is already. */
  hold(writer: Writer, ws: WsSocket): void;
  /**
   * Uncorks `writer`'s socket now (its buffered bytes go to the kernel), so what is still
   * waiting afterwards is what the client has not read: the buffer limit reads that.
   */
  release(writer: Writer): void;
}

/** The writers corked in this turn (each writer's `held` names the TCP socket it corked). */
export function createWriteTurn(): WriteTurn {
  const held: Writer[] = [];
  let messages = 0;

  const release = (writer: Writer): void => {
    const tcp = writer.held;
    if (tcp === undefined) return;
    writer.held = undefined;
    tcp.uncork();
  };

  const end = (): void => {
    messages = 0;
    // A writer released early and held again is listed twice: its second entry finds nothing.
    for (const writer of held) release(writer);
    held.length = 0;
  };

  return {
    next() {
      if (messages === 0) setImmediate(end);
      messages += 1;
      return messages > IMMEDIATE_PER_TURN;
    },
    hold(writer, ws) {
      const tcp = ws._socket;
      if (tcp === undefined || writer.held === tcp) return;
      // Another TCP socket than the one held (the transport changed within the turn): that one
      // goes first.
      release(writer);
      tcp.cork();
      writer.held = tcp;
      held.push(writer);
    },
    release,
  };
}
