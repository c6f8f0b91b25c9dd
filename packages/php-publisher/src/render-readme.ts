import type { ActionModel, PublisherModel } from './build-model.js';
import { GENERATED_MARKER } from './php-file.js';
import { phpTypes } from './php-type.js';
import { MINIMUM_PHP_VERSION, PHP_VERSIONS } from './php-versions.js';
import { COMPOSER_PACKAGE } from './render-composer-json.js';
import { describeRules, parameterDeclaration } from './render-publisher.js';

/** The example the README opens with; the end-to-end test runs it against a real gateway. */
export function readmeExample(namespace: string): string {
  return `<?php
require __DIR__ . '/vendor/autoload.php'; // without composer: require 'path/to/postbode/autoload.php';

use ${namespace}\\{Audience, Publisher, TokenIssuer};
use ${namespace}\\Transport\\PhpRedisTransport;

// In the page of user 42: a token for the browser, which connects with io(url, { auth: { token } }).
$token = TokenIssuer::hs256(getenv('POSTBODE_JWT_SECRET'))->issue(42, site: 'nl', ttlSeconds: 3600);

// Where the backend stores a message from user 7 to user 42, and where user 42 reads it:
$redis = new Redis();
$redis->connect('127.0.0.1', 6379);
$publisher = new Publisher(new PhpRedisTransport($redis), site: 'nl');
$publisher->messageCreated(to: Audience::user(42), messageId: 'm-1', conversationId: 'c-9', senderId: 7, body: 'hoi', sentAt: new DateTimeImmutable());
$publisher->messageRead(to: Audience::user(7), conversationId: 'c-9', readerId: 42, lastReadMessageId: 'm-1', readAt: new DateTimeImmutable());`;
}

function actionRow(action: ActionModel): string {
  const params = action.params.map(parameterDeclaration).join(', ');
  const rules = action.params
    .map((param) => {
      const { kind } = param.field.value;
      // Arrays and objects: their PHPDoc type says what goes inside.
      const shape =
        kind === 'array' || kind === 'object' ? `\`${phpTypes(param.field.value).doc}\`. ` : '';
      const rule = shape + describeRules(param.field.value);
      return rule === '' ? '' : `\`$${param.variable}\`: ${rule.trim()}`;
    })
    .filter((rule) => rule !== '')
    .join(' ');
  const signature = `${action.method}(Audience $to, ${params})`.replaceAll('|', '\\|');
  return `| \`${action.name}\` | \`${signature}\` | ${action.description} ${rules.replaceAll('|', '\\|')} |`;
}

