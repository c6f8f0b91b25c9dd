<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\PublishFailed;

/**
 * Publishes with Redis PUBLISH through Predis (predis/predis 1.1 or later), on a client you
 * create and own.
 *
 * <code>
 * $transport = new PredisTransport(new \Predis\Client('tcp://127.0.0.1:6379'));
 * </code>
 */
final class PredisTransport implements Transport
{
    /**
     * @param \Predis\ClientInterface $client            a client
     * @param bool                    $requireSubscriber true: throw PublishFailed when no gateway
     *                                                   is subscribed to the channel
     */
    public function __construct(
        private readonly \Predis\ClientInterface $client,
        private readonly bool $requireSubscriber = false,
    ) {
    }

    public function publish(string $channel, string $json): void
    {
        try {
            $receivers = $this->client->publish($channel, $json);
        } catch (\Predis\PredisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $e->getMessage()),
                previous: $e,
            );
        }
        // A client created with 'exceptions' => false returns errors instead of throwing them.
        if ($receivers instanceof \Predis\Response\ErrorInterface) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $channel, $receivers->getMessage()),
            );
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $channel));
        }
    }
}
