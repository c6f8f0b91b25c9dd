<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Who is online on one site (contract 7), read straight from the gateway's Redis: the gateway
 * nodes keep the site's online users in the sorted set "postbode:presence:<site>:online" (member:
 * user id, score: when one of their sockets last connected or closed, in ms) and when each user
 * last went offline in the hash "postbode:presence:<site>:last-seen". Keys are used exactly as
 * named: the client's key prefix does not apply. Works with phpredis (\Redis) and Predis.
 *
 * <code>
 * $presence = new Presence($redis, site: 'nl');
 * $presence->isOnline([7, '42']);  // [7 => true, 42 => false], one Redis round trip
 * $presence->onlineUsers(50);      // ['7', '19', ...], most recently active first
 * $presence->countOnline();        // 2
 * $presence->lastSeen(['7', '42']); // [7 => 1764450012345, 42 => 1764440000000] (ms; null: never seen)
 * </code>
 */
final class Presence
{
    /** The prefix of a site's presence keys. */
    public const KEY_PREFIX = Schema::PRESENCE_KEY_PREFIX;

    private readonly string $online;
    private readonly string $lastSeen;

    /**
     * @param \Redis|\Predis\ClientInterface $redis a connected client of the gateway's Redis
     * @param string                         $site  the site (tenant) whose users to read
     */
    public function __construct(
        private readonly \Redis|\Predis\ClientInterface $redis,
        string $site,
    ) {
        $site = Check::string('$site', $site, ...Schema::SITE_NAME);
        $this->online = self::KEY_PREFIX . ':' . $site . ':online';
        $this->lastSeen = self::KEY_PREFIX . ':' . $site . ':last-seen';
    }

    /**
     * Whether each user is online, in the order given: one ZMSCORE, one round trip for any
     * number of ids (Redis 6.2 or later).
     *
     * @param list<int|string> $userIds
     *
     * @return array<string, bool> user id => online (PHP makes numeric-string keys ints)
     *
     * @throws PresenceUnavailable when Redis fails
     */
    public function isOnline(array $userIds): array
    {
        $ids = self::ids($userIds);
        if ($ids === []) {
            return [];
        }
        $scores = $this->command('ZMSCORE', $this->online, ...$ids);
        $result = [];
        foreach ($ids as $index => $id) {
            $result[$id] = self::present($scores[$index] ?? null);
        }

        return $result;
    }

    /**
     * Up to $limit online users, most recently active first.
     *
     * @return list<string> user ids
     *
     * @throws PresenceUnavailable when Redis fails
     */
    public function onlineUsers(int $limit = 100): array
    {
        if ($limit < 1) {
            throw new InvalidArgument('$limit', \sprintf('must be at least 1, got %d', $limit));
        }
        $ids = $this->command('ZREVRANGE', $this->online, '0', (string) ($limit - 1));

        return \array_map(static fn (mixed $id): string => (string) $id, \is_array($ids) ? $ids : []);
    }

    /**
     * How many users are online on the site.
     *
     * @throws PresenceUnavailable when Redis fails
     */
    public function countOnline(): int
    {
        return (int) $this->command('ZCARD', $this->online);
    }

    /**
     * When each user was last seen, in ms since the epoch: now for users who are online, the
     * time they went offline for the others, null for users never seen.
     *
     * @param list<int|string> $userIds
     *
     * @return array<string, int|null> user id => ms or null (PHP makes numeric-string keys ints)
     *
     * @throws PresenceUnavailable when Redis fails
     */
    public function lastSeen(array $userIds): array
    {
        $ids = self::ids($userIds);
        if ($ids === []) {
            return [];
        }
        $online = $this->isOnline($ids);
        $now = (int) \floor(\microtime(true) * 1000);
        $offline = \array_values(\array_filter($ids, static fn (string $id): bool => !$online[$id]));
        $times = $offline === [] ? [] : $this->command('HMGET', $this->lastSeen, ...$offline);
        $seen = [];
        foreach ($offline as $index => $id) {
            $time = \is_array($times) ? ($times[$index] ?? null) : null;
            $seen[$id] = self::present($time) ? (int) $time : null;
        }
        $result = [];
        foreach ($ids as $id) {
            $result[$id] = $online[$id] ? $now : $seen[$id];
        }

        return $result;
    }

    /**
     * The ids as strings, checked like the token's sub.
     *
     * @param array<mixed> $userIds
     *
     * @return list<string>
     */
    private static function ids(array $userIds): array
    {
        $ids = [];
        foreach (\array_values($userIds) as $index => $id) {
            $ids[] = Check::id('$userIds[' . $index . ']', $id, ...Schema::USER_ID);
        }

        return $ids;
    }

    /** A reply element that holds a value (phpredis answers a nil with false, Predis with null). */
    private static function present(mixed $value): bool
    {
        return $value !== null && $value !== false;
    }

    /**
     * Sends a raw command: no key prefix, no serializer, the same with both clients.
     *
     * @throws PresenceUnavailable
     */
    private function command(string ...$arguments): mixed
    {
        $failed = \sprintf('Redis %s on "%s" failed: ', $arguments[0], $arguments[1]);
        try {
            if ($this->redis instanceof \Redis) {
                $reply = $this->redis->rawCommand(...$arguments);
                if ($reply === false) {
                    throw new PresenceUnavailable($failed . ($this->redis->getLastError() ?? 'no reply'));
                }

                return $reply;
            }
            $reply = $this->redis->executeCommand(\Predis\Command\RawCommand::create(...$arguments));
        } catch (\RedisException | \Predis\PredisException $e) {
            throw new PresenceUnavailable($failed . $e->getMessage(), $e);
        }
        if ($reply instanceof \Predis\Response\ErrorInterface) {
            throw new PresenceUnavailable($failed . $reply->getMessage());
        }

        return $reply;
    }
}
