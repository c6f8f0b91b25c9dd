import { runPhpJson } from './php.js';

/** What `test/php/publish.php` reports when publishing threw. */
export interface PublishError {
  class: string;
  message: string;
  httpStatus: number | null;
  errorCode: string | null;
  previous: string | null;
}

/** Input of `test/php/publish.php`. */
export interface PublishInput {
  transport: 'phpredis' | 'predis' | 'http';
  redisPort?: number;
  gatewayUrl?: string;
  publishKey?: string;
  timeout?: number;
  channel?: string;
  site?: string;
  requireSubscriber?: boolean;
  cases?: { method: string; to: unknown; args: Record<string, unknown>; dates?: string[] }[];
  raw?: string[];
}

/** Publishes from PHP through a real transport; resolves with the ids or the error. */
export function publishFromPhp(
  input: PublishInput,
): Promise<{ ids: string[] } | { error: PublishError }> {
  return runPhpJson('publish.php', input);
}

/** Publishes from PHP and resolves with the message ids; rejects when PHP threw. */
export async function publishIds(input: PublishInput): Promise<string[]> {
  const result = await publishFromPhp(input);
  if ('error' in result) {
    throw new Error(`PHP threw ${result.error.class}: ${result.error.message}`);
  }
  return result.ids;
}

/** Publishes from PHP and resolves with the error; rejects when nothing was thrown. */
export async function publishError(input: PublishInput): Promise<PublishError> {
  const result = await publishFromPhp(input);
  if (!('error' in result))
    throw new Error(`expected PHP to throw, got ids ${result.ids.join(', ')}`);
  return result.error;
}
