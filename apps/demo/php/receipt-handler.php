<?php

/**
 * The PHP backend's worker (contract 8): receipts the browsers send over their sockets reach
 * the backend event stream; the generated EventConsumer hands them here a batch at a time
 * (BatchEventHandler::handleBatch(): every entry of one read). It does what the HTTP endpoints
 * /delivered and /read do (record it, publish message.delivered / message.read back), without
 * an HTTP request per receipt, and for a whole batch in four Redis round trips: the idempotency
 * marks, the conversations' reads, the writes (ChatStore::receipts()) and the publishes
 * (PipelinedTransport), whatever the batch's size. The consumer then acknowledges the batch
 * with one XACK. The per-action methods do the same for one event. Run by the demo as
 * `php .../bin/postbode-events-worker.php --handler=php/receipt-handler.php`.
 */

declare(strict_types=1);

require_once getenv('DEMO_PUBLISHER_AUTOLOAD');
require_once __DIR__ . '/ChatStore.php';
require_once __DIR__ . '/PipelinedTransport.php';

use Postbode\Audience;
use Postbode\BackendEvent;
use Postbode\BatchEventHandler;
use Postbode\EventRouter;
use Postbode\Publisher;

$redis = new Redis();
$redis->connect((string) getenv('DEMO_REDIS_HOST'), (int) getenv('DEMO_REDIS_PORT'));
$store = new ChatStore($redis, json_decode((string) getenv('DEMO_USERS_JSON'), true, 8, JSON_THROW_ON_ERROR));

return new class ($redis, $store) implements BatchEventHandler {
    private readonly PipelinedTransport $transport;

    public function __construct(private readonly Redis $redis, private readonly ChatStore $store)
    {
        $this->transport = new PipelinedTransport($redis);
    }

    public function handleBatch(array $events): array
    {
        // The receipts of a batch; other actions (presence, unknown) one by one.
        $receipts = [];
        foreach ($events as $event) {
            if ($event->action === 'message.delivered' || $event->action === 'message.read') {
                $receipts[] = $event;
            } else {
                EventRouter::dispatch($this, $event);
            }
        }
        $this->receipts($receipts);

        return [];
    }

    public function messageDelivered(BackendEvent $event): void
    {
        $this->receipts([$event]);
    }

    public function messageRead(BackendEvent $event): void
    {
        $this->receipts([$event]);
    }

    /**
     * Records the receipts and publishes the checks back, in one round trip per step however
     * many there are. At least once: an event id seen before is skipped (kept a day); when a
     * step fails the ids are released, so that the redelivery does the work.
     *
     * @param list<BackendEvent> $events message.delivered and message.read events
     */
    private function receipts(array $events): void
    {
        $valid = [];
        foreach ($events as $event) {
            $users = $this->users($event);
            if ($users !== null) {
                $valid[] = [$event, ...$users];
            }
        }
        if ($valid === []) {
            return;
        }
        $pipe = $this->redis->pipeline();
        foreach ($valid as [$event]) {
            $pipe->set("demo:handled:{$event->id}", '1', ['nx', 'ex' => 86400]);
        }
        $first = $pipe->exec();
        $todo = [];
        foreach ($valid as $i => $entry) {
            if ($first[$i] === true) {
                $todo[] = $entry;
            }
        }
        if ($todo === []) {
            return;
        }
        try {
            $results = $this->store->receipts(array_map(
                static fn (array $entry): array => ['reader' => $entry[1], 'id' => (string) $entry[0]->data['conversationId']]
                    + ($entry[0]->action === 'message.delivered'
                        ? ['messageIds' => array_map('strval', $entry[0]->data['messageIds'])]
                        : ['lastReadMessageId' => (string) $entry[0]->data['lastReadMessageId']]),
                $todo,
            ));
            foreach ($todo as $n => [$event, $user, $peer]) {
                $this->publishBack($event, $user, $peer, $results[$n]);
            }
            $this->transport->flush();
        } catch (Throwable $e) {
            $this->redis->del(array_map(static fn (array $entry): string => "demo:handled:{$entry[0]->id}", $todo));
            throw $e;
        }
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

    /** @param array{changed: list<string>, last: ?string, totalUnread: ?int} $result */
    private function publishBack(BackendEvent $event, array $user, array $peer, array $result): void
    {
        $publish = new Publisher($this->transport, site: $user['site']);
        $id = (string) $event->data['conversationId'];
        if ($event->action === 'message.delivered') {
            if ($result['changed'] !== []) {
                $publish->messageDelivered(
                    to: Audience::user($peer['id']),
                    conversationId: $id,
                    messageIds: $result['changed'],
                    deliveredAt: $event->ts,
                );
            }
            return;
        }
        if ($result['last'] === null) {
            return;
        }
        $publish->messageRead(
            to: Audience::users([$peer['id'], $user['id']]),
            conversationId: $id,
            readerId: $user['id'],
            lastReadMessageId: $result['last'],
            readAt: $event->ts,
        );
        $publish->conversationUnread(
            to: Audience::user($user['id']),
            conversationId: $id,
            unread: 0,
            totalUnread: (int) $result['totalUnread'],
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
