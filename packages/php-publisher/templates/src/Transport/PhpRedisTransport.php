<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\PublishFailed;

/**
 * Publishes with Redis PUBLISH through the phpredis extension (ext-redis), on a connection
 * you open and own.
 *
 * <code>
 * $redis = new \Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $transport = new PhpRedisTransport($redis);
 * </code>
 */
final class PhpRedisTransport implements Transport
{
    /**
     * @param \Redis $redis             a connected client
     * @param bool   $requireSubscriber true: throw PublishFailed when no gateway is subscribed
     *                                  to the channel (PUBLISH reached nobody)
     */
    public function __construct(
        private readonly \Redis $redis,
        private readonly bool $requireSubscriber = false,
    ) {
    }

    public function publish(string $channel, string $json): void
    {
        try {
            $receivers = $this->redis->publish($channel, $json);
        } catch (\RedisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $e->getMessage()),
                previous: $e,
            );
        }
        if ($receivers === false) {
            throw new PublishFailed(\sprintf(
                'Redis PUBLISH on channel "%s" failed: %s',
                $channel,
                $this->redis->getLastError() ?? 'no reply',
            ));
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $channel));
        }
    }
}
