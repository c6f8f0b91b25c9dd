<?php

declare(strict_types=1);

namespace Postbode\EventStream;

/**
 * The event consumer's commands through Predis (predis/predis 1.1 or later), on a client you
 * create and own. Commands go out raw, so the client's key prefix does not apply.
 *
 * <code>
 * $client = new PredisEventStreamClient(new \Predis\Client('tcp://127.0.0.1:6379'));
 * </code>
 */
final class PredisEventStreamClient implements EventStreamClient
{
    public function __construct(private readonly \Predis\ClientInterface $client)
    {
    }

    public function command(string ...$arguments): mixed
    {
        try {
            $reply = $this->client->executeRaw($arguments);
        } catch (\Predis\PredisException $e) {
            throw new EventStreamFailed(\sprintf('Redis %s failed: %s', $arguments[0] ?? '', $e->getMessage()), 0, $e);
        }
        if ($reply instanceof \Predis\Response\ErrorInterface) {
            throw new EventStreamFailed(\sprintf('Redis %s failed: %s', $arguments[0] ?? '', $reply->getMessage()));
        }

        return $reply;
    }
}
