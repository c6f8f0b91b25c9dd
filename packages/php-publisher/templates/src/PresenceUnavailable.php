<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Presence could not be read: Redis failed, or did not answer (a connection error, or an error
 * reply such as ZMSCORE on a Redis older than 6.2).
 */
final class PresenceUnavailable extends \RuntimeException implements PostbodeException
{
    /**
     * @param string          $message  what failed; never contains a key's value
     * @param \Throwable|null $previous the underlying error, e.g. a \RedisException
     */
    public function __construct(string $message, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }
}
