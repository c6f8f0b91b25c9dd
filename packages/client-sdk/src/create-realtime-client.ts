import type { Meta, ServerActionName } from '@postbode/protocol';
import {
  CLIENT_EVENT,
  ERROR_EVENT,
  type ErrorEvent,
  type HandshakeAuth,
  isReservedEventName,
  SYNC_EVENT,
  type SyncEvent,
  type SyncReason,
  UNWATCH_EVENT,
  WATCH_EVENT,
} from '@postbode/protocol/core';
import { io } from 'socket.io-client';
import { backoffDelay } from './backoff-delay.js';
import type { ClientEventSender } from './client-event-sender.js';
import type { ConnectionStatus } from './connection-status.js';
import { ListenerSet } from './listener-set.js';
import { MessageDispatcher } from './message-dispatcher.js';
import type { PresenceWatcher } from './presence-watcher.js';
import type {
  ActionHandler,
  RealtimeClient,
  ResyncHandler,
  StatusHandler,
  Unsubscribe,
} from './realtime-client.js';
import {
  DEFAULT_REALTIME_CLIENT_OPTIONS,
  type RealtimeClientOptions,
} from './realtime-client-options.js';
import { RealtimeError } from './realtime-error.js';
import { ResumeCursor } from './resume-cursor.js';
import { tokenSource } from './token-source.js';

/** Refusals of a fresh token as expired, in a row, before the client gives up (`unauthorized`). */
const MAX_EXPIRED_REFUSALS = 3;

