import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type ErrorCode, PostbodeError } from '@postbode/protocol';
import type { DecodedEnvelope } from '../ingest/decoded-envelope.js';
import type { DurableLog } from '../ingest/durable-log.js';
import type { EnvelopeDecoder } from '../ingest/envelope-decoder.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { readBody } from './read-body.js';
import type { RouteHandler } from './route-table.js';
import { sendJson } from './send-json.js';

/** Largest `POST /publish` body: 64 KiB. */
export const MAX_PUBLISH_BODY_BYTES = 64 * 1024;

/** Options of {@link createPublishEndpoint}. */
export interface PublishEndpointOptions {
  /** The bearer key; unset: the endpoint answers 404 and says how to enable it. */
  publishKey: string | undefined;
  /** Where accepted envelopes are appended: the stream, or the embedded log. */
  log: DurableLog;
  decoder: EnvelopeDecoder;
  metrics: GatewayMetrics;
  logger: Logger;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The answer of the endpoint when no publish key is configured. */
const disabled: RouteHandler = (req, res) => {
  req.resume();
  sendJson(res, 404, {
    ok: false,
    error: {
      code: 'NOT_FOUND',
      message: 'POST /publish is disabled: set POSTBODE_PUBLISH_KEY to enable it',
      path: '/',
    },
  });
};

/**
 * `POST /publish`: the body goes through the same edge decoder as envelopes from Redis, then
 * is appended to the durable log (the Redis stream), which every gateway node reads. Answers
 * 202 `{ ok, id }`; 400/401/413/503 with `{ ok: false, error: { code, message, path } }`
 * (`path`: the JSON pointer of the first failing value, `/` when the problem is the whole body
 * or not in it), plus `action` and `site` when they could be read. No error repeats payload text.
 */
export function createPublishEndpoint(options: PublishEndpointOptions): RouteHandler {
  const { publishKey, log, decoder, metrics, logger } = options;
  if (publishKey === undefined) return disabled;
  const expected = digest(publishKey);

  const fail = (
    res: ServerResponse,
    status: number,
    code: ErrorCode,
    message: string,
    path = '/',
    where: { action?: string; site?: string } = {},
  ): void => {
    metrics.httpPublish.inc({ status: String(status) });
    sendJson(
      res,
      status,
      { ok: false, error: { code, message, path, ...where } },
      status === 401 ? { 'www-authenticate': 'Bearer' } : {},
    );
  };

  return async (req, res) => {
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
    const body = await readBody(req, MAX_PUBLISH_BODY_BYTES);
    if (body === undefined) {
      const error = decoder.refuseTooLarge('http', MAX_PUBLISH_BODY_BYTES);
      fail(res, 413, error.code, error.message);
      return;
    }
    const result = decoder.decode(body, 'http', MAX_PUBLISH_BODY_BYTES);
    if (!result.ok) {
      const { code, message, path, action, site } = result.error;
      fail(res, 400, code, message, path, {
        ...(action === undefined ? {} : { action }),
        ...(site === undefined ? {} : { site }),
      });
      return;
    }
    // Assign the id here so that every node, and the caller, see the same one. The decoded
    // envelope is what is appended: no second parse on this node.
    const id = result.envelope.id ?? randomUUID();
    const envelope: DecodedEnvelope = { ...result.envelope, id };
    try {
      await log.append(envelope);
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
