<?php

declare(strict_types=1);

namespace Postbode\EventStream;

use Postbode\PostbodeException;

/** A command of the event consumer failed: Redis answered an error or could not be reached. */
final class EventStreamFailed extends \RuntimeException implements PostbodeException
{
}
