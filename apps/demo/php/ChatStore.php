<?php

declare(strict_types=1);

/**
 * The legacy application's data in Redis: the same model as server/chat-store.ts. Updates that
 * can race (receipts from several requests at once) are single atomic Redis commands or scripts.
 */
final class ChatStore
{
    private const STATUS = ['sent' => 0, 'delivered' => 1, 'read' => 2];

    // Raises a message's status, never lowers it; returns 1 when it changed.
    private const RAISE = <<<'LUA'
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
        if current >= 0 and tonumber(ARGV[2]) > current then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          return 1
        end
        return 0
        LUA;

    // The same for many messages of one conversation at once; returns the ids that changed.
    private const RAISE_MANY = <<<'LUA'
        local raised = {}
        local status = tonumber(ARGV[1])
        for i = 2, #ARGV do
          local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '-1')
          if current >= 0 and status > current then
            redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
            raised[#raised + 1] = ARGV[i]
          end
        end
        return raised
        LUA;

    /** @param list<array{id: string, name: string, site: string}> $users */
    public function __construct(private readonly Redis $redis, public readonly array $users)
    {
    }

    public function user(string $id): ?array
    {
        foreach ($this->users as $user) {
            if ($user['id'] === $id) {
                return $user;
            }
        }
        return null;
    }

    public function startSession(array $user): string
    {
        $session = bin2hex(random_bytes(16));
        $this->redis->setex("demo:session:$session", 86400, $user['id']);
        return $session;
    }

    public function sessionUser(string $session): ?array
    {
        $id = $session === '' ? false : $this->redis->get("demo:session:$session");
        return $id === false ? null : $this->user((string) $id);
    }

    public static function conversationId(string $a, string $b): string
    {
        return (int) $a < (int) $b ? "c-$a-$b" : "c-$b-$a";
    }

    public function peerOf(array $user, string $id): ?array
    {
        foreach ($this->users as $other) {
            if ($other['id'] !== $user['id'] && $other['site'] === $user['site'] && self::conversationId($user['id'], $other['id']) === $id) {
                return $other;
            }
        }
        return null;
    }

    public function conversations(array $user): array
    {
        // "Last seen" of the peers, from the gateway's presence keys (contract 7): one
        // ZMSCORE and one HMGET, however many peers. The page shows it for who is offline.
        $peers = array_values(array_filter(
            $this->users,
            static fn (array $peer): bool => $peer['site'] === $user['site'] && $peer['id'] !== $user['id'],
        ));
        $seen = (new Postbode\Presence($this->redis, site: $user['site']))->lastSeen(array_column($peers, 'id'));
        $list = [];
        foreach ($this->users as $peer) {
            if ($peer['site'] !== $user['site'] || $peer['id'] === $user['id']) {
                continue;
            }
            $id = self::conversationId($user['id'], $peer['id']);
            $history = $this->history($id);
            $list[] = [
                'id' => $id,
                'peer' => ['id' => $peer['id'], 'name' => $peer['name'], 'lastSeenAt' => $seen[$peer['id']] ?? null],
                'unread' => $this->unreadOf($user['id'], $id),
                'lastMessage' => $history === [] ? null : $history[count($history) - 1],
            ];
        }
        return $list;
    }

    public function history(string $id): array
    {
        $ids = $this->redis->lRange("demo:order:$id", 0, -1) ?: [];
        if ($ids === []) {
            return [];
        }
        $bodies = $this->redis->hMGet("demo:messages:$id", $ids);
        $statuses = $this->redis->hMGet("demo:status:$id", $ids);
        $names = array_flip(self::STATUS);
        $messages = [];
        foreach ($ids as $messageId) {
            $message = json_decode($bodies[$messageId], true, 8, JSON_THROW_ON_ERROR);
            $message['status'] = $names[(int) $statuses[$messageId]];
            $messages[] = $message;
        }
        return $messages;
    }

    public function unreadOf(string $userId, string $id): int
    {
        return (int) ($this->redis->hGet("demo:unread:$userId", $id) ?: 0);
    }

    public function totalUnread(array $user): int
    {
        return array_sum(array_map('intval', $this->redis->hGetAll("demo:unread:{$user['id']}") ?: []));
    }

    public function send(array $sender, array $peer, string $id, string $body): array
    {
        $message = [
            'messageId' => 'm-' . base_convert((string) $this->redis->incr('demo:sequence'), 10, 36) . '-' . bin2hex(random_bytes(3)),
            'conversationId' => $id,
            'senderId' => $sender['id'],
            'body' => $body,
            'sentAt' => (int) floor(microtime(true) * 1000),
        ];
        $this->redis->hSet("demo:messages:$id", $message['messageId'], json_encode($message, JSON_THROW_ON_ERROR));
        $this->redis->hSet("demo:status:$id", $message['messageId'], (string) self::STATUS['sent']);
        $this->redis->rPush("demo:order:$id", $message['messageId']);
        $this->redis->hIncrBy("demo:unread:{$peer['id']}", $id, 1);
        return $message + ['status' => 'sent'];
    }

    /** @return list<string> the peer's messages that became delivered */
    public function delivered(array $reader, string $id, array $messageIds): array
    {
        $changed = [];
        foreach ($this->history($id) as $message) {
            if (in_array($message['messageId'], $messageIds, true) && $message['senderId'] !== $reader['id']
                && $this->raise($id, $message['messageId'], 'delivered')) {
                $changed[] = $message['messageId'];
            }
        }
        return $changed;
    }

    /** Marks the peer's messages up to $lastReadMessageId read; returns its id, or null. */
    public function read(array $reader, string $id, string $lastReadMessageId): ?string
    {
        $history = $this->history($id);
        $ids = array_column($history, 'messageId');
        $last = array_search($lastReadMessageId, $ids, true);
        if ($last === false) {
            return null;
        }
        foreach (array_slice($history, 0, $last + 1) as $message) {
            if ($message['senderId'] !== $reader['id']) {
                $this->raise($id, $message['messageId'], 'read');
            }
        }
        $this->redis->hSet("demo:unread:{$reader['id']}", $id, '0');
        return $lastReadMessageId;
    }

    private function raise(string $id, string $messageId, string $status): bool
    {
        return (int) $this->redis->eval(self::RAISE, ["demo:status:$id", $messageId, (string) self::STATUS[$status]], 1) === 1;
    }

    /**
     * The receipts of a whole batch (the PHP worker's BatchEventHandler), with the same effect
     * as delivered() and read() one by one, in two round trips whatever their number: one
     * pipeline reads every conversation involved, one applies every status raise (a script per
     * receipt, in order), the unread resets and the readers' unread totals.
     *
     * @param list<array{reader: array, id: string, messageIds?: list<string>, lastReadMessageId?: string}> $receipts
     *     a delivered receipt has messageIds, a read one lastReadMessageId
     *
     * @return list<array{changed: list<string>, last: ?string, totalUnread: ?int}> per receipt: the
     *     peer's messages that became delivered; for a read one, the last read id (null: unknown
     *     message) and the reader's unread total after the batch
     */
    public function receipts(array $receipts): array
    {
        if ($receipts === []) {
            return [];
        }
        $ids = array_values(array_unique(array_column($receipts, 'id')));
        $pipe = $this->redis->pipeline();
        foreach ($ids as $id) {
            $pipe->lRange("demo:order:$id", 0, -1);
            $pipe->hGetAll("demo:messages:$id");
        }
        $replies = $pipe->exec();
        $senders = [];
        foreach ($ids as $i => $id) {
            $order = $replies[2 * $i] ?: [];
            $bodies = $replies[2 * $i + 1] ?: [];
            $senders[$id] = [];
            foreach ($order as $messageId) {
                if (isset($bodies[$messageId])) {
                    $senders[$id][$messageId] = (string) json_decode($bodies[$messageId], true, 8, JSON_THROW_ON_ERROR)['senderId'];
                }
            }
        }
        $results = [];
        $pipe = $this->redis->pipeline();
        $queued = [];
        foreach ($receipts as $n => $receipt) {
            $id = $receipt['id'];
            $readerId = $receipt['reader']['id'];
            $results[$n] = ['changed' => [], 'last' => null, 'totalUnread' => null];
            if (isset($receipt['messageIds'])) {
                $wanted = array_flip($receipt['messageIds']);
                $raise = [];
                foreach ($senders[$id] as $messageId => $senderId) {
                    if (isset($wanted[$messageId]) && $senderId !== $readerId) {
                        $raise[] = (string) $messageId;
                    }
                }
                if ($raise !== []) {
                    $pipe->eval(self::RAISE_MANY, ["demo:status:$id", (string) self::STATUS['delivered'], ...$raise], 1);
                    $queued[] = [$n, 'changed'];
                }
                continue;
            }
            $last = (string) $receipt['lastReadMessageId'];
            if (!isset($senders[$id][$last])) {
                continue;
            }
            $raise = [];
            foreach ($senders[$id] as $messageId => $senderId) {
                if ($senderId !== $readerId) {
                    $raise[] = (string) $messageId;
                }
                if ((string) $messageId === $last) {
                    break;
                }
            }
            if ($raise !== []) {
                $pipe->eval(self::RAISE_MANY, ["demo:status:$id", (string) self::STATUS['read'], ...$raise], 1);
                $queued[] = [$n, null];
            }
            $pipe->hSet("demo:unread:$readerId", $id, '0');
            $queued[] = [$n, null];
            $results[$n]['last'] = $last;
        }
        // The readers' totals, after every reset of the batch.
        $readers = [];
        foreach ($receipts as $n => $receipt) {
            if ($results[$n]['last'] !== null) {
                $readers[$receipt['reader']['id']][] = $n;
            }
        }
        foreach (array_keys($readers) as $readerId) {
            $pipe->hGetAll("demo:unread:$readerId");
            $queued[] = [(string) $readerId, 'total'];
        }
        $replies = $pipe->exec();
        foreach ($queued as $i => [$key, $what]) {
            $reply = $replies[$i];
            if ($reply === false) {
                throw new RuntimeException('a receipt write failed: ' . ($this->redis->getLastError() ?? 'Redis error'));
            }
            if ($what === 'changed') {
                $results[$key]['changed'] = array_map('strval', (array) $reply);
            } elseif ($what === 'total') {
                $total = array_sum(array_map('intval', $reply ?: []));
                foreach ($readers[$key] as $n) {
                    $results[$n]['totalUnread'] = $total;
                }
            }
        }
        return $results;
    }
}
