import { MAX_AUDIENCE_ROLES, MAX_AUDIENCE_USERS } from '@postbode/protocol';
import type { ActionModel, PublisherModel } from './build-model.js';
import { GENERATED_MARKER } from './php-file.js';
import { phpTypes } from './php-type.js';
import { MINIMUM_PHP_VERSION, PHP_VERSIONS } from './php-versions.js';
import { COMPOSER_PACKAGE } from './render-composer-json.js';
import { describeRules, parameterDeclaration } from './render-publisher.js';
import { renderReadmeEvents } from './render-readme-events.js';

/** The page of the README's race section: the cursor first, then the query, then the page. */
export function pageExample(namespace: string): string {
  return `<?php
use ${namespace}\\{Publisher, TokenIssuer};
use ${namespace}\\Transport\\PhpRedisTransport;

$publisher = new Publisher(new PhpRedisTransport($redis), site: 'nl');
$cursor = $publisher->cursor();                                // 1. the cursor first,
$messages = $repository->messagesOf($conversationId);          // 2. then what the page shows
$token = TokenIssuer::hs256(getenv('POSTBODE_JWT_SECRET'))->issue($userId, site: 'nl');
?>
<!-- ... the page, with $messages ... -->
<script>
  window.POSTBODE_TOKEN = <?= json_encode($token) ?>;
  window.POSTBODE_CURSOR = <?= json_encode($cursor) ?>;
</script>`;
}

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
Durable by default: messages go to the gateway's Redis stream, and a browser that reconnects
gets what it missed.

