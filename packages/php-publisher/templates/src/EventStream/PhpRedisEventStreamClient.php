<?php

declare(strict_types=1);

namespace Postbode\EventStream;

/**
 * The event consumer's commands through phpredis (ext-redis), on a \Redis you create and own.
 * Commands go out raw, so the client's key prefix and serializer do not apply.
 *
 * <code>
 * $redis = new \Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $client = new PhpRedisEventStreamClient($redis);
 * </code>
 */
final class PhpRedisEventStreamClient implements EventStreamClient
{
    public function __construct(private readonly \Redis $redis)
    {
    }

    public function command(string ...$arguments): mixed
    {
        try {
            $reply = $this->redis->rawCommand(...$arguments);
        } catch (\RedisException $e) {
            throw new EventStreamFailed(\sprintf('Redis %s failed: %s', $arguments[0] ?? '', $e->getMessage()), 0, $e);
        }
        if ($reply === false) {
            $error = $this->redis->getLastError();
            if ($error !== null) {
                $this->redis->clearLastError();
                throw new EventStreamFailed(\sprintf('Redis %s failed: %s', $arguments[0] ?? '', $error));
            }
            // phpredis answers false for a nil reply too.
            return null;
        }

        return $reply;
    }
}
