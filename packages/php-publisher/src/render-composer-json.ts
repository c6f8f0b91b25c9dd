import type { PublisherModel } from './build-model.js';
import { MINIMUM_PHP_VERSION } from './php-versions.js';

/** The composer package name of the generated PHP. */
export const COMPOSER_PACKAGE = 'postbode/publisher';

/**
 * `composer.json`: the protocol's version, PSR-4 `<namespace>\` → `src/`, PHP
 * {@link MINIMUM_PHP_VERSION} or later, only `ext-json` required; the Redis clients and
 * ext-openssl suggested.
 */
export function renderComposerJson(model: PublisherModel): string {
  const composer = {
    name: COMPOSER_PACKAGE,
    description:
      'Publish typed real-time messages to Postbode and sign its tokens (generated from the Postbode protocol; do not edit).',
    version: model.protocolVersion,
    type: 'library',
    license: 'MIT',
    keywords: ['postbode', 'realtime', 'socket.io', 'redis', 'jwt'],
    require: {
      php: `>=${MINIMUM_PHP_VERSION}`,
      'ext-json': '*',
    },
    suggest: {
      'ext-redis': 'to publish through Redis with PhpRedisTransport (phpredis)',
      'predis/predis': 'to publish through Redis with PredisTransport',
      'ext-openssl':
        'to sign RS256 and ES256 tokens with TokenIssuer, and for https with HttpTransport',
    },
    bin: ['bin/postbode-events-worker.php'],
    autoload: {
      'psr-4': { [`${model.namespace}\\`]: 'src/' },
    },
  };
  return `${JSON.stringify(composer, null, 4)}\n`;
}
