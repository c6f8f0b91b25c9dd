<?php

declare(strict_types=1);

namespace Postbode;

use Postbode\Transport\Transport;

/**
 * Publisher::cursor() could not read the stream's cursor: the transport does not append to
 * Redis itself (HttpTransport, the live-only pub/sub transports, a transport of your own that
 * does not implement Transport\StreamTransport), or Redis failed or did not answer as the
 * protocol's read.lua does. A page rendered without a cursor still works: its browser connects
 * without one, and what was published between the page's query and the connection is missed.
 */
final class CursorUnavailable extends \RuntimeException implements PostbodeException
{
    /**
     * @param string          $message  what failed; never contains a key or a payload
     * @param \Throwable|null $previous the underlying error, e.g. a \RedisException
     */
    public function __construct(string $message, ?\Throwable $previous = null)
    {
        parent::__construct($message, 0, $previous);
    }

    /**
     * The transport cannot read the stream.
     *
     * @internal
     */
    public static function notAStream(Transport $transport): self
    {
        return new self(\sprintf(
            '%s cannot read the stream\'s cursor: Publisher::cursor() needs a transport that appends to the '
            . 'Redis stream itself (Transport\PhpRedisTransport or Transport\PredisTransport)',
            $transport::class,
        ));
    }
}
