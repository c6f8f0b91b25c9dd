import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ErrorCode, PostbodeError, parseEnvelope } from '@postbode/protocol';
import type { Bus } from '../bus/bus.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Router } from '../router.js';
import { sendJson } from './send-json.js';

/** Largest `POST /publish` body: 64 KiB. */
export const MAX_PUBLISH_BODY_BYTES = 64 * 1024;

/** Options of {@link createPublishEndpoint}. */
export interface PublishEndpointOptions {
  /** The bearer key; the endpoint is only created when one is configured. */
  publishKey: string;
  bus: Bus;
  router: Router;
  metrics: GatewayMetrics;
  logger: Logger;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Reads the body up to `limit` bytes; resolves `undefined` when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `POST /publish`: the same validation as envelopes from Redis, then publish on the bus so
 * every gateway node delivers it. Answers 202 `{ ok, id }`; 400/401/413/503 with
 * `{ ok: false, error: { code, message, path? } }`.
 */
export function createPublishEndpoint(options: PublishEndpointOptions) {
  const { bus, router, metrics, logger } = options;
  const expected = digest(options.publishKey);

  const fail = (
    res: ServerResponse,
    status: number,
    code: ErrorCode,
    message: string,
    path?: string,
  ): void => {
    metrics.httpPublish.inc({ status: String(status) });
    sendJson(
      res,
      status,
      { ok: false, error: { code, message, ...(path === undefined ? {} : { path }) } },
      status === 401 ? { 'www-authenticate': 'Bearer' } : {},
    );
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // Compare digests: constant time, and the lengths always match.
    if (presented === '' || !timingSafeEqual(digest(presented), expected)) {
      req.resume();
      fail(
        res,
        401,
        'UNAUTHORIZED',
        'missing or wrong publish key: send Authorization: Bearer <POSTBODE_PUBLISH_KEY>',
      );
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    const body =
      declared > MAX_PUBLISH_BODY_BYTES ? undefined : await readBody(req, MAX_PUBLISH_BODY_BYTES);
    if (body === undefined) {
      req.resume();
      const message = `body is larger than ${MAX_PUBLISH_BODY_BYTES} bytes`;
      router.reject({ code: 'TOO_LARGE', message }, 'http');
      fail(res, 413, 'TOO_LARGE', message);
      return;
    }
    const result = parseEnvelope(body.toString('utf8'), { maxBytes: MAX_PUBLISH_BODY_BYTES });
    if (!result.ok) {
      router.reject(result.error, 'http');
      fail(res, 400, result.error.code, result.error.message, result.error.path);
      return;
    }
    // Assign the id here so that every node, and the caller, see the same one. The validated,
    // normalised envelope is what goes on the bus: no second parse of the body.
    const id = result.envelope.id ?? randomUUID();
    try {
      await bus.publish(JSON.stringify({ ...result.envelope, id }));
    } catch (error) {
      const failure = PostbodeError.from(error, 'UNAVAILABLE');
      logger.error({ err: failure.message }, 'POST /publish could not publish');
      fail(res, 503, 'UNAVAILABLE', failure.message);
      return;
    }
    metrics.httpPublish.inc({ status: '202' });
    sendJson(res, 202, { ok: true, id });
  };
}
