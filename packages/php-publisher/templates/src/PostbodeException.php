<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Implemented by every exception this package throws, to catch them all in one place:
 * InvalidPayload (a bad argument, nothing was sent) and PublishFailed (the transport failed).
 */
interface PostbodeException extends \Throwable
{
}
