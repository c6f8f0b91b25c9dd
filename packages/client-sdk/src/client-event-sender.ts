import type { ClientActionName, ClientPayloadOf } from '@postbode/protocol';
import type { ClientEventAck, ErrorCode } from '@postbode/protocol/core';
import type { Socket } from 'socket.io-client';
import type { RealtimeError } from './realtime-error.js';

/** Options of one `client.send()`. */
export interface SendOptions {
  /**
   * The idempotency id (1–128 characters) the backend sees as `$event->id`.
   * @default a random UUID
   */
  id?: string;
}

/** What `client.send()` resolves with: the gateway accepted the event under this id. */
export interface SendResult {
  id: string;
}

/** The sender's limits, from the client's options. */
export interface SenderSettings {
  maxQueuedEvents: number;
  ackTimeoutMs: number;
  /** `postbode:event`, passed in (as the error class) so this lazy chunk shares no module with the core. */
  eventName: string;
  /** `postbode:sync`: the client is live again. */
  syncEvent: string;
  error(code: ErrorCode, message: string): RealtimeError;
}

interface Pending {
  event: { action: string; data: unknown; id: string };
  resolve(result: SendResult): void;
  reject(error: RealtimeError): void;
  /** Bumped on each (re)send: an answer to an older attempt is ignored. */
  attempt: number;
  timer?: ReturnType<typeof setTimeout>;
}

const randomId = (): string =>
  globalThis.crypto?.randomUUID?.() ??
  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;

/**
 * Sends client actions with `postbode:event` (contract 8), loaded with the first `send()`.
 * While the client is not connected, events wait in a bounded queue (beyond it: `UNAVAILABLE`)
 * and go out, with the same id, once it is; an event whose connection dropped before its
 * acknowledgement is sent again, with its id, after the reconnection (the backend may then see
 * it twice: consumers skip a seen id). Refusals reject with a `RealtimeError` with the gateway's
 * code.
 */
export class ClientEventSender {
  readonly #socket: Socket;
  readonly #isConnected: () => boolean;
  readonly #settings: SenderSettings;
  readonly #queue: Pending[] = [];
  readonly #inFlight = new Set<Pending>();

  constructor(socket: Socket, isConnected: () => boolean, settings: SenderSettings) {
    this.#socket = socket;
    this.#isConnected = isConnected;
    this.#settings = settings;
    // Live again (after the client's own sync handler set `connected`): send what waits.
    socket.on(settings.syncEvent, () => this.#flush());
    // Dropped before the answer: send again after the reconnection, same id.
    socket.on('disconnect', () => {
      for (const pending of this.#inFlight) {
        clearTimeout(pending.timer);
        pending.attempt += 1;
      }
      this.#queue.unshift(...this.#inFlight);
      this.#inFlight.clear();
    });
  }

  send<A extends ClientActionName>(
    action: A,
    data: ClientPayloadOf<A>,
    options: SendOptions = {},
  ): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        event: { action, data, id: options.id ?? randomId() },
        resolve,
        reject,
        attempt: 0,
      };
      if (this.#isConnected()) return this.#emit(pending);
      if (this.#queue.length >= this.#settings.maxQueuedEvents) {
        const message = `${this.#settings.maxQueuedEvents} events already wait for a connection`;
        return reject(this.#settings.error('UNAVAILABLE', message));
      }
      this.#queue.push(pending);
    });
  }

  #flush(): void {
    for (const pending of this.#queue.splice(0)) this.#emit(pending);
  }

  #emit(pending: Pending): void {
    const attempt = pending.attempt;
    this.#inFlight.add(pending);
    const settle = (answer: ClientEventAck | undefined): void => {
      if (attempt !== pending.attempt) return;
      clearTimeout(pending.timer);
      this.#inFlight.delete(pending);
      if (answer?.ok === true) pending.resolve({ id: answer.id });
      else {
        const error = answer?.ok === false ? answer.error : undefined;
        pending.reject(
          this.#settings.error(
            error?.code ?? 'UNAVAILABLE',
            error?.message ?? `no answer from the gateway within ${this.#settings.ackTimeoutMs} ms`,
          ),
        );
      }
    };
    pending.timer = setTimeout(() => settle(undefined), this.#settings.ackTimeoutMs);
    this.#socket.emit(this.#settings.eventName, pending.event, settle);
  }
}
