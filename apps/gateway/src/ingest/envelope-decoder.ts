import { type EnvelopeError, parseEnvelope } from '@postbode/protocol';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { dataBytesOf } from './data-bytes.js';
import type { DecodedEnvelope } from './decoded-envelope.js';
import type { EnvelopeSource } from './envelope-source.js';

/** Options of {@link createEnvelopeDecoder}. */
export interface EnvelopeDecoderOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /** Largest accepted envelope, in bytes, unless a call gives its own limit. */
  maxEnvelopeBytes: number;
}

/** What {@link EnvelopeDecoder.decode} made of a raw message. */
export type DecodeResult =
  | {
      ok: true;
      envelope: DecodedEnvelope;
      /**
       * The bytes of `data` as published (data-bytes.ts), for the frame to carry as they are;
       * undefined when the message came as a string, came over `POST /publish` (it is appended
       * to the stream, not delivered: the stream reader decodes it again) or they are not
       * valid UTF-8.
       */
      dataJson: Buffer | undefined;
    }
  | { ok: false; error: EnvelopeError };

/**
 * The one edge every envelope passes, whatever brought it (Redis, `POST /publish`, and later
 * the stream): it counts what came in by source, checks the size once, parses and validates,
 * and logs and counts each rejection once, with its source. Never throws.
 */
export interface EnvelopeDecoder {
  /** Decodes one raw message; `maxBytes` overrides the configured limit (e.g. HTTP bodies). */
  decode(raw: Buffer | string, source: EnvelopeSource, maxBytes?: number): DecodeResult;
  /** Counts and logs a message refused before it could be read whole (its size alone). */
  refuseTooLarge(source: EnvelopeSource, maxBytes: number): EnvelopeError;
  /** Counts and logs a stream entry that carries no `envelope` field. */
  refuseMissingEnvelope(offset: string): EnvelopeError;
}

/** Creates the edge decoder. */
export function createEnvelopeDecoder(options: EnvelopeDecoderOptions): EnvelopeDecoder {
  const { metrics, logger, maxEnvelopeBytes } = options;

  const reject = (error: EnvelopeError, source: EnvelopeSource): EnvelopeError => {
    metrics.envelopesRejected.inc({ code: error.code, source });
    // One line, never the payload: code, action, site, first failing path and why.
    logger.warn(
      { code: error.code, action: error.action, site: error.site, path: error.path, source },
      `envelope rejected: ${error.message}`,
    );
    return error;
  };
  const tooLarge = (source: EnvelopeSource, maxBytes: number): EnvelopeError =>
    reject({ code: 'TOO_LARGE', message: `envelope is larger than ${maxBytes} bytes` }, source);

  return {
    decode(raw, source, maxBytes = maxEnvelopeBytes) {
      metrics.envelopesReceived.add(source);
      // The size is checked here, once, in bytes; the parser is told not to count again.
      const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
      if (bytes > maxBytes) return { ok: false, error: tooLarge(source, maxBytes) };
      const result = parseEnvelope(typeof raw === 'string' ? raw : raw.toString('utf8'), {
        maxBytes: Number.POSITIVE_INFINITY,
      });
      if (!result.ok) return { ok: false, error: reject(result.error, source) };
      const dataJson = typeof raw === 'string' || source === 'http' ? undefined : dataBytesOf(raw);
      return { ok: true, envelope: result.envelope as DecodedEnvelope, dataJson };
    },
    refuseTooLarge(source, maxBytes) {
      metrics.envelopesReceived.add(source);
      return tooLarge(source, maxBytes);
    },
    refuseMissingEnvelope(offset) {
      metrics.envelopesReceived.add('stream');
      return reject(
        {
          code: 'INVALID_ENVELOPE',
          message: `stream entry ${offset} has no "envelope" field; expected XADD <stream> * envelope <json>`,
        },
        'stream',
      );
    },
  };
}