/**
 * Creates a typed connection to the Postbode gateway. Handlers are typed from the protocol's
 * action registry; a token that expires is refreshed through `getToken()`; a message delivered
 * twice (same `meta.id`, or an offset the client has already) is handled once. Every
 * reconnection resumes from the client's cursor, so nothing is missed within the gateway's
 * history window; when something may have been, `onResync` says why.
 *
 * @example
 * const client = createRealtimeClient({
 *   url: 'https://realtime.example.com',
 *   getToken: () => fetch('/api/realtime-token').then((r) => r.text()),
 * });
 * const off = client.on('message.created', (data, meta) => {
 *   console.log(data.body, meta.id);
 * });
 * client.onStatus((status) => console.log(status));
 * client.onResync(() => store.dispatch('chat/refetch'));
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as RealtimeClientOptions;
  const settings = { ...DEFAULT_REALTIME_CLIENT_OPTIONS, ...defined };
  const { logger, getToken } = settings;
  if (typeof settings.token !== 'string' && typeof getToken !== 'function') {
    throw new TypeError('createRealtimeClient needs a `token` string or a `getToken` function');
  }

  const statusHandlers = new ListenerSet<StatusHandler>();
  const resyncHandlers = new ListenerSet<ResyncHandler>();
  if (settings.onResync !== undefined) resyncHandlers.add(settings.onResync);
  const resume = new ResumeCursor(settings.cursor ?? undefined);
  const dispatcher = new MessageDispatcher(settings, resume);
  let status: ConnectionStatus = 'disconnected';
  let lastError: RealtimeError | undefined;
  const resolveToken = tokenSource(settings.token, getToken);
  let expiredNotice: RealtimeError | undefined;
  let expiredRefusals = 0;
  let retryAttempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped by connect() and disconnect(): async work of an older generation is dropped.
  let generation = 0;

  const socket = io(settings.url, {
    tryAllTransports: true,
    ...settings.socketOptions,
    transports: [...settings.transports],
    autoConnect: false,
    auth: (send) => {
      const current = generation;
      resolveToken().then(
        (token) => {
          if (current !== generation) return;
          // The cursor as it is now (the previous socket has closed: nothing moves it on).
          // An undefined cursor is left out of the handshake's JSON.
          send({ token, cursor: resume.current } satisfies HandshakeAuth);
        },
        (cause: unknown) => {
          if (current !== generation) return;
          fail(new RealtimeError('UNAUTHORIZED', 'getToken() failed', { cause }));
        },
      );
    },
  });

  function setStatus(next: ConnectionStatus, error?: RealtimeError): void {
    if (error !== undefined) lastError = error;
    if (next === status) return;
    status = next;
    logger.debug(`postbode: ${next}`, { url: settings.url, code: error?.code });
    statusHandlers.emit([next, error], reportHandlerError('status'));
  }

  function reportHandlerError(what: string): (error: unknown) => void {
    return (error) => logger.error(`postbode: a ${what} handler threw`, { error });
  }

  function clearRetry(): void {
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  /** Ends in `unauthorized`: nothing the client can do by itself will be accepted. */
  function fail(error: RealtimeError): void {
    generation += 1;
    clearRetry();
    logger.warn(`postbode: ${error.message}`, { code: error.code });
    setStatus('unauthorized', error);
    socket.disconnect();
  }

  /** Connects again after a backoff delay, for closes socket.io does not retry by itself. */
  function retryLater(error?: RealtimeError): void {
    clearRetry();
    const manager = socket.io;
    const delay = backoffDelay(retryAttempt, {
      min: manager.reconnectionDelay(),
      max: manager.reconnectionDelayMax(),
      jitter: manager.randomizationFactor(),
    });
    retryAttempt += 1;
    setStatus(status === 'connecting' ? 'connecting' : 'reconnecting', error);
    const current = generation;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (current === generation) socket.connect();
    }, delay);
  }

  /** The gateway said the token expired: connect again with one from getToken(). */
  function refreshToken(error: RealtimeError): void {
    if (getToken === undefined) {
      fail(new RealtimeError(error.code, `${error.message}; no getToken to refresh it`));
      return;
    }
    expiredRefusals += 1;
    if (expiredRefusals > MAX_EXPIRED_REFUSALS) {
      fail(new RealtimeError('TOKEN_EXPIRED', 'getToken() keeps returning expired tokens'));
      return;
    }
    if (expiredRefusals > 1) {
      retryLater(error);
      return;
    }
    setStatus(status === 'connecting' ? 'connecting' : 'reconnecting', error);
    socket.connect();
  }

  // Only with a finite `reconnectionAttempts`: socket.io stopped trying; so does the client.
  socket.io.on('reconnect_failed', () => {
    generation += 1;
    clearRetry();
    logger.warn('postbode: gave up reconnecting (reconnectionAttempts reached)');
    setStatus('disconnected');
  });

  // Handshake accepted; the socket is live (`connected`) from its postbode:sync.
  socket.on('connect', () => {
    expiredRefusals = 0;
    retryAttempt = 0;
    expiredNotice = undefined;
  });

  socket.on(SYNC_EVENT, (event: SyncEvent) => {
    const missed = resume.sync(event);
    setStatus('connected');
    if (!missed) return;
    const reason = event.reason as SyncReason;
    logger.warn('postbode: resync', { reason });
    resyncHandlers.emit([reason], reportHandlerError('onResync'));
  });

  socket.on('disconnect', (reason) => {
    switch (reason) {
      case 'io client disconnect':
        return; // disconnect() or fail(): the status is set already.
      case 'io server disconnect': {
        // socket.io-client does not reconnect after the server closed the socket.
        const expired = expiredNotice;
        expiredNotice = undefined;
        if (expired !== undefined) refreshToken(expired);
        else retryLater();
        return;
      }
      default:
        // Transport closed or ping timeout: socket.io reconnects with backoff and jitter.
        setStatus('reconnecting');
    }
  });

  socket.on('connect_error', (err: Error & { data?: Partial<ErrorEvent> }) => {
    // While the socket is active, socket.io retries by itself (gateway down, network, origin
    // refused). A browser shows the page neither why nor whether the gateway answered: a refused
    // origin (CORS, a 403 on the WebSocket upgrade) and a closed port both end in "xhr poll error"
    // or "websocket error". So the status leaves `connecting` and the error names both causes.
    if (socket.active) {
      const origin = globalThis.location?.origin ?? 'this';
      const error = new RealtimeError(
        'UNAVAILABLE',
        `cannot reach the gateway at ${settings.url} (${err.message}): it is down or unreachable, or it does not allow ${origin} origin (POSTBODE_CORS_ORIGINS)`,
      );
      logger.warn(`postbode: ${error.message}`, { code: error.code });
      setStatus('reconnecting', error);
      return;
    }
    const code = err.data?.code;
    const message = `gateway refused the connection: ${err.data?.message ?? err.message}`;
    switch (code) {
      case 'TOKEN_EXPIRED':
        refreshToken(new RealtimeError(code, message));
        return;
      case 'UNAUTHORIZED':
        fail(new RealtimeError(code, message));
        return;
      default:
        // Any other refusal (e.g. RATE_LIMITED) is worth another try, later.
        retryLater(code === undefined ? undefined : new RealtimeError(code, message));
    }
  });

  socket.on(ERROR_EVENT, (event: Partial<ErrorEvent> | undefined) => {
    const code = event?.code ?? 'INTERNAL';
    const error = new RealtimeError(code, `gateway: ${event?.message ?? code}`);
    logger.warn(`postbode: ${error.message}`, { code });
    lastError = error;
    // The gateway disconnects the socket right after TOKEN_EXPIRED; the disconnect handler
    // refreshes the token then.
    if (code === 'TOKEN_EXPIRED') expiredNotice = error;
  });

  socket.onAny((event: string, data: unknown, meta: Meta | undefined) => {
    // Reserved events (postbode:error, :sync) are the connection's business, not actions.
    if (!isReservedEventName(event)) dispatcher.receive(event, data, meta);
  });

  // The sender is loaded with the first send(), outside the core bundle (issue 13).
  let sender: Promise<ClientEventSender> | undefined;
  const loadSender = () =>
    import('./client-event-sender.js').then(
      (module) =>
        new module.ClientEventSender(socket, () => status === 'connected', {
          maxQueuedEvents: settings.maxQueuedEvents,
          ackTimeoutMs: settings.ackTimeoutMs,
          eventName: CLIENT_EVENT,
          syncEvent: SYNC_EVENT,
          error: (code, message) => new RealtimeError(code, message),
        }),
    );
  // Presence is loaded on the first watch (a chunk of its own): most pages never watch.
  let presence: Promise<PresenceWatcher> | undefined;
  const loadPresence = () =>
    (presence ??= import('./presence-watcher.js').then((m) =>
      m.createPresenceWatcher(client, { watch: WATCH_EVENT, unwatch: UNWATCH_EVENT }),
    ));

  const client: RealtimeClient = {
    get status() {
      return status;
    },
    get lastError() {
      return lastError;
    },
    get cursor() {
      return resume.current;
    },
    get socket() {
      return socket;
    },
    logger,
    on(action, handler): Unsubscribe {
      return dispatcher.on(action, handler as ActionHandler<ServerActionName>);
    },
    once(action, handler): Unsubscribe {
      return dispatcher.on(action, handler as ActionHandler<ServerActionName>, true);
    },
    off(action, handler) {
      dispatcher.off(action, handler as ActionHandler<ServerActionName> | undefined);
    },
    onAny(handler) {
      return dispatcher.onAny(handler);
    },
    onStatus(handler) {
      return statusHandlers.add(handler);
    },
    onResync(handler) {
      return resyncHandlers.add(handler);
    },
    send(action, data, options) {
      sender ??= loadSender();
      return sender.then((loaded) => loaded.send(action, data, options));
    },
    watchPresence(userIds, handler) {
      const watch = loadPresence().then((p) => p.watch(userIds, handler));
      return { userIds: [...new Set(userIds)], stop: () => void watch.then((w) => w.stop()) };
    },
    onPresence(handler) {
      const off = loadPresence().then((p) => p.on(handler));
      return () => void off.then((f) => f());
    },
    connect() {
      switch (status) {
        case 'connected':
        case 'connecting':
        case 'reconnecting':
          return;
        case 'disconnected':
        case 'unauthorized':
          generation += 1;
          expiredRefusals = 0;
          retryAttempt = 0;
          setStatus('connecting');
          socket.connect();
          return;
        default:
          return assertNever(status);
      }
    },
    disconnect() {
      generation += 1;
      clearRetry();
      expiredNotice = undefined;
      setStatus('disconnected');
      socket.disconnect();
    },
  };

  if (settings.autoConnect) client.connect();
  return client;
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected value: ${String(value)}`);
}
