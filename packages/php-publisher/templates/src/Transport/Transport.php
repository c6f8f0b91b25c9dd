<?php

declare(strict_types=1);

namespace Postbode\Transport;

use Postbode\PublishFailed;

/**
 * Carries an encoded envelope to the gateway. Durable: the Redis stream (PhpRedisTransport,
 * PredisTransport) or the gateway's POST /publish (HttpTransport), which appends to the same
 * stream. Live only: Redis PUBLISH (PhpRedisPubSubTransport, PredisPubSubTransport). Implement
 * it (or StreamTransport) to publish through a client of your own; throw PublishFailed on
 * failure, never fail silently.
 */
interface Transport
{
    /**
     * @param string $json the envelope, JSON-encoded
     * @throws PublishFailed when the message could not be handed over
     */
    public function publish(string $json): void;
}
