<?php

declare(strict_types=1);

namespace Postbode\EventStream;

/**
 * The Redis commands an EventConsumer sends, whatever the client library: one raw command, its
 * reply as nested arrays and strings (null for a nil reply).
 */
interface EventStreamClient
{
    /**
     * Sends one command, e.g. command('XACK', 'postbode:events', 'workers', '1-0').
     *
     * @throws EventStreamFailed when Redis answers an error or cannot be reached
     */
    public function command(string ...$arguments): mixed;
}
