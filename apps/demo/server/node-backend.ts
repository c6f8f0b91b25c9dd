import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { PayloadOf, ServerActionName } from '@postbode/protocol';
import { SignJWT } from 'jose';
import { ChatStore } from './chat-store.js';
import { conversationUsers, DEMO_USERS, type DemoUser } from './demo-data.js';
import type { BackendEvent, BackendEventHandler } from './node-events-worker.js';

/** Options of {@link startNodeBackend}. */
export interface NodeBackendOptions {
  /** Port to listen on (0: any free port). */
  port: number;
  /** The gateway URL the page connects to. */
  gatewayUrl: string;
  /** The gateway's POST /publish key. */
  publishKey: string;
  /** The HS256 secret the gateway checks tokens with. */
  jwtSecret: string;
  /** Folder of the built page. */
  webRoot: string;
  /** Lifetime of the tokens it signs, in seconds. */
  tokenTtlSeconds: number;
}

/** A running backend. */
export interface Backend {
  readonly url: string;
  stop(): Promise<void>;
}

/** The Node backend: also what its event worker hands the stream's receipts to. */
export interface NodeBackend extends Backend {
  readonly events: BackendEventHandler;
}

/** How many handled event ids the backend remembers (skips re-deliveries of). */
const HANDLED_IDS = 10_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'body must be a JSON object');
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * The stand-in for the legacy PHP application, in Node: demo log-in, conversations, history,
 * sending and receipts, and the page. It publishes to the gateway's `POST /publish` exactly
 * the envelopes the PHP application publishes to Redis (see php/router.php: same API). Receipts
 * sent over the socket reach it through its event worker (`events`, see node-events-worker.ts).
 */
