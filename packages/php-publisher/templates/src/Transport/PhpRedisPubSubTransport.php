<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\InvalidArgument;
use Postbode\PublishFailed;

/**
 * Live only: publishes with Redis PUBLISH through the phpredis extension (ext-redis), on a
 * connection you open and own. The gateway delivers such a message to the sockets connected at
 * that moment, with no meta.offset, and never replays it: a browser that is reconnecting misses
 * it without being told. Prefer PhpRedisTransport (the stream); keep this one only for
 * gateways that read no stream. The client's OPT_PREFIX applies to the channel.
 *
 * <code>
 * $redis = new \Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $transport = new PhpRedisPubSubTransport($redis, channel: 'postbode');
 * </code>
 */
final class PhpRedisPubSubTransport implements Transport
{
    /**
     * @param \Redis $redis             a connected client
     * @param string $channel           the channel the gateway subscribes to (its POSTBODE_CHANNEL)
     * @param bool   $requireSubscriber true: throw PublishFailed when no gateway is subscribed
     *                                  to the channel (PUBLISH reached nobody)
     */
    public function __construct(
        private readonly \Redis $redis,
        private readonly string $channel = Schema::DEFAULT_CHANNEL,
        private readonly bool $requireSubscriber = false,
    ) {
        if ($channel === '') {
            throw new InvalidArgument('$channel', 'must not be empty');
        }
    }

    public function publish(string $json): void
    {
        try {
            $receivers = $this->redis->publish($this->channel, $json);
        } catch (\RedisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $this->channel, $e->getMessage()),
                previous: $e,
            );
        }
        if ($receivers === false) {
            throw new PublishFailed(\sprintf(
                'Redis PUBLISH on channel "%s" failed: %s',
                $this->channel,
                $this->redis->getLastError() ?? 'no reply',
            ));
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $this->channel));
        }
    }
}