Needs PHP ${MINIMUM_PHP_VERSION} or later (tested on ${PHP_VERSIONS.join(', ')}) and \`ext-json\`, plus one way to
reach the gateway: phpredis (\`ext-redis\`), Predis (\`predis/predis\`), or HTTP (no extension).
RS256 and ES256 tokens need \`ext-openssl\`. No other dependency.

## Example

<!-- example: example.php -->
\`\`\`php
${readmeExample(ns)}
\`\`\`

In the browser (socket.io-client 4; each action arrives as an event named after it, with the
payload and \`meta = { id, ts, site, offset }\`):

\`\`\`js
const socket = io('https://realtime.example.nl', { auth: { token } });
socket.on('message.created', (data, meta) => console.log(data.body, meta.id));
socket.on('message.read', (data) => markRead(data.conversationId, data.lastReadMessageId));
\`\`\`

The gateway runs with the same secret and Redis: \`POSTBODE_JWT_SECRET\`, \`POSTBODE_REDIS_URL\`
(and \`POSTBODE_STREAM\` if you pass the transport another stream than \`${model.defaultStream}\`).

## Install

Not on Packagist yet: take this directory from a checkout of Postbode
(\`packages/php-publisher/php/\`), or from the packed \`@postbode/php-publisher\` tarball
(\`package/php/\` inside), and install it with composer as a path repository.

**With composer**, as a path repository (this directory, or a copy of it):

<!-- example: composer.json -->
\`\`\`json
{
    "repositories": [{ "type": "path", "url": "../postbode/packages/php-publisher/php" }],
    "require": { "${COMPOSER_PACKAGE}": "*@dev" }
}
\`\`\`

**Without composer**, copy this directory (\`src/\`, whole, and \`autoload.php\`) into your
application and \`require_once 'path/to/postbode/autoload.php';\` (a PSR-4 autoloader for
\`${ns}\\\` → \`src/\`).

## Publishing

\`new Publisher(Transport $transport, ?string $site = null)\`; \`$publisher->withSite('be')\` gives
the same publisher for another site; \`$publisher->cursor()\` gives the page its starting point
(see [Delivery](#delivery-durable-by-default-and-the-pages-cursor)). Each method takes
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
message once however many parts it matches. An empty audience (\`users([])\`) throws, and so
does one of more than ${MAX_AUDIENCE_USERS} different users or ${MAX_AUDIENCE_ROLES} roles (also
after \`->with()\`): the gateway refuses those (\`InvalidPayload\`, rule \`maxItems\`); send a
message to many users with a role or \`everyone()\` instead.

### Transports

| transport | for | delivery | \`cursor()\` |
| --- | --- | --- | --- |
| \`Transport\\PhpRedisTransport(\\Redis $redis, string $stream = '${model.defaultStream}')\` | phpredis; you connect the \`\\Redis\` client | durable: \`XADD\` to the stream | yes |
| \`Transport\\PredisTransport(\\Predis\\ClientInterface $client, string $stream = '${model.defaultStream}')\` | Predis 1.1+ | durable: \`XADD\` to the stream | yes |
| \`Transport\\HttpTransport(string $gatewayUrl, string $publishKey, float $timeoutSeconds = 5.0)\` | the gateway's \`POST /publish\` (\`POSTBODE_PUBLISH_KEY\`); PHP streams, no curl; bodies up to 64 KiB | durable: the gateway appends to the stream | no |
| \`Transport\\PhpRedisPubSubTransport(\\Redis $redis, string $channel = '${model.defaultChannel}', bool $requireSubscriber = false)\` | phpredis, gateways that read no stream | live only: \`PUBLISH\` | no |
| \`Transport\\PredisPubSubTransport(\\Predis\\ClientInterface $client, string $channel = '${model.defaultChannel}', bool $requireSubscriber = false)\` | Predis, gateways that read no stream | live only: \`PUBLISH\` | no |

The Redis stream transports send the stream name and the envelope exactly as given (phpredis's
\`OPT_PREFIX\` and \`OPT_SERIALIZER\` and Predis's key prefix do not apply); the default stream is
also \`Transport\\StreamTransport::DEFAULT_STREAM\`.

Any failure throws \`${ns}\\PublishFailed\` (a \`\\RuntimeException\`): Redis unreachable or
answering an error, or the gateway answering an error, with \`->httpStatus\` and \`->errorCode\`
(\`UNAUTHORIZED\`, \`INVALID_PAYLOAD\`, \`TOO_LARGE\`, ...) and the gateway's message. Redis PUBLISH
succeeds when no gateway listens; pass \`requireSubscriber: true\` to make that an error.
Implement \`Transport\\Transport\` (\`publish(string $json): void\`) to
use another client, or \`Transport\\StreamTransport\` (also \`cursor(): Cursor\`) for one that
appends to the stream itself.

**Without Redis: \`HttpTransport\`**, the gateway's \`POST /publish\` (the gateway needs
\`POSTBODE_PUBLISH_KEY\`). Durable too (the gateway appends to its stream), but it cannot read
the cursor. It waits at most \`timeoutSeconds\` (default \`5.0\`) to connect and for each read of
the answer:

<!-- example: http.php -->
\`\`\`php
<?php
require __DIR__ . '/vendor/autoload.php';

use ${ns}\\{Audience, Publisher, PublishFailed};
use ${ns}\\Transport\\HttpTransport;

$transport = new HttpTransport('http://127.0.0.1:3000', getenv('POSTBODE_PUBLISH_KEY'), timeoutSeconds: 5.0);
$publisher = new Publisher($transport, site: 'nl');
try {
    $id = $publisher->systemAnnouncement(to: Audience::everyone(), text: 'Maintenance at 22:00', level: 'info');
    echo "published $id\\n";
} catch (PublishFailed $e) {
    // e.g. 401 UNAUTHORIZED (a wrong key), 503 UNAVAILABLE (the gateway lost Redis), null null (no answer)
    echo "not published: {$e->httpStatus} {$e->errorCode}\\n";
}
\`\`\`

### Errors

Every exception this package throws implements \`${ns}\\PostbodeException\`, so one \`catch\`
takes them all; each also extends the SPL exception of its kind:

| exception | when | extends | tells you |
| --- | --- | --- | --- |
| \`InvalidPayload\` | an argument of a publish method, an \`Audience\` or a token's claims breaks a rule of the protocol; nothing was sent | \`\\InvalidArgumentException\` | \`->parameter\`, \`->rule\` |
| \`InvalidArgument\` | a setting: an HS256 secret shorter than 32 bytes, a key of the wrong kind, an empty stream or channel, a URL that is not http(s), a limit out of range | \`\\InvalidArgumentException\` | \`->parameter\`, \`->errorCode\` (\`INVALID_CONFIG\`) |
| \`PublishFailed\` | the transport failed: Redis unreachable or answering an error, the gateway answering an error or not at all | \`\\RuntimeException\` | \`->httpStatus\`, \`->errorCode\` (HTTP) |
| \`CursorUnavailable\` | \`cursor()\` through a transport that cannot read it, or Redis failed | \`\\RuntimeException\` | the message |
| \`PresenceUnavailable\`, \`EventStream\\EventStreamFailed\` | Redis failed under \`Presence\` or \`EventConsumer\` | \`\\RuntimeException\` | the message |
| \`MalformedEvent\` | an entry of the backend event stream is not an event (\`EventConsumer\` dead-letters those) | \`\\UnexpectedValueException\` | \`->errorCode\` (\`INVALID_ENVELOPE\`) |
| \`SigningFailed\` | ext-openssl could not sign an RS256/ES256 token | \`\\RuntimeException\` | \`->errorCode\` (\`INTERNAL\`) |

A call of the wrong shape is PHP's own \`\\TypeError\` (an array for \`$body\`) or
\`\\ArgumentCountError\` (\`new Publisher($transport, 'postbode', 'nl')\`, the old signature):
errors in the code, not exceptions to handle. No message contains a secret, a key or a payload's
text.

<!-- example: errors.php -->
\`\`\`php
<?php
require __DIR__ . '/vendor/autoload.php';

use ${ns}\\{Audience, InvalidArgument, InvalidPayload, PostbodeException, Publisher, TokenIssuer};
use ${ns}\\Transport\\HttpTransport;

try {
    TokenIssuer::hs256('a-short-secret');
} catch (InvalidArgument $e) {
    echo "$e->errorCode $e->parameter\\n"; // prints: INVALID_CONFIG $secret
}
$publisher = new Publisher(new HttpTransport('http://127.0.0.1:3000', 'not-the-publish-key'));
try {
    $publisher->messageCreated(to: Audience::user(42), messageId: 'm-2', conversationId: 'c-9', senderId: 7, body: str_repeat('x', 10001), sentAt: 1764250000000);
} catch (InvalidPayload $e) {
    echo "$e->parameter $e->rule\\n"; // prints: $body maxLength
}
try {
    $publisher->messageCreated(to: Audience::user(42), messageId: 'm-2', conversationId: 'c-9', senderId: 7, body: 'hoi', sentAt: 1764250000000);
} catch (PostbodeException $e) {
    echo get_class($e), " {$e->getCode()}\\n"; // prints: ${ns}\\PublishFailed 401
}
\`\`\`

## Delivery: durable by default, and the page's cursor

**Durable by default.** \`PhpRedisTransport\` and \`PredisTransport\` append each envelope to the
gateway's Redis stream: \`XADD ${model.defaultStream} * envelope '{"action":…}'\`. Every gateway node
reads it in order. The browser receives each such message with \`meta.offset\`, its stream entry
id (\`"1764250000123-0"\`); a browser that reconnects with the last offset it saw (its cursor) is
sent every message addressed to it since then, in order, once each, and then
\`postbode:sync { recovered: true, replayed: n }\`. Messages stay recoverable for the gateway's
\`POSTBODE_HISTORY_SECONDS\` (300 by default); when recovery is impossible the browser is told so
(\`recovered: false\` with a reason) and reloads its state. \`HttpTransport\` is durable too: the
gateway appends what it accepts to the same stream.

**The page-render race.** A page shows data it queried, and its browser connects a moment later:
a message published in between would be missed, because the page did not have it yet and the
socket was not there to receive it. \`$publisher->cursor()\` closes that gap: read it *before*
the query, and hand it to the browser with the page. The browser's first connection starts from
it, so a message published between the query and the connection is replayed (one the page
already showed may arrive again: the app keys its state by id).

\`\`\`php
${pageExample(ns)}
\`\`\`

\`\`\`js
// With @postbode/client-sdk: the first connection starts from the page's cursor.
const client = createRealtimeClient({ url, token: window.POSTBODE_TOKEN, cursor: window.POSTBODE_CURSOR });
// Or with socket.io-client itself:
const socket = io(url, { auth: { token: window.POSTBODE_TOKEN, cursor: window.POSTBODE_CURSOR } });
socket.on('postbode:sync', ({ recovered, reason }) => { if (!recovered) reloadState(reason); });
\`\`\`

\`cursor()\` is one Redis round trip: the protocol's \`read.lua\` (copied here as
\`src/Resources/read.lua\`), the script every gateway node runs, reading no entries. It returns a
\`${ns}\\Cursor\` (\`->epoch\`, \`->offset\`; \`json_encode\` gives exactly
\`{"epoch":"…","offset":"…"}\`): the stream's epoch (the name of its history; a cursor of another
epoch is not replayed from) and its last entry id (\`"0-0"\` before the first). When no gateway has
run yet it starts the epoch, which the gateway then keeps. It throws \`${ns}\\CursorUnavailable\`
when Redis fails, and with a transport that does not append to the stream itself
(\`HttpTransport\`, the pub/sub transports).

**Live only.** \`PhpRedisPubSubTransport\` and \`PredisPubSubTransport\` publish with Redis
\`PUBLISH\` on the gateway's \`POSTBODE_CHANNEL\`, as this package did before the stream. Such a
message reaches only the sockets connected at that moment, without \`meta.offset\`; it is never
replayed, so a browser that is reconnecting misses it without being told. Use them only for a
gateway that reads no stream.

**Upgrading from the channel.** \`PhpRedisTransport\` and \`PredisTransport\` now append to the
stream (the gateway of this release reads it), and take a stream instead of
\`requireSubscriber\`. The Publisher takes no channel any more: \`new Publisher($transport, site:
'nl')\`, and a third argument throws \`\\ArgumentCountError\` rather than becoming the site.
\`Transport::publish()\` takes the JSON alone. For the old behaviour, use the pub/sub transports.

## Presence: who is online

The gateway nodes keep who is online per site in Redis (contract 7: a user is online while they
have a socket on any node, and for \`POSTBODE_PRESENCE_GRACE\` seconds after their last one
closed). \`${ns}\\Presence\` reads it with phpredis or Predis, on the gateway's Redis, with no
round trip through the gateway:

\`\`\`php
use ${ns}\\Presence;

$presence = new Presence($redis, site: 'nl');       // a connected \\Redis or Predis client

$presence->isOnline([7, '42', '99']);   // [7 => true, 42 => false, 99 => true]: in the order given, one round trip
$presence->onlineUsers(limit: 50);      // ['7', '99', ...]: up to 50 online user ids, most recently active first
$presence->countOnline();               // 2
$presence->lastSeen([7, '42', '5']);    // [7 => now in ms, 42 => 1764440000000, 5 => null (never seen)]
\`\`\`

A user list rendered by a cron job becomes one call when the page renders:

\`\`\`php
$online = $presence->isOnline(array_column($conversations, 'partnerId'));
foreach ($conversations as $c) {
    echo $online[$c['partnerId']] ? '● ' : '', htmlspecialchars($c['partnerName']), "\n";
}
\`\`\`

\`isOnline()\` is one \`ZMSCORE\` (Redis 6.2 or later) for any number of ids (10 000 included);
\`onlineUsers()\` one \`ZREVRANGE\`, \`countOnline()\` one \`ZCARD\`, \`lastSeen()\` a \`ZMSCORE\` and an
\`HMGET\` of those who are offline. PHP turns numeric-string keys into ints (\`$online[42]\` and
\`$online['42']\` are the same entry). Keys are used exactly as named (the client's key prefix
does not apply): \`${model.presenceKeyPrefix}:<site>:online\` (sorted set: user id → last activity in ms)
and \`${model.presenceKeyPrefix}:<site>:last-seen\` (hash: user id → when they went offline). A site never
sees another's users. Ids and the site are checked like a token's (\`${ns}\\InvalidPayload\`); a
Redis failure throws \`${ns}\\PresenceUnavailable\`. To act on transitions (a user came online,
went offline) consume the gateway's backend event stream (\`POSTBODE_EVENTS_STREAM\`, entries
\`presence.online\` / \`presence.offline\`).

${renderReadmeEvents(ns)}## Tokens

\`\`\`php
$issuer = TokenIssuer::hs256($secret);                  // POSTBODE_JWT_SECRET, at least 32 bytes
$issuer = TokenIssuer::rs256($privateKeyPem);           // gateway: POSTBODE_JWT_PUBLIC_KEY or a JWKS, with POSTBODE_JWT_AUDIENCE
$issuer = TokenIssuer::es256($privateKeyPem, keyId: 'k1'); // "kid" header for a JWKS
$token = $issuer->issue($userId, site: 'nl', roles: ['moderator'], ttlSeconds: 3600, extraClaims: ['aud' => 'postbode']);
\`\`\`

Defaults: \`ttlSeconds\` is \`3600\` (one hour); \`site\` unset means the gateway's default site
(\`${model.defaultSite}\`); no roles; no \`kid\` header.

**HS256 secrets of at least 32 bytes, on both sides.** \`TokenIssuer::hs256()\` refuses a shorter
secret (\`InvalidArgument\`, \`->errorCode\` \`INVALID_CONFIG\`, \`->parameter\` \`$secret\`), and the
gateway refuses to start with a \`POSTBODE_JWT_SECRET\` shorter than 32 bytes, with the same
threshold (\`TokenIssuer::MIN_SECRET_BYTES\`). RFC 7518 (section 3.2) says an HS256 key MUST be
at least 256 bits; a short secret can be guessed offline from any one token, and then anyone can
sign tokens for any user. The secret is Postbode's own, shared only by your backend and the
gateway: make a new one (\`openssl rand -base64 32\`) rather than reusing a short one.

Claims: \`sub\` (the user id, as a string: ids above 2^53 − 1 stay exact), \`iat\`, \`exp\`,
\`site\` and \`roles\` when given, and the extra claims (\`aud\`, \`iss\`, \`nbf\`, ...). With a
public key or a JWKS the gateway requires an audience or issuer check: pass
\`extraClaims: ['aud' => ...]\` matching its \`POSTBODE_JWT_AUDIENCE\`. When a token expires the gateway disconnects the
browser, which asks the page for a fresh one: issue tokens from an endpoint the browser can call.

## Generated code

Everything here is generated from the Postbode protocol (\`packages/protocol\`) by
\`@postbode/php-publisher\`: do not edit it; run \`pnpm generate\` in the Postbode repository
after the protocol changes, and commit the result. CI fails when these files drift from the
schemas.
`;
}