export async function startNodeBackend(options: NodeBackendOptions): Promise<NodeBackend> {
  const store = new ChatStore();
  const sessions = new Map<string, DemoUser>();
  const secret = new TextEncoder().encode(options.jwtSecret);

  const publish = async <A extends ServerActionName>(
    action: A,
    data: PayloadOf<A>,
    users: string[],
    site: string,
  ): Promise<void> => {
    const response = await fetch(`${options.gatewayUrl}/publish`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.publishKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ action, data, to: { users }, site, ts: Date.now() }),
    });
    if (response.status !== 202) {
      throw new HttpError(
        502,
        `gateway refused ${action}: ${response.status} ${await response.text()}`,
      );
    }
  };

  const signToken = (user: DemoUser): Promise<string> =>
    new SignJWT({ site: user.site, roles: ['member'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + options.tokenTtlSeconds)
      .sign(secret);

  const sessionUser = (req: IncomingMessage): DemoUser => {
    const header = req.headers.authorization ?? '';
    const user = sessions.get(header.replace(/^Bearer /, ''));
    if (user === undefined) throw new HttpError(401, 'log in first');
    return user;
  };

  const conversationOf = (user: DemoUser, id: string): DemoUser => {
    const peer = conversationUsers(id) === undefined ? undefined : store.peerOf(user, id);
    if (peer === undefined) throw new HttpError(404, `no conversation ${id}`);
    return peer;
  };

  /**
   * Receipts, recorded and published back: the same for the legacy HTTP endpoints and for the
   * event worker that takes them from the socket (contract 8).
   */
  const receipts = {
    async delivered(
      user: DemoUser,
      peer: DemoUser,
      id: string,
      messageIds: string[],
      at = Date.now(),
    ): Promise<void> {
      const changed = store.delivered(user, id, messageIds);
      if (changed.length === 0) return;
      await publish(
        'message.delivered',
        { conversationId: id, messageIds: changed.map((m) => m.messageId), deliveredAt: at },
        [peer.id],
        user.site,
      );
    },
    /** False when the message is not in the conversation. */
    async read(
      user: DemoUser,
      peer: DemoUser,
      id: string,
      lastReadMessageId: string,
      at = Date.now(),
    ): Promise<boolean> {
      const last = store.read(user, id, lastReadMessageId);
      if (last === undefined) return false;
      await publish(
        'message.read',
        { conversationId: id, readerId: user.id, lastReadMessageId: last.messageId, readAt: at },
        [peer.id, user.id],
        user.site,
      );
      await publish(
        'conversation.unread',
        { conversationId: id, unread: 0, totalUnread: store.totalUnread(user) },
        [user.id],
        user.site,
      );
      return true;
    },
  };

  // Delivery from the stream is at least once: an event id handled before is skipped. The ids
  // live as long as the data they protect (this process); the oldest go past HANDLED_IDS.
  const handledIds = new Set<string>();
  const once = async (event: BackendEvent, handle: () => Promise<unknown>): Promise<void> => {
    if (handledIds.has(event.id)) return;
    await handle();
    handledIds.add(event.id);
    if (handledIds.size > HANDLED_IDS)
      handledIds.delete(handledIds.values().next().value as string);
  };
  /** The user and peer of an event, from its token's `user` and `site`; undefined: ignored. */
  const eventUsers = (event: BackendEvent): [DemoUser, DemoUser, string] | undefined => {
    const user = store.user(event.user);
    const id = String(event.data.conversationId ?? '');
    const peer = user?.site === event.site ? store.peerOf(user, id) : undefined;
    return user === undefined || peer === undefined ? undefined : [user, peer, id];
  };
  const events: BackendEventHandler = {
    async messageDelivered(event) {
      const users = eventUsers(event);
      const ids = event.data.messageIds;
      if (users === undefined || !Array.isArray(ids)) return;
      await once(event, () => receipts.delivered(...users, ids.map(String), event.ts));
    },
    async messageRead(event) {
      const users = eventUsers(event);
      if (users === undefined) return;
      const last = String(event.data.lastReadMessageId);
      await once(event, () => receipts.read(...users, last, event.ts));
    },
    // Presence transitions: the page has them live from the gateway; nothing to record here.
    async other() {},
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const route = `${req.method} ${path.replace(/^\/api\/conversations\/[^/]+/, '/api/conversations/:id')}`;
    const id = decodeURIComponent(path.split('/')[3] ?? '');
    switch (route) {
      case 'GET /api/config':
        return send(res, 200, { gatewayUrl: options.gatewayUrl, users: DEMO_USERS });
      case 'POST /api/login': {
        const user = store.user(String((await readJson(req)).userId));
        if (user === undefined) throw new HttpError(404, 'no such demo user');
        const session = randomBytes(16).toString('hex');
        sessions.set(session, user);
        return send(res, 200, { session, user });
      }
      case 'GET /api/token':
        return send(res, 200, { token: await signToken(sessionUser(req)) });
      case 'GET /api/conversations':
        return send(res, 200, store.conversations(sessionUser(req)));
      case 'GET /api/conversations/:id/messages': {
        const user = sessionUser(req);
        conversationOf(user, id);
        return send(res, 200, store.history(id));
      }
      case 'POST /api/conversations/:id/messages': {
        const user = sessionUser(req);
        const peer = conversationOf(user, id);
        const body = (await readJson(req)).body;
        if (typeof body !== 'string' || body.trim() === '' || body.length > 10_000) {
          throw new HttpError(400, 'body must be 1 to 10000 characters');
        }
        const message = store.send(user, peer, id, body);
        const { status: _status, ...data } = message;
        await publish('message.created', data, [user.id, peer.id], user.site);
        await publish(
          'conversation.unread',
          {
            conversationId: id,
            unread: store.unreadOf(peer.id, id),
            totalUnread: store.totalUnread(peer),
          },
          [peer.id],
          user.site,
        );
        return send(res, 201, message);
      }
      case 'POST /api/conversations/:id/delivered': {
        const user = sessionUser(req);
        const peer = conversationOf(user, id);
        const ids = (await readJson(req)).messageIds;
        await receipts.delivered(user, peer, id, Array.isArray(ids) ? ids.map(String) : []);
        return send(res, 204);
      }
      case 'POST /api/conversations/:id/read': {
        const user = sessionUser(req);
        const peer = conversationOf(user, id);
        const last = String((await readJson(req)).lastReadMessageId);
        if (!(await receipts.read(user, peer, id, last)))
          throw new HttpError(404, 'no such message');
        return send(res, 204);
      }
      default:
        throw new HttpError(404, `no route ${req.method} ${path}`);
    }
  };

  const serveStatic = async (res: ServerResponse, path: string): Promise<void> => {
    const file = normalize(join(options.webRoot, path === '/' ? 'index.html' : path));
    const inside = file.startsWith(normalize(options.webRoot));
    const content = inside ? await readFile(file).catch(() => undefined) : undefined;
    if (content !== undefined) {
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      });
      res.end(content);
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] as string });
    res.end(await readFile(join(options.webRoot, 'index.html')));
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handle = path.startsWith('/api/') ? api(req, res, path) : serveStatic(res, path);
    handle.catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!res.headersSent)
        send(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
