<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\InvalidArgument;
use Postbode\PublishFailed;

/**
 * Live only: publishes with Redis PUBLISH through Predis (predis/predis 1.1 or later), on a
 * client you create and own. The gateway delivers such a message to the sockets connected at
 * that moment, with no meta.offset, and never replays it: a browser that is reconnecting misses
 * it without being told. Prefer PredisTransport (the stream); keep this one only for gateways
 * that read no stream.
 *
 * <code>
 * $transport = new PredisPubSubTransport(new \Predis\Client('tcp://127.0.0.1:6379'), channel: 'postbode');
 * </code>
 */
final class PredisPubSubTransport implements Transport
{
    /**
     * @param \Predis\ClientInterface $client            a client
     * @param string                  $channel           the channel the gateway subscribes to
     *                                                   (its POSTBODE_CHANNEL)
     * @param bool                    $requireSubscriber true: throw PublishFailed when no gateway
     *                                                   is subscribed to the channel
     */
    public function __construct(
        private readonly \Predis\ClientInterface $client,
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
            $receivers = $this->client->publish($this->channel, $json);
        } catch (\Predis\PredisException $e) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $this->channel, $e->getMessage()),
                previous: $e,
            );
        }
        // A client created with 'exceptions' => false returns errors instead of throwing them.
        if ($receivers instanceof \Predis\Response\ErrorInterface) {
            throw new PublishFailed(
                \sprintf('Redis PUBLISH on channel "%s" failed: %s', $this->channel, $receivers->getMessage()),
            );
        }
        if ($this->requireSubscriber && $receivers === 0) {
            throw new PublishFailed(\sprintf('no gateway is subscribed to Redis channel "%s"', $this->channel));
        }
    }
}
