import type { IncomingMessage, ServerResponse } from 'node:http';

/** One endpoint. May be async; a throw or rejection becomes a logged `500 INTERNAL`. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** The HTTP endpoints beside socket.io, keyed by `METHOD /path`. */
export type RouteTable = Readonly<Record<`${'GET' | 'POST'} /${string}`, RouteHandler>>;