/** `README.md` of the composer package, for PHP developers. */
export function renderReadme(model: PublisherModel): string {
  const ns = model.namespace;
  return `<!-- ${GENERATED_MARKER}: do not edit; regenerate with \`pnpm generate\`. -->
# ${COMPOSER_PACKAGE}

Publish real-time messages from PHP to browsers through the Postbode gateway, and sign the
tokens the browsers connect with. Typed methods, generated from the Postbode protocol: a bad
argument throws \`${ns}\\InvalidPayload\` at the call that passed it, before anything is sent.

Needs PHP ${MINIMUM_PHP_VERSION} or later (tested on ${PHP_VERSIONS.join(', ')}) and \`ext-json\`, plus one way to
reach the gateway: phpredis (\`ext-redis\`), Predis (\`predis/predis\`), or HTTP (no extension).
RS256 and ES256 tokens need \`ext-openssl\`. No other dependency.

## Example

\`\`\`php
${readmeExample(ns)}
\`\`\`

In the browser (socket.io-client 4; each action arrives as an event named after it, with the
payload and \`meta = { id, ts, site }\`):

\`\`\`js
const socket = io('https://realtime.example.nl', { auth: { token } });
socket.on('message.created', (data, meta) => console.log(data.body, meta.id));
socket.on('message.read', (data) => markRead(data.conversationId, data.lastReadMessageId));
\`\`\`

The gateway runs with the same secret and Redis: \`POSTBODE_JWT_SECRET\`, \`POSTBODE_REDIS_URL\`
(and \`POSTBODE_CHANNEL\` if you pass another channel than \`${model.defaultChannel}\` to the Publisher).

## Install

**With composer**, as a path repository (this directory, or a copy of it):

\`\`\`json
{
    "repositories": [{ "type": "path", "url": "../postbode/packages/php-publisher/php" }],
    "require": { "${COMPOSER_PACKAGE}": "*@dev" }
}
\`\`\`

**Without composer**, copy this directory (\`src/\` and \`autoload.php\`) into your application
and \`require_once 'path/to/postbode/autoload.php';\` (a PSR-4 autoloader for \`${ns}\\\` → \`src/\`).

## Publishing

\`new Publisher(Transport $transport, string $channel = '${model.defaultChannel}', ?string $site = null)\`;
\`$publisher->withSite('be')\` gives the same publisher for another site. Each method takes
\`Audience $to\` first, then the payload's fields (required first; optional ones default to
\`null\`, which leaves them out), and returns the message id (the browser's \`meta.id\`). Use
named arguments: they are the protocol's field names.

| action | method | what it means, and the rules PHP types cannot show |
| --- | --- | --- |
${model.actions.map(actionRow).join('\n')}

- **Ids** accept \`int|string\` and are sent as strings.
- **Times** are integer milliseconds since the epoch, or any \`\\DateTimeInterface\` (converted
  to milliseconds).
- **Nested arrays** (such as attachments) are lists of arrays with exactly the documented keys;
  an optional key set to \`null\` is left out; any other key is rejected.
- **Rules** (lengths in characters, enums, minimums, item counts, unknown keys) are checked
  before sending, exactly as the gateway checks them: \`InvalidPayload\` (an
  \`\\InvalidArgumentException\`) names the parameter and the rule, e.g.
  \`$body must be at most 10000 characters long, got 10001 (maxLength)\`, with \`->parameter\`
  and \`->rule\`. A wrong PHP type (an array for \`$body\`) is PHP's own \`\\TypeError\`.
- \`${ns}\\Actions\` has a constant per action (\`Actions::MESSAGE_CREATED === 'message.created'\`),
  and \`Actions::ALL\`.

### Audiences

\`Audience::user(42)\`, \`Audience::users([42, 43])\`, \`Audience::role('moderator')\`,
\`Audience::roles(['a', 'b'])\`, \`Audience::everyone()\` (everyone on the site), combined with
\`->with(...)\`: \`Audience::user(42)->with(Audience::role('moderator'))\`. A browser gets a
message once however many parts it matches. An empty audience (\`users([])\`) throws.

### Transports

| transport | for | notes |
| --- | --- | --- |
| \`Transport\\PhpRedisTransport(\\Redis $redis, bool $requireSubscriber = false)\` | phpredis | you connect the \`\\Redis\` client |
| \`Transport\\PredisTransport(\\Predis\\ClientInterface $client, bool $requireSubscriber = false)\` | Predis 1.1+ | |
| \`Transport\\HttpTransport(string $gatewayUrl, string $publishKey, float $timeoutSeconds = 5.0)\` | the gateway's \`POST /publish\` (\`POSTBODE_PUBLISH_KEY\`) | PHP streams, no curl; the gateway limits a body to 64 KiB |

Any failure throws \`${ns}\\PublishFailed\` (a \`\\RuntimeException\`): Redis unreachable or
answering an error, or the gateway answering an error, with \`->httpStatus\` and \`->errorCode\`
(\`UNAUTHORIZED\`, \`INVALID_PAYLOAD\`, \`TOO_LARGE\`, ...) and the gateway's message. Redis PUBLISH
succeeds when no gateway listens; pass \`requireSubscriber: true\` to make that an error.
\`InvalidPayload\` and \`PublishFailed\` both implement \`${ns}\\PostbodeException\`. Implement
\`Transport\\Transport\` (\`publish(string $channel, string $json): void\`) to use another client.

## Tokens

\`\`\`php
$issuer = TokenIssuer::hs256($secret);                  // POSTBODE_JWT_SECRET, at least 32 bytes
$issuer = TokenIssuer::rs256($privateKeyPem);           // gateway: POSTBODE_JWT_PUBLIC_KEY or a JWKS
$issuer = TokenIssuer::es256($privateKeyPem, keyId: 'k1'); // "kid" header for a JWKS
$token = $issuer->issue($userId, site: 'nl', roles: ['moderator'], ttlSeconds: 3600, extraClaims: ['aud' => 'postbode']);
\`\`\`

Claims: \`sub\` (the user id, as a string), \`iat\`, \`exp\`, \`site\` and \`roles\` when given, and the
extra claims (\`aud\`, \`iss\`, \`nbf\`, ...). When a token expires the gateway disconnects the
browser, which asks the page for a fresh one: issue tokens from an endpoint the browser can call.

## Generated code

Everything here is generated from the Postbode protocol (\`packages/protocol\`) by
\`@postbode/php-publisher\`: do not edit it; run \`pnpm generate\` in the Postbode repository
after the protocol changes, and commit the result. CI fails when these files drift from the
schemas.
`;
}
