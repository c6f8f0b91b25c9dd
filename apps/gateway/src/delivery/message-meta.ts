import { randomUUID } from 'node:crypto';
import type { Meta } from '@postbode/protocol';
import { streamIdTime } from '../history/stream-id.js';
import type { DecodedEnvelope } from '../ingest/decoded-envelope.js';

/**
 * The metadata of an envelope. A durable one (with its stream `offset`) that has no `id` or
 * `ts` takes them from its entry, so every node and every replay show the same; a live-only
 * one gets a random id and the receive time.
 */
export function messageMeta(
  envelope: DecodedEnvelope,
  offset: string | undefined,
  now: number,
): Meta {
  if (offset === undefined) {
    return { id: envelope.id ?? randomUUID(), ts: envelope.ts ?? now, site: envelope.site };
  }
  return {
    id: envelope.id ?? offset,
    ts: envelope.ts ?? streamIdTime(offset),
    site: envelope.site,
    offset,
  };
}
