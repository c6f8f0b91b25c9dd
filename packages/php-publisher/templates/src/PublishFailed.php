<?php

declare(strict_types=1);

namespace Postbode;

/**
 * A message could not be published: Redis was unreachable or answered an error, or the
 * gateway's POST /publish failed (then $httpStatus and $errorCode say how). Never silent.
 */
final class PublishFailed extends \RuntimeException implements PostbodeException
{
    /**
     * @param string          $message    what failed; never contains a key or a payload
     * @param int|null        $httpStatus the gateway's HTTP status, for HttpTransport
     * @param string|null     $errorCode  the gateway's error code, e.g. 'INVALID_PAYLOAD', 'UNAUTHORIZED'
     * @param \Throwable|null $previous   the underlying error, e.g. a \RedisException
     */
    public function __construct(
        string $message,
        public readonly ?int $httpStatus = null,
        public readonly ?string $errorCode = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $httpStatus ?? 0, $previous);
    }
}
