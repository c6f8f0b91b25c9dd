<?php

/**
 * The stand-in for the legacy application, in PHP: the same HTTP API as server/node-backend.ts,
 * publishing through the generated Postbode\Publisher over Redis (the production path) and
 * signing tokens with Postbode\TokenIssuer. Run by `pnpm demo:php` as
 * `php -S 127.0.0.1:PORT -t dist/web php/router.php`; data lives in Redis under `demo:`.
 */

declare(strict_types=1);

require_once getenv('DEMO_PUBLISHER_AUTOLOAD');
require_once __DIR__ . '/ChatStore.php';

use Postbode\Audience;
use Postbode\Publisher;
use Postbode\TokenIssuer;
use Postbode\Transport\PhpRedisTransport;

$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (!str_starts_with($path, '/api/')) {
    // The page: a file of the build, or index.html for any other path.
    $file = realpath($_SERVER['DOCUMENT_ROOT'] . $path);
    if ($path !== '/' && $file !== false && is_file($file) && str_starts_with($file, realpath($_SERVER['DOCUMENT_ROOT']))) {
        return false;
    }
    header('Content-Type: text/html; charset=utf-8');
    readfile($_SERVER['DOCUMENT_ROOT'] . '/index.html');
    return true;
}

final class HttpError extends RuntimeException
{
}

/** @param array<mixed>|null $body */
function respond(int $status, ?array $body = null): void
{
    http_response_code($status);
    header('Cache-Control: no-store');
    if ($body !== null) {
        header('Content-Type: application/json; charset=utf-8');
        echo json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }
}

/** @return array<string, mixed> */
function jsonBody(): array
{
    $raw = file_get_contents('php://input') ?: '{}';
    try {
        $value = json_decode($raw, true, 16, JSON_THROW_ON_ERROR);
    } catch (JsonException) {
        throw new HttpError('body must be a JSON object', 400);
    }
    if (!is_array($value)) {
        throw new HttpError('body must be a JSON object', 400);
    }
    return $value;
}

$redis = new Redis();
$redis->connect((string) getenv('DEMO_REDIS_HOST'), (int) getenv('DEMO_REDIS_PORT'));
$store = new ChatStore($redis, json_decode((string) getenv('DEMO_USERS_JSON'), true, 8, JSON_THROW_ON_ERROR));

try {
    $method = $_SERVER['REQUEST_METHOD'];
    $id = rawurldecode(explode('/', $path)[3] ?? '');
    $route = $method . ' ' . preg_replace('#^/api/conversations/[^/]+#', '/api/conversations/:id', $path);

    $me = static function () use ($store): array {
        $header = $_SERVER['HTTP_AUTHORIZATION'] ?? '';
        $user = $store->sessionUser(preg_replace('/^Bearer /', '', $header));
        if ($user === null) {
            throw new HttpError('log in first', 401);
        }
        return $user;
    };
    $peer = static function (array $user) use ($store, $id): array {
        $peer = $store->peerOf($user, $id);
        if ($peer === null) {
            throw new HttpError("no conversation $id", 404);
        }
        return $peer;
    };
    $publisher = static fn (array $user): Publisher => new Publisher(new PhpRedisTransport($redis), site: $user['site']);

    switch ($route) {
        case 'GET /api/config':
            respond(200, ['gatewayUrl' => getenv('DEMO_GATEWAY_URL'), 'users' => $store->users]);
            break;
        case 'POST /api/login':
            $user = $store->user((string) (jsonBody()['userId'] ?? ''));
            if ($user === null) {
                throw new HttpError('no such demo user', 404);
            }
            respond(200, ['session' => $store->startSession($user), 'user' => $user]);
            break;
        case 'GET /api/token':
            $user = $me();
            $token = TokenIssuer::hs256((string) getenv('DEMO_JWT_SECRET'))
                ->issue($user['id'], site: $user['site'], roles: ['member'], ttlSeconds: (int) getenv('DEMO_TOKEN_TTL'));
            respond(200, ['token' => $token]);
            break;
        case 'GET /api/conversations':
            respond(200, $store->conversations($me()));
            break;
        case 'GET /api/conversations/:id/messages':
            $peer($user = $me());
            respond(200, $store->history($id));
            break;
        case 'POST /api/conversations/:id/messages':
            $other = $peer($user = $me());
            $body = jsonBody()['body'] ?? null;
            // Checked before storing (mbstring is not assumed: iconv is in every PHP build).
            if (!is_string($body) || trim($body) === '' || iconv_strlen($body, 'UTF-8') > 10000) {
                throw new HttpError('body must be 1 to 10000 characters', 400);
            }
            $message = $store->send($user, $other, $id, $body);
            $publish = $publisher($user);
            $publish->messageCreated(
                to: Audience::users([$user['id'], $other['id']]),
                messageId: $message['messageId'],
                conversationId: $id,
                senderId: $user['id'],
                body: $body,
                sentAt: $message['sentAt'],
            );
            $publish->conversationUnread(
                to: Audience::user($other['id']),
                conversationId: $id,
                unread: $store->unreadOf($other['id'], $id),
                totalUnread: $store->totalUnread($other),
            );
            respond(201, $message);
            break;
        case 'POST /api/conversations/:id/delivered':
            $other = $peer($user = $me());
            $ids = jsonBody()['messageIds'] ?? [];
            $changed = $store->delivered($user, $id, is_array($ids) ? array_map('strval', $ids) : []);
            if ($changed !== []) {
                $publisher($user)->messageDelivered(
                    to: Audience::user($other['id']),
                    conversationId: $id,
                    messageIds: $changed,
                    deliveredAt: (int) floor(microtime(true) * 1000),
                );
            }
            respond(204);
            break;
        case 'POST /api/conversations/:id/read':
            $other = $peer($user = $me());
            $last = $store->read($user, $id, (string) (jsonBody()['lastReadMessageId'] ?? ''));
            if ($last === null) {
                throw new HttpError('no such message', 404);
            }
            $publish = $publisher($user);
            $publish->messageRead(
                to: Audience::users([$other['id'], $user['id']]),
                conversationId: $id,
                readerId: $user['id'],
                lastReadMessageId: $last,
                readAt: (int) floor(microtime(true) * 1000),
            );
            $publish->conversationUnread(
                to: Audience::user($user['id']),
                conversationId: $id,
                unread: 0,
                totalUnread: $store->totalUnread($user),
            );
            respond(204);
            break;
        default:
            throw new HttpError("no route $method $path", 404);
    }
} catch (HttpError $error) {
    respond($error->getCode(), ['error' => $error->getMessage()]);
} catch (Postbode\InvalidPayload $error) {
    // The generated Publisher checks every rule of the protocol before anything is sent.
    respond(400, ['error' => $error->getMessage()]);
} catch (Throwable $error) {
    error_log((string) $error);
    respond(500, ['error' => $error->getMessage()]);
}
return true;
