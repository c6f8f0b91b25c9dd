<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\PublishFailed;

/**
 * Carries an encoded envelope to the gateway: Redis PUBLISH (PhpRedisTransport,
 * PredisTransport) or the gateway's POST /publish (HttpTransport). Implement it to publish
 * through a client of your own; throw PublishFailed on failure, never fail silently.
 */
interface Transport
{
    /**
     * @param string $channel the Redis channel the gateway subscribes to (POSTBODE_CHANNEL)
     * @param string $json    the envelope, JSON-encoded
     * @throws PublishFailed when the message could not be handed over
     */
    public function publish(string $channel, string $json): void;
}
