import type { Meta, PayloadOf, ServerActionName } from '@postbode/protocol';
import { DedupeWindow } from './dedupe-window.js';
import { ListenerSet } from './listener-set.js';
import type { Logger } from './logger.js';
import type {
  ActionEvent,
  ActionHandler,
  AnyActionHandler,
  Unsubscribe,
} from './realtime-client.js';
import type { ResumeCursor } from './resume-cursor.js';

/** Settings of a {@link MessageDispatcher}. */
export interface MessageDispatcherSettings {
  /** Where problems go. */
  logger: Logger;
  /** Check payloads against the protocol's schemas before handlers see them. */
  validate: boolean;
  /** How many message ids to remember for de-duplication. */
  dedupeWindow: number;
}

type PayloadCheck = (action: string, data: unknown) => string | undefined;
type Handler = ActionHandler<ServerActionName>;

/**
 * From a received event to the app's handlers: drops a message whose `meta.offset` the cursor
 * has reached already or whose `meta.id` was seen, checks the payload when asked to, then
 * calls the handlers of the action and the `onAny` handlers. Nothing a handler throws escapes:
 * it is reported through the logger.
 */
export class MessageDispatcher {
  readonly #settings: MessageDispatcherSettings;
  readonly #handlers = new Map<string, ListenerSet<Handler>>();
  readonly #anyHandlers = new ListenerSet<AnyActionHandler>();
  readonly #dedupe: DedupeWindow;
  readonly #resume: ResumeCursor;
  #payloadCheck: Promise<PayloadCheck> | undefined;
  #queue: Promise<void> = Promise.resolve();

  /** `resume` tells messages seen already by their offset, and moves on with the others. */
  constructor(settings: MessageDispatcherSettings, resume: ResumeCursor) {
    this.#settings = settings;
    this.#dedupe = new DedupeWindow(settings.dedupeWindow);
    this.#resume = resume;
  }

  /** Adds a handler of `action`, called every time or only once. */
  on(action: string, handler: Handler, once = false): Unsubscribe {
    let set = this.#handlers.get(action);
    if (set === undefined) {
      set = new ListenerSet();
      this.#handlers.set(action, set);
    }
    return set.add(handler, once);
  }

  /** Removes `handler` from `action`, or all of its handlers. */
  off(action: string, handler?: Handler): void {
    this.#handlers.get(action)?.remove(handler);
  }

  /** Adds a handler of every action. */
  onAny(handler: AnyActionHandler): Unsubscribe {
    return this.#anyHandlers.add(handler);
  }

  /** Takes one event as the socket received it. */
  receive(action: string, data: unknown, meta: Meta | undefined): void {
    const { logger, validate } = this.#settings;
    const id = meta?.id;
    const offset = meta?.offset;
    // An offset the cursor has reached (a replay that overlaps), or an id seen (a retry).
    if (
      (typeof offset === 'string' && !this.#resume.advance(offset)) ||
      (typeof id === 'string' && this.#dedupe.seen(id))
    ) {
      logger.debug('postbode: duplicate message dropped', { action, id, offset });
      return;
    }
    if (!validate) {
      this.#deliver(action, data, meta);
      return;
    }
    // Loaded on first use, so that a bundle that never validates never loads the validators;
    // messages wait in order meanwhile.
    this.#payloadCheck ??= loadPayloadCheck();
    const check = this.#payloadCheck;
    this.#queue = this.#queue
      .then(() => check)
      .then((problemOf) => {
        const problem = problemOf(action, data);
        if (problem === undefined) this.#deliver(action, data, meta);
        else logger.warn(`postbode: invalid payload dropped: ${problem}`, { action });
      })
      .catch((error: unknown) => logger.error('postbode: could not validate a payload', { error }));
  }

  // Trusted past this point: the gateway validated the payload (or `validate` did, just now).
  #deliver(action: string, data: unknown, meta: Meta | undefined): void {
    const payload = data as PayloadOf<ServerActionName>;
    const metadata = meta ?? { id: '', ts: 0, site: '' };
    const report = (what: string) => (error: unknown) =>
      this.#settings.logger.error(`postbode: a ${what} handler threw`, { error });
    this.#handlers.get(action)?.emit([payload, metadata], report(`'${action}'`));
    this.#anyHandlers.emit(
      [{ action, data: payload, meta: metadata } as ActionEvent],
      report('onAny'),
    );
  }
}

async function loadPayloadCheck(): Promise<PayloadCheck> {
  const { checkPayload, isServerActionName } = await import('@postbode/protocol/validate');
  return (action, data) => {
    if (!isServerActionName(action)) return `'${action}' is not an action of this protocol version`;
    const problem = checkPayload(action, data);
    return problem === undefined ? undefined : `${problem.path} ${problem.message}`;
  };
}
