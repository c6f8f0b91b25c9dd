import { runPhpJson } from './php.js';

/** What `test/php/publish.php` reports when publishing threw. */
export interface PublishError {
  class: string;
  message: string;
  httpStatus: number | null;
  errorCode: string | null;
  previous: string | null;
}

/** The transports `test/php/publish.php` can publish through. */
export type TransportName = 'phpredis' | 'predis' | 'http' | 'phpredis-pubsub' | 'predis-pubsub';

/** Input of `test/php/publish.php`; a transport's defaults apply to what is not given. */
export interface PublishInput {
  transport: TransportName;
  redisPort?: number;
  gatewayUrl?: string;
  publishKey?: string;
  timeout?: number;
  /** The stream transports' stream. */
  stream?: string;
  /** The pub/sub transports' channel. */
  channel?: string;
  requireSubscriber?: boolean;
  /** A key prefix set on the Redis client (and, for phpredis, a serializer). */
  clientPrefix?: string;
  /** Predis's `exceptions` option. */
  predisExceptions?: boolean;
  site?: string;
  /** Read `$publisher->cursor()` before publishing, as a page does. */
  cursor?: boolean;
  cases?: { method: string; to: unknown; args: Record<string, unknown>; dates?: string[] }[];
  raw?: string[];
}

/** What `test/php/publish.php` gives when nothing threw. */
export interface Published {
  ids: string[];
  /** `json_encode($publisher->cursor())`, when asked for. */
  cursor?: string;
}

/** Publishes from PHP through a real transport; resolves with what it gave or the error. */
export function publishFromPhp(input: PublishInput): Promise<Published | { error: PublishError }> {
  return runPhpJson('publish.php', input);
}

/** Publishes from PHP and resolves with what it gave; rejects when PHP threw. */
export async function published(input: PublishInput): Promise<Published> {
  const result = await publishFromPhp(input);
  if ('error' in result) {
    throw new Error(`PHP threw ${result.error.class}: ${result.error.message}`);
  }
  return result;
}

/** Publishes from PHP and resolves with the message ids; rejects when PHP threw. */
export async function publishIds(input: PublishInput): Promise<string[]> {
  return (await published(input)).ids;
}

/** Publishes from PHP and resolves with the error; rejects when nothing was thrown. */
export async function publishError(input: PublishInput): Promise<PublishError> {
  const result = await publishFromPhp(input);
  if (!('error' in result))
    throw new Error(`expected PHP to throw, got ids ${result.ids.join(', ')}`);
  return result.error;
}
