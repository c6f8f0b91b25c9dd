import type { ChildProcess } from 'node:child_process';

/** A request from the orchestrator to a bench child process. */
interface Request {
  id: number;
  cmd: string;
  args: unknown;
}

/** The answer to a {@link Request}. */
interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A message a child sends on its own (progress counters), not an answer. */
export interface Notice {
  type: string;
  [key: string]: unknown;
}

/** Commands a child answers: each returns (a promise of) a JSON-serialisable result. */
export type Handlers = Record<string, (args: never) => unknown>;

/** Serves `handlers` to the parent over the IPC channel (in the child). */
export function serveIpc(handlers: Handlers, onNotice?: (notice: Notice) => void): void {
  process.on('message', (message: Request | Notice) => {
    if ('type' in message) {
      onNotice?.(message);
      return;
    }
    const handler = handlers[message.cmd] as ((args: unknown) => unknown) | undefined;
    const reply = (response: Omit<Response, 'id'>): void => {
      process.send?.({ id: message.id, ...response });
    };
    if (handler === undefined) {
      reply({ ok: false, error: `unknown command ${message.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => reply({ ok: true, result }),
        (error: unknown) => reply({ ok: false, error: String((error as Error)?.stack ?? error) }),
      );
  });
}

/** Calls a child's commands and receives its notices (in the parent). */
export interface IpcClient {
  call<T>(cmd: string, args?: unknown): Promise<T>;
  notify(notice: Notice): void;
  onNotice(listener: (notice: Notice) => void): void;
}

/** Wraps a forked child's IPC channel. */
export function ipcClient(child: ChildProcess): IpcClient {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners: Array<(notice: Notice) => void> = [];
  child.on('message', (message: Response | Notice) => {
    if ('type' in message) {
      for (const listener of listeners) listener(message);
      return;
    }
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`bench child exited (${code ?? signal}) before answering`));
    }
    pending.clear();
  });
  return {
    call<T>(cmd: string, args?: unknown) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, cmd, args } satisfies Request);
      });
    },
    notify(notice) {
      if (child.connected) child.send(notice);
    },
    onNotice(listener) {
      listeners.push(listener);
    },
  };
}
