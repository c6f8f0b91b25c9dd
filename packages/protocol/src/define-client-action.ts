import type Type from 'typebox';
import { ACTION_NAME_PATTERN } from './define-action.js';

/**
 * Where the gateway sends a client action (contract 8):
 * - `backend`: appended to the backend event stream (`postbode:events`) for PHP workers;
 * - `relay`: delivered, as a server action, to another user of the sender's site; never stored.
 */
export type ClientActionRoute = 'backend' | 'relay';

/** Every route, in the order the docs list them. */
export const CLIENT_ACTION_ROUTES: readonly ClientActionRoute[] = ['backend', 'relay'];

/**
 * The limits of one client action, enforced by the gateway per socket and per action: a token
 * bucket of `burst` tokens refilled at `refillPerSecond`, and a largest payload.
 */
export interface ClientActionLimits {
  /** Tokens in a full bucket: how many sends may come at once. */
  readonly burst: number;
  /** Tokens added per second, up to `burst`: the sustained rate. */
  readonly refillPerSecond: number;
  /** Largest `data`, in bytes of its JSON (UTF-8). */
  readonly maxPayloadBytes: number;
}

/**
 * How a relayed client action reaches its recipient: the server action it becomes, who gets it,
 * and its payload, built from the validated client payload and the sender's user id (from the
 * sender's token, never from the client).
 */
export interface RelayTarget<Payload extends Type.TObject, ServerPayload> {
  /** The server action the recipient gets (a name in the server registry). */
  readonly serverAction: string;
  /** The recipient's user id (same site as the sender). */
  readonly recipient: (data: Type.Static<Payload>) => string;
  /** The server action's payload. */
  readonly payload: (data: Type.Static<Payload>, senderId: string) => ServerPayload;
}

/** Options of {@link defineClientAction}. */
export type DefineClientActionOptions<Payload extends Type.TObject> = {
  /** What the action means, for the docs, the JSON Schema and the PHP handler's PHPDoc. */
  description: string;
  /** A valid payload: shown in docs and used by every package's tests. */
  example: Type.Static<Payload>;
  /** The gateway's limits for this action, per socket. */
  limits: ClientActionLimits;
} & (
  | { route: 'backend' }
  | { route: 'relay'; relay: RelayTarget<Payload, Record<string, unknown>> }
);

/** A client action: its name, payload schema, description, route and limits. */
export type ClientActionDefinition<
  Name extends string = string,
  Payload extends Type.TObject = Type.TObject,
  Route extends ClientActionRoute = ClientActionRoute,
> = {
  readonly name: Name;
  readonly payload: Payload;
  readonly description: string;
  readonly example: Type.Static<Payload>;
  readonly route: Route;
  readonly limits: ClientActionLimits;
} & (Route extends 'relay'
  ? { readonly relay: RelayTarget<Payload, Record<string, unknown>> }
  : { readonly relay?: undefined });

/**
 * Defines a client action (a browser → gateway event, contract 8). The payload must be a closed
 * object schema; the limits must be positive.
 *
 * @example
 * export const MessageReadClient = defineClientAction('message.read', Type.Object({ ... },
 *   { additionalProperties: false }), { description: '...', example: { ... }, route: 'backend',
 *   limits: { burst: 10, refillPerSecond: 5, maxPayloadBytes: 1024 } });
 */
export function defineClientAction<
  const Name extends string,
  Payload extends Type.TObject,
  const Options extends DefineClientActionOptions<Payload>,
>(
  name: Name,
  payload: Payload,
  options: Options,
): ClientActionDefinition<Name, Payload, Options['route']> {
  if (!ACTION_NAME_PATTERN.test(name) && !/^[a-z][a-zA-Z0-9]*$/.test(name)) {
    throw new TypeError(`client action name '${name}' must be lower-case words, dot-separated`);
  }
  if ((payload as { additionalProperties?: unknown }).additionalProperties !== false) {
    throw new TypeError(`payload of client action '${name}' must set additionalProperties: false`);
  }
  const { burst, refillPerSecond, maxPayloadBytes } = options.limits;
  for (const [key, value] of Object.entries({ burst, refillPerSecond, maxPayloadBytes })) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new TypeError(`limit '${key}' of client action '${name}' must be a positive number`);
    }
  }
  return Object.freeze({
    name,
    payload,
    description: options.description,
    example: options.example,
    route: options.route,
    limits: Object.freeze({ burst, refillPerSecond, maxPayloadBytes }),
    ...(options.route === 'relay' ? { relay: options.relay } : {}),
  }) as unknown as ClientActionDefinition<Name, Payload, Options['route']>;
}
