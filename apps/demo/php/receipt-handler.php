<?php

/**
 * The PHP backend's worker (contract 8): receipts the browsers send over their sockets reach
 * the backend event stream; the generated EventConsumer hands each one here. It does what the
 * HTTP endpoints /delivered and /read do (record it, publish message.delivered / message.read
 * back), without an HTTP request per receipt. Run by the demo as
 * `php .../bin/postbode-events-worker.php --handler=php/receipt-handler.php`.
 */

declare(strict_types=1);

require_once getenv('DEMO_PUBLISHER_AUTOLOAD');
require_once __DIR__ . '/ChatStore.php';

use Postbode\Audience;
use Postbode\BackendEvent;
use Postbode\EventHandler;
use Postbode\Publisher;
use Postbode\Transport\PhpRedisTransport;

$redis = new Redis();
$redis->connect((string) getenv('DEMO_REDIS_HOST'), (int) getenv('DEMO_REDIS_PORT'));
$store = new ChatStore($redis, json_decode((string) getenv('DEMO_USERS_JSON'), true, 8, JSON_THROW_ON_ERROR));

return new class ($redis, $store) implements EventHandler {
    public function __construct(private readonly Redis $redis, private readonly ChatStore $store)
    {
    }

    /** At least once: an id seen before is skipped (kept a day). */
    private function firstTime(BackendEvent $event): bool
    {
        return $this->redis->set("demo:handled:{$event->id}", '1', ['nx', 'ex' => 86400]) === true;
    }

    /** @return array{0: array<string, mixed>, 1: array<string, mixed>}|null the user and the peer */
    private function users(BackendEvent $event): ?array
    {
        $user = $this->store->user($event->user);
        $conversationId = (string) ($event->data['conversationId'] ?? '');
        if ($user === null || $user['site'] !== $event->site) {
            return null;
        }
        $peer = $this->store->peerOf($user, $conversationId);
        return $peer === null ? null : [$user, $peer];
    }

    private function publisher(array $user): Publisher
    {
        return new Publisher(new PhpRedisTransport($this->redis), site: $user['site']);
    }

    public function messageDelivered(BackendEvent $event): void
    {
        $users = $this->users($event);
        if ($users === null || !$this->firstTime($event)) {
            return;
        }
        [$user, $peer] = $users;
        $id = (string) $event->data['conversationId'];
        $changed = $this->store->delivered($user, $id, array_map('strval', $event->data['messageIds']));
        if ($changed !== []) {
            $this->publisher($user)->messageDelivered(
                to: Audience::user($peer['id']),
                conversationId: $id,
                messageIds: $changed,
                deliveredAt: $event->ts,
            );
        }
    }

    public function messageRead(BackendEvent $event): void
    {
        $users = $this->users($event);
        if ($users === null || !$this->firstTime($event)) {
            return;
        }
        [$user, $peer] = $users;
        $id = (string) $event->data['conversationId'];
        $last = $this->store->read($user, $id, (string) $event->data['lastReadMessageId']);
        if ($last === null) {
            return;
        }
        $publish = $this->publisher($user);
        $publish->messageRead(
            to: Audience::users([$peer['id'], $user['id']]),
            conversationId: $id,
            readerId: $user['id'],
            lastReadMessageId: $last,
            readAt: $event->ts,
        );
        $publish->conversationUnread(
            to: Audience::user($user['id']),
            conversationId: $id,
            unread: 0,
            totalUnread: $this->store->totalUnread($user),
        );
    }

    public function presenceOnline(BackendEvent $event): void
    {
    }

    public function presenceOffline(BackendEvent $event): void
    {
    }

    public function unknownAction(BackendEvent $event): void
    {
        error_log("demo worker: unknown event {$event->action} {$event->id}, acknowledged");
    }
};
