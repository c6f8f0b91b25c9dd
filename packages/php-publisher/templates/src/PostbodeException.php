<?php

declare(strict_types=1);

namespace Postbode;

/**
 * Implemented by every exception this package throws, to catch them all in one place:
 * InvalidPayload (a payload argument breaks a rule of the protocol, nothing was sent),
 * InvalidArgument (a setting: a short HS256 secret, a wrong key, an empty stream name),
 * PublishFailed (the transport failed), CursorUnavailable, PresenceUnavailable,
 * EventStream\EventStreamFailed, MalformedEvent and SigningFailed. Each also extends the SPL
 * exception its kind suggests (\InvalidArgumentException, \RuntimeException,
 * \UnexpectedValueException). Calls of the wrong shape raise PHP's own \TypeError or
 * \ArgumentCountError, which are errors, not exceptions.
 */
interface PostbodeException extends \Throwable
{
}
